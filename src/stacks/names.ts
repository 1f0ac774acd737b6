/**
 * Names and labels shared by the stack builders (apply order: src/objects/order.ts). Every object name is a pure function of the
 * config, so two syntheses of the same config are byte-identical and drift can match objects by name.
 */
import type { PlatformConfig, Region, Service, Tenant } from '../config/schema.js';
import type { DesiredObject, KubeObject, SourcePath } from '../objects/model.js';

export const ISTIO_NAMESPACE = 'istio-system';
export const MONITORING_NAMESPACE = 'monitoring';
export const VELERO_NAMESPACE = 'velero';
export const KUBE_SYSTEM_NAMESPACE = 'kube-system';

/** Label keys we set ourselves (ownership labels are added by plan.ts, not here). */
export const NAME_LABEL = 'app.kubernetes.io/name';
export const TENANT_LABEL = 'platform.dev/tenant';
export const VERSION_LABEL = 'version';
/** On a pod template: the service asked for a Kubernetes API token (`apiAccess: true`). */
export const API_ACCESS_ANNOTATION = 'platform.dev/api-access';
/** Ephemeral storage (logs, /tmp) of a container unless the service says otherwise; also the tenant default. */
export const DEFAULT_EPHEMERAL_STORAGE = '1Gi';
/** Namespaces carry this label in every cluster (Kubernetes ≥ 1.22), so NetworkPolicies can select by name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The managed Kubernetes cluster of a cloud region (and its kubeconfig context). */
export const clusterName = (c: Pick<PlatformConfig, 'name'>, r: Pick<Region, 'name'>): string => `${c.name}-${r.name}`;

/** A tenant's namespace has the tenant's name in every region (docs/config.md). */
export const tenantNamespace = (tenant: Tenant | string): string => (typeof tenant === 'string' ? tenant : tenant.name);

/** Labels that identify a service's pods across stable and canary (Service and PDB selectors). */
export function serviceSelector(service: Service): Record<string, string> {
  return { [NAME_LABEL]: service.name, [TENANT_LABEL]: service.tenant };
}

/** The in-mesh host name of a service. */
export const serviceHost = (service: Service): string => `${service.name}.${service.tenant}.svc.cluster.local`;

/** Plain JSON of a kubernetes-models object (drops undefined fields), as DesiredObject.manifest. */
export function desired(model: { toJSON(): unknown }, secretEnv?: Record<string, string>): DesiredObject {
  const manifest = model.toJSON() as KubeObject;
  return secretEnv ? { manifest, secretEnv } : { manifest };
}

/** The object with the config entry it comes from (when that is not its stack's entry). */
export const fromEntry = (source: SourcePath, object: DesiredObject): DesiredObject => ({ ...object, source });

/** Object entries sorted by key: config maps (env, secretEnv) render in a stable order. */
export function sortedEntries<V>(record: Record<string, V> | undefined): Array<[string, V]> {
  return Object.entries(record ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
