/**
 * How an object is named, everywhere: results and reports (`apps/v1:Deployment` + `payments/checkout`),
 * matching across views (group, kind, namespace, name — the version may differ), engine resource names.
 */
import type { KubeObject } from './model.js';

type Identity = Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>;

/** The API group of an apiVersion (`apps/v1` → `apps`, `v1` → ''). */
export const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

/** `<group>/<kind>`: what a CRD defines and a CR instantiates. */
export const groupKind = (apiVersion: string, kind: string): string => `${groupOf(apiVersion)}/${kind}`;

/** What makes two manifests the same server object (the version may differ between views). */
export const objectKey = (o: Identity): string => `${groupOf(o.apiVersion)}|${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name}`;

/** `<apiVersion>:<kind>`: how results and reports name an object's type (both engines). */
export const objectType = (o: Pick<KubeObject, 'apiVersion' | 'kind'>): string => `${o.apiVersion}:${o.kind}`;

/** The apiVersion and kind an `<apiVersion>:<kind>` type names (a cloud resource's type gives its provider's words). */
export function typeParts(type: string): Pick<KubeObject, 'apiVersion' | 'kind'> {
  const colon = type.lastIndexOf(':');
  return { apiVersion: type.slice(0, Math.max(colon, 0)), kind: type.slice(colon + 1) };
}

/** `namespace/name` for namespaced objects, `name` otherwise. */
export const objectName = (o: Pick<KubeObject, 'metadata'>): string => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name);

/** `Kind namespace/name`, for messages. */
export const describeObject = (o: { kind: string; namespace?: string; name: string }): string => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;

/** Stable, unique engine resource name: `Kind[.group]:namespace/name` (cluster-scoped: `Kind[.group]:name`). */
export function logicalName(o: Identity): string {
  const group = groupOf(o.apiVersion);
  return `${group ? `${o.kind}.${group}` : o.kind}:${objectName(o)}`;
}

export const isNamespace = (o: Pick<KubeObject, 'apiVersion' | 'kind'>): boolean => o.kind === 'Namespace' && o.apiVersion === 'v1';
export const isCrd = (o: Pick<KubeObject, 'kind'>): boolean => o.kind === 'CustomResourceDefinition';
