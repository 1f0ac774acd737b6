/**
 * The five tenant roles of docs/config.md as namespaced RBAC rules. Resources are listed explicitly (no `*`
 * on the core group) because `*` would include ResourceQuota/LimitRange writes and Secrets, which the
 * role descriptions exclude: quota is the plan tier's, not the tenant's.
 */
import type { IPolicyRule } from 'kubernetes-models/rbac.authorization.k8s.io/v1/PolicyRule';
import type { ROLES } from '../config/schema.js';

export type TenantRole = (typeof ROLES)[number];

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const ALL = [...READ, ...WRITE];

/** Workload resources a developer edits (and admins/owners manage). */
const WORKLOADS: IPolicyRule[] = [
  { apiGroups: [''], resources: ['pods', 'services', 'configmaps', 'secrets', 'persistentvolumeclaims', 'serviceaccounts'] },
  { apiGroups: ['apps'], resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'] },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'] },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'] },
  { apiGroups: ['networking.istio.io'], resources: ['virtualservices', 'destinationrules'] },
  { apiGroups: ['monitoring.coreos.com'], resources: ['servicemonitors', 'podmonitors', 'prometheusrules'] },
].map((r) => ({ ...r, verbs: ALL }));

/** Interactive pod access for people who run the workloads. */
const POD_ACCESS: IPolicyRule[] = [
  { apiGroups: [''], resources: ['pods/log'], verbs: READ },
  { apiGroups: [''], resources: ['pods/exec', 'pods/portforward', 'pods/attach'], verbs: ['create', 'get'] },
  { apiGroups: ['apps'], resources: ['deployments/scale', 'statefulsets/scale'], verbs: ['get', 'update', 'patch'] },
];

/** Everything a viewer may read: the workloads minus Secrets, plus events and quota usage. */
const VIEW: IPolicyRule[] = [
  {
    apiGroups: [''],
    resources: [
      'pods',
      'pods/log',
      'services',
      'endpoints',
      'configmaps',
      'persistentvolumeclaims',
      'serviceaccounts',
      'events',
      'resourcequotas',
      'limitranges',
    ],
    verbs: READ,
  },
  { apiGroups: ['apps'], resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'], verbs: READ },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: READ },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: READ },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies', 'ingresses'], verbs: READ },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
  { apiGroups: ['networking.istio.io'], resources: ['virtualservices', 'destinationrules'], verbs: READ },
  { apiGroups: ['monitoring.coreos.com'], resources: ['servicemonitors', 'podmonitors', 'prometheusrules'], verbs: READ },
];

const QUOTA_READ: IPolicyRule[] = [{ apiGroups: [''], resources: ['resourcequotas', 'resourcequotas/status', 'limitranges'], verbs: READ }];

/** Admins also manage network policies in their namespace (quota stays read-only). */
const ADMIN_EXTRA: IPolicyRule[] = [{ apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ALL }];

/** Owners manage who has which role: Roles and RoleBindings inside the namespace. RBAC's own
 *  escalation check still stops them granting more than they hold. */
const OWNER_EXTRA: IPolicyRule[] = [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: ALL }];

export const ROLE_RULES: Record<TenantRole, IPolicyRule[]> = {
  owner: [...VIEW, ...WORKLOADS, ...POD_ACCESS, ...ADMIN_EXTRA, ...QUOTA_READ, ...OWNER_EXTRA],
  admin: [...VIEW, ...WORKLOADS, ...POD_ACCESS, ...ADMIN_EXTRA, ...QUOTA_READ],
  developer: [...VIEW, ...WORKLOADS, ...POD_ACCESS],
  viewer: VIEW,
  billing: QUOTA_READ,
};

export const roleName = (role: TenantRole): string => `tenant-${role}`;

/** `group:NAME` binds a Group; anything else (an email) binds a User. */
export function rbacSubject(subject: string): { kind: 'User' | 'Group'; name: string; apiGroup: string } {
  return subject.startsWith('group:')
    ? { kind: 'Group', name: subject.slice('group:'.length), apiGroup: 'rbac.authorization.k8s.io' }
    : { kind: 'User', name: subject, apiGroup: 'rbac.authorization.k8s.io' };
}
