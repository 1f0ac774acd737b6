/**
 * Apply order, one rule for every engine: CRDs and Namespaces first, then policy that must be in place
 * before workloads (quota, limits, RBAC, network policy), then config, workloads and the CRs that
 * reference them. Within one stack a CR waits for its CRD and a namespaced object for its Namespace
 * (and on destroy they go first).
 */
import { groupKind, isCrd, isNamespace, logicalName } from './identity.js';
import type { DesiredObject, KubeObject } from './model.js';

const KIND_ORDER = [
  'CustomResourceDefinition',
  'Namespace',
  'ResourceQuota',
  'LimitRange',
  'ServiceAccount',
  'ClusterRole',
  'ClusterRoleBinding',
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
  'StatefulSet',
  'DaemonSet',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'DestinationRule',
  'VirtualService',
  'ServiceMonitor',
  'PodMonitor',
  'PrometheusRule',
  'Prometheus',
  'Alertmanager',
  // Webhooks last: they point at a control plane that must be running to answer them.
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
];

function kindRank(kind: string): number {
  const i = KIND_ORDER.indexOf(kind);
  return i === -1 ? KIND_ORDER.length : i;
}

/** Objects in apply order; unknown kinds go last; ties break on kind, namespace and name (stable output). */
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
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    return 0;
  });
}

export interface OrderedObject {
  object: DesiredObject;
  /** The engine resource name (logicalName). */
  name: string;
  /** Names of objects earlier in the list that this one waits for (its CRD, its Namespace). */
  dependsOn: string[];
}

/**
 * A stack's objects as engines register them, in apply order (a stack's control plane and its own
 * objects come from different places): duplicates dropped (one CRD may come from several bundles), each
 * with the objects of the same stack it must wait for (its CRD, its Namespace, the ServiceAccount its
 * pods run as: a pod of a missing account is refused, and the ReplicaSet backs off).
 */
export function withApplyDependencies(unordered: DesiredObject[]): OrderedObject[] {
  const objects = sortForApply(unordered);
  const crdByGroupKind = new Map<string, string>();
  const namespaceByName = new Map<string, string>();
  const accountByName = new Map<string, string>();
  const seen = new Set<string>();
  const out: OrderedObject[] = [];
  for (const object of objects) {
    const m = object.manifest;
    const name = logicalName(m);
    if (seen.has(name)) continue;
    seen.add(name);
    const dependsOn: string[] = [];
    const crd = crdByGroupKind.get(groupKind(m.apiVersion, m.kind));
    if (crd) dependsOn.push(crd);
    const ns = m.metadata.namespace ? namespaceByName.get(m.metadata.namespace) : undefined;
    if (ns) dependsOn.push(ns);
    const account = podServiceAccount(m);
    const sa = account ? accountByName.get(`${m.metadata.namespace ?? ''}/${account}`) : undefined;
    if (sa) dependsOn.push(sa);
    out.push({ object, name, dependsOn });
    const defined = definedKind(m);
    if (defined) crdByGroupKind.set(defined, name);
    if (isNamespace(m)) namespaceByName.set(m.metadata.name, name);
    if (m.kind === 'ServiceAccount' && m.apiVersion === 'v1') accountByName.set(`${m.metadata.namespace ?? ''}/${m.metadata.name}`, name);
  }
  return out;
}

/** The `<group>/<kind>` a CRD defines. */
function definedKind(m: KubeObject): string | undefined {
  if (!isCrd(m)) return undefined;
  const spec = m.spec as { group?: string; names?: { kind?: string } } | undefined;
  return spec?.group && spec.names?.kind ? `${spec.group}/${spec.names.kind}` : undefined;
}

/** The ServiceAccount a workload's pods run as (`spec.template.spec.serviceAccountName`), if it names one. */
function podServiceAccount(m: KubeObject): string | undefined {
  const spec = m.spec as { template?: { spec?: { serviceAccountName?: unknown } } } | undefined;
  const name = spec?.template?.spec?.serviceAccountName;
  return typeof name === 'string' ? name : undefined;
}
