/** A small CustomResourceDefinition for tests of a CRD and its CR in one go (`Widget`, `spec.size`, by default). */
import type { KubeObject } from '../../src/objects/model.js';

export interface CrdNames {
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
}

const WIDGET: CrdNames = { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' };

export const widgetCrd = (group: string, names: CrdNames = WIDGET): KubeObject => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${names.plural}.${group}` },
  spec: {
    group,
    scope: 'Namespaced',
    names,
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } },
      },
    ],
  },
});
