/**
 * Names, labels and ordering shared by the stack builders. Every object name is a pure function of the
 * config, so two syntheses of the same config are byte-identical and drift can match objects by name.
 */
import type { Service, Tenant } from '../config/schema.js';
import type { DesiredObject, KubeObject } from './types.js';

export const ISTIO_NAMESPACE = 'istio-system';
export const MONITORING_NAMESPACE = 'monitoring';
export const VELERO_NAMESPACE = 'velero';
export const KUBE_SYSTEM_NAMESPACE = 'kube-system';

/** Label keys we set ourselves (ownership labels are added by plan.ts, not here). */
export const NAME_LABEL = 'app.kubernetes.io/name';
export const TENANT_LABEL = 'platform.dev/tenant';
export const VERSION_LABEL = 'version';
/** Namespaces carry this label in every cluster (Kubernetes ≥ 1.22), so NetworkPolicies can select by name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** A tenant's namespace has the tenant's name in every region (CONFIG.md). */
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

/**
 * Apply order: Namespaces first (everything else lives in them), then policy that must be in place
 * before workloads (quota, limits, RBAC, network policy), then config, workloads and the CRs that
 * reference them. Unknown kinds go last; ties break on namespace and name so the order is stable.
 */
const KIND_ORDER = [
  'Namespace',
  'ResourceQuota',
  'LimitRange',
  'Role',
  'RoleBinding',
  'NetworkPolicy',
  'PeerAuthentication',
  'AuthorizationPolicy',
  'Gateway',
  'BackupStorageLocation',
  'Schedule',
  'Secret',
  'ConfigMap',
  'Service',
  'Deployment',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'DestinationRule',
  'VirtualService',
  'ServiceMonitor',
  'PodMonitor',
  'PrometheusRule',
];

function kindRank(kind: string): number {
  const i = KIND_ORDER.indexOf(kind);
  return i === -1 ? KIND_ORDER.length : i;
}

export function sortForApply(objects: DesiredObject[]): DesiredObject[] {
  const key = (o: DesiredObject): [number, string, string, string] => [
    kindRank(o.manifest.kind),
    o.manifest.kind,
    o.manifest.metadata.namespace ?? '',
    o.manifest.metadata.name,
  ];
  return [...objects].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) {
      if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
    }
    return 0;
  });
}

/** Object entries sorted by key: config maps (env, secretEnv) render in a stable order. */
export function sortedEntries<V>(record: Record<string, V> | undefined): Array<[string, V]> {
  return Object.entries(record ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
