/**
 * tenant/<region>/<tenant>: the tenant's namespace and everything that fences it in — quota and
 * default limits from the plan tier, the five RBAC roles with their bindings, and network policy
 * (deny by default, allow the mesh and the namespace itself).
 */
import { LimitRange } from 'kubernetes-models/v1/LimitRange';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ROLES, type PlatformConfig, type Region, type Tenant } from '../config/schema.js';
import { TIERS, type Tier } from '../config/tiers.js';
import { meshEnabled } from './mesh.js';
import {
  DEFAULT_EPHEMERAL_STORAGE,
  desired,
  fromEntry,
  ISTIO_NAMESPACE,
  KUBE_SYSTEM_NAMESPACE,
  MONITORING_NAMESPACE,
  NAMESPACE_NAME_LABEL,
  TENANT_LABEL,
  tenantNamespace,
} from './names.js';
import { rbacSubject, ROLE_RULES, roleName, type TenantRole } from './rbac.js';
import type { DesiredObject } from '../objects/model.js';
import { sortForApply } from '../objects/order.js';

export const QUOTA_NAME = 'tenant-quota';
export const LIMITS_NAME = 'tenant-limits';
export const DEFAULT_DENY_POLICY = 'default-deny';
export const ALLOW_MESH_POLICY = 'allow-from-mesh';
export const ALLOW_SCRAPE_POLICY = 'allow-prometheus-scrape';

export function buildTenant(c: PlatformConfig, _r: Region, t: Tenant): { objects: DesiredObject[] } {
  const ns = tenantNamespace(t);
  const tier = TIERS[t.plan];
  const objects: DesiredObject[] = [
    desired(tenantNamespaceObject(c, t)),
    desired(new ResourceQuota({ metadata: { name: QUOTA_NAME, namespace: ns }, spec: { hard: quotaHard(tier) } })),
    desired(
      new LimitRange({
        metadata: { name: LIMITS_NAME, namespace: ns },
        // Requests = limits by default: the same Guaranteed QoS the app stack gives declared services.
        spec: { limits: [{ type: 'Container', default: containerDefaults(tier), defaultRequest: containerDefaults(tier) }] },
      }),
    ),
    ...roles(t),
    ...networkPolicies(c, ns),
  ];
  return { objects: sortForApply(objects) };
}

/** The plan's default container limit, plus ephemeral storage (logs, scratch space). */
const containerDefaults = (tier: Tier): Record<string, string> => ({ ...tier.defaultLimit, 'ephemeral-storage': DEFAULT_EPHEMERAL_STORAGE });

function tenantNamespaceObject(c: PlatformConfig, t: Tenant): Namespace {
  const labels: Record<string, string> = { [TENANT_LABEL]: t.name };
  if (meshEnabled(c)) labels['istio-injection'] = 'enabled';
  // Pod Security: our own workloads meet `restricted`. With Istio's sidecar injection (istio-init needs
  // NET_ADMIN unless Istio CNI is installed) only `baseline` can be enforced; warn/audit stay restricted.
  labels['pod-security.kubernetes.io/enforce'] = meshEnabled(c) ? 'baseline' : 'restricted';
  labels['pod-security.kubernetes.io/warn'] = 'restricted';
  labels['pod-security.kubernetes.io/audit'] = 'restricted';
  return new Namespace({ metadata: { name: tenantNamespace(t), labels } });
}

/** The plan tier as ResourceQuota `hard`; an unlimited (null) count is left out, not set to a big number. */
export function quotaHard(tier: Tier): Record<string, string> {
  const hard: Record<string, string> = {
    'limits.cpu': tier.cpu,
    'limits.memory': tier.memory,
    'requests.cpu': tier.cpu,
    'requests.memory': tier.memory,
  };
  if (tier.pods !== null) hard.pods = String(tier.pods);
  if (tier.services !== null) hard.services = String(tier.services);
  return hard;
}

function roles(t: Tenant): DesiredObject[] {
  const ns = tenantNamespace(t);
  const subjectsByRole = new Map<TenantRole, string[]>(ROLES.map((r) => [r, []]));
  subjectsByRole.get('owner')!.push(...t.owners);
  for (const m of t.members ?? []) subjectsByRole.get(m.role)!.push(m.subject);

  const out: DesiredObject[] = [];
  for (const role of ROLES) {
    const name = roleName(role);
    out.push(desired(new Role({ metadata: { name, namespace: ns }, rules: ROLE_RULES[role].map((r) => ({ ...r })) })));
    const subjects = [...new Set(subjectsByRole.get(role))].sort();
    // No binding without subjects: an empty RoleBinding is noise in drift reports.
    if (subjects.length === 0) continue;
    out.push(
      desired(
        new RoleBinding({
          metadata: { name, namespace: ns },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
          subjects: subjects.map(rbacSubject),
        }),
      ),
    );
  }
  return out;
}

const nsSelector = (name: string) => ({ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: name } } });

function networkPolicies(c: PlatformConfig, ns: string): DesiredObject[] {
  const out = [
    // No rules + both policy types = nothing in, nothing out, unless another policy allows it.
    new NetworkPolicy({ metadata: { name: DEFAULT_DENY_POLICY, namespace: ns }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } }),
    new NetworkPolicy({
      metadata: { name: ALLOW_MESH_POLICY, namespace: ns },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        // The ingress gateway and istiod live in istio-system; pods of the tenant talk to each other.
        ingress: [{ from: [nsSelector(ISTIO_NAMESPACE), { podSelector: {} }] }],
        egress: [
          {
            to: [nsSelector(KUBE_SYSTEM_NAMESPACE)],
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
          { to: [nsSelector(ISTIO_NAMESPACE), { podSelector: {} }] },
        ],
      },
    }),
  ];
  // Prometheus (namespace `monitoring`) scrapes the ServiceMonitors of the app stacks.
  const policies = out.map((p) => desired(p));
  if (c.observability?.prometheus?.enabled) {
    const scrape = new NetworkPolicy({
      metadata: { name: ALLOW_SCRAPE_POLICY, namespace: ns },
      spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [nsSelector(MONITORING_NAMESPACE)] }] },
    });
    policies.push(fromEntry(['observability', 'prometheus'], desired(scrape)));
  }
  return policies;
}
