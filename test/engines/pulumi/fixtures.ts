/** Small hand-built stacks for the Pulumi engine tests (independent of the stack catalog). */
import type { Region } from '../../../src/config/schema.js';
import { PROJECT_LABEL, STACK_LABEL, stackLabelValue, type StackInstance } from '../../../src/stacks/types.js';
import type { DesiredObject, KubeObject } from '../../../src/objects/model.js';

export const localRegion = (name = 'eu'): Region => ({ name, cloud: 'local', location: `local-${name}`, role: 'primary' });

export function labelled(project: string, stackId: string, o: KubeObject): KubeObject {
  return { ...o, metadata: { ...o.metadata, labels: { ...(o.metadata.labels ?? {}), [PROJECT_LABEL]: project, [STACK_LABEL]: stackLabelValue(stackId) } } };
}

export interface SmallStackOptions {
  project: string;
  namespace: string;
  replicas?: number;
  configMaps?: number;
  secretVariable?: string;
  region?: Region;
  id?: string;
  selectorApp?: string;
}

/** A namespace, ConfigMaps, a Deployment, and (optionally) a Secret filled from an environment variable. */
export function smallStack(o: SmallStackOptions): StackInstance {
  const id = o.id ?? `tenant/${(o.region ?? localRegion()).name}/${o.namespace}`;
  const l = (m: KubeObject): DesiredObject => ({ manifest: labelled(o.project, id, m) });
  const objects: DesiredObject[] = [
    l({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: o.namespace } }),
    ...Array.from({ length: o.configMaps ?? 1 }, (_, i) =>
      l({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `settings-${i}`, namespace: o.namespace }, data: { index: String(i), mode: 'fast' } }),
    ),
    l({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: o.namespace },
      spec: {
        replicas: o.replicas ?? 1,
        selector: { matchLabels: { app: o.selectorApp ?? 'web' } },
        template: {
          metadata: { labels: { app: o.selectorApp ?? 'web' } },
          spec: { containers: [{ name: 'web', image: 'ghcr.io/acme/web:1.0.0', ports: [{ containerPort: 8080 }] }] },
        },
      },
    }),
  ];
  if (o.secretVariable) {
    objects.push({
      manifest: labelled(o.project, id, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web-env', namespace: o.namespace }, type: 'Opaque' }),
      secretEnv: { DB_PASSWORD: o.secretVariable },
    });
  }
  const region = o.region ?? localRegion();
  return {
    id,
    layer: 'tenant',
    engine: 'pulumi',
    region,
    tenant: o.namespace,
    project: o.project,
    dependsOn: [],
    source: ['tenants', 0],
    objects,
    cloud: [],
    installs: [],
    label: stackLabelValue(id),
  };
}
