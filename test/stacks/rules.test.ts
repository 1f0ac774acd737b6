/** One test (or a few) per rule of the stack catalog. Each builds its own small config in code. */
import { describe, expect, it } from 'vitest';
import { PLANS, type PlatformConfig } from '../../src/config/schema.js';
import { buildApp } from '../../src/stacks/app.js';
import { buildCluster } from '../../src/stacks/cluster.js';
import { buildMesh } from '../../src/stacks/mesh.js';
import { buildObservability } from '../../src/stacks/observability.js';
import { planStacks } from '../../src/stacks/plan.js';
import { errorBudget } from '../../src/stacks/slo.js';
import { buildTenant } from '../../src/stacks/tenant.js';
import { LAYERS, type StackInstance } from '../../src/stacks/types.js';
import { allObjects, EXAMPLES, find, loadExample, makeConfig, validateManifest, type Json } from './helpers.js';
import type { KubeObject } from '../../src/objects/model.js';

const region = (c: PlatformConfig, name = 'eu') => c.regions.find((r) => r.name === name)!;
const manifests = (b: { objects: Array<{ manifest: KubeObject }> }) => b.objects.map((o) => o.manifest);
const byKind = (b: { objects: Array<{ manifest: KubeObject }> }, kind: string, name?: string): Json =>
  manifests(b).find((m) => m.kind === kind && (name === undefined || m.metadata.name === name));

function tenantStack(c: PlatformConfig, tenant = c.tenants[0]) {
  return buildTenant(c, region(c), tenant);
}
function appStack(c: PlatformConfig, service = c.services[0]) {
  const tenant = c.tenants.find((t) => t.name === service.tenant)!;
  return buildApp(c, region(c), tenant, service);
}

describe('tenant quota and limits follow the plan tier (docs/config.md table)', () => {
  // The table of docs/config.md "Plan tiers", restated here on purpose: the test checks the code against the spec.
  const expected: Record<(typeof PLANS)[number], { pods?: string; services?: string; cpu: string; memory: string; limit: { cpu: string; memory: string } }> = {
    free: { pods: '10', services: '5', cpu: '2', memory: '4Gi', limit: { cpu: '250m', memory: '256Mi' } },
    starter: { pods: '100', services: '20', cpu: '8', memory: '16Gi', limit: { cpu: '500m', memory: '512Mi' } },
    professional: { pods: '500', services: '100', cpu: '32', memory: '64Gi', limit: { cpu: '1', memory: '1Gi' } },
    enterprise: { cpu: '128', memory: '256Gi', limit: { cpu: '2', memory: '2Gi' } },
  };
  it.each(PLANS)('%s', (plan) => {
    const c = makeConfig({ tenants: [{ name: 'team-a', plan, owners: ['o@example.com'] }] });
    const built = tenantStack(c);
    const quota = byKind(built, 'ResourceQuota');
    const want = expected[plan];
    const hard: Record<string, string> = { 'limits.cpu': want.cpu, 'limits.memory': want.memory, 'requests.cpu': want.cpu, 'requests.memory': want.memory };
    if (want.pods) hard.pods = want.pods;
    if (want.services) hard.services = want.services;
    // toEqual on the whole map: an unlimited count must be absent, not a large number.
    expect(quota.spec.hard).toEqual(hard);
    expect(quota.metadata.namespace).toBe('team-a');
    const limits = byKind(built, 'LimitRange').spec.limits;
    // The plan's limit, plus ephemeral storage (logs, scratch space): what a pod without resources gets.
    const defaults = { ...want.limit, 'ephemeral-storage': '1Gi' };
    expect(limits).toEqual([{ type: 'Container', default: defaults, defaultRequest: defaults }]);
  });
});

/** A minimal RBAC authorizer over Role manifests: does any rule allow verb on group/resource? */
function allows(role: Json, group: string, resource: string, verb: string): boolean {
  return (role.rules as Json[]).some(
    (r) =>
      (r.apiGroups.includes(group) || r.apiGroups.includes('*')) &&
      (r.resources.includes(resource) || r.resources.includes('*')) &&
      (r.verbs.includes(verb) || r.verbs.includes('*')) &&
      r.resourceNames === undefined,
  );
}

describe('tenant roles (docs/config.md: owner, admin, developer, viewer, billing)', () => {
  const c = makeConfig({
    tenants: [
      {
        name: 'team-a',
        plan: 'professional',
        owners: ['owner@example.com', 'group:team-a-leads'],
        members: [
          { subject: 'dev@example.com', role: 'developer' },
          { subject: 'dev2@example.com', role: 'developer' },
          { subject: 'view@example.com', role: 'viewer' },
          { subject: 'money@example.com', role: 'billing' },
        ],
      },
    ],
  });
  const built = tenantStack(c);
  const role = (r: string): Json => byKind(built, 'Role', `tenant-${r}`);

  it('declares all five roles', () => {
    expect(
      manifests(built)
        .filter((m) => m.kind === 'Role')
        .map((m) => m.metadata.name)
        .sort(),
    ).toEqual(['tenant-admin', 'tenant-billing', 'tenant-developer', 'tenant-owner', 'tenant-viewer']);
  });

  it('viewer reads workloads but never Secrets, and writes nothing', () => {
    const v = role('viewer');
    expect(allows(v, '', 'pods', 'list')).toBe(true);
    expect(allows(v, 'apps', 'deployments', 'get')).toBe(true);
    for (const verb of ['get', 'list', 'watch']) expect(allows(v, '', 'secrets', verb)).toBe(false);
    for (const r of v.rules as Json[]) expect(r.verbs.every((x: string) => ['get', 'list', 'watch'].includes(x))).toBe(true);
  });

  it('billing only reads ResourceQuota and LimitRange', () => {
    const b = role('billing');
    expect(allows(b, '', 'resourcequotas', 'get')).toBe(true);
    expect(allows(b, '', 'limitranges', 'list')).toBe(true);
    for (const r of b.rules as Json[]) {
      expect(r.apiGroups).toEqual(['']);
      expect(r.resources.every((x: string) => ['resourcequotas', 'resourcequotas/status', 'limitranges'].includes(x))).toBe(true);
      expect(r.verbs.every((x: string) => ['get', 'list', 'watch'].includes(x))).toBe(true);
    }
    expect(allows(b, '', 'pods', 'list')).toBe(false);
  });

  it('developer edits workloads but not RBAC or quota', () => {
    const d = role('developer');
    expect(allows(d, 'apps', 'deployments', 'create')).toBe(true);
    expect(allows(d, '', 'secrets', 'update')).toBe(true);
    expect(allows(d, '', 'pods/log', 'get')).toBe(true);
    expect(allows(d, 'rbac.authorization.k8s.io', 'rolebindings', 'create')).toBe(false);
    expect(allows(d, 'rbac.authorization.k8s.io', 'roles', 'update')).toBe(false);
    expect(allows(d, '', 'resourcequotas', 'update')).toBe(false);
    expect(allows(d, '', 'limitranges', 'delete')).toBe(false);
  });

  it('admin administers the namespace; only owner also manages role bindings; nobody writes quota', () => {
    const a = role('admin');
    const o = role('owner');
    expect(allows(a, 'networking.k8s.io', 'networkpolicies', 'update')).toBe(true);
    expect(allows(a, 'rbac.authorization.k8s.io', 'rolebindings', 'create')).toBe(false);
    expect(allows(o, 'rbac.authorization.k8s.io', 'rolebindings', 'create')).toBe(true);
    for (const r of ['owner', 'admin', 'developer', 'viewer', 'billing']) {
      expect(allows(role(r), '', 'resourcequotas', 'update')).toBe(false);
      expect(allows(role(r), '', 'namespaces', 'delete')).toBe(false);
    }
  });

  it('binds owners to owner and members to their role; groups as Group subjects', () => {
    const binding = (r: string): Json => byKind(built, 'RoleBinding', `tenant-${r}`);
    expect(binding('owner').roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'tenant-owner' });
    expect(binding('owner').subjects).toEqual([
      { kind: 'Group', name: 'team-a-leads', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'User', name: 'owner@example.com', apiGroup: 'rbac.authorization.k8s.io' },
    ]);
    expect(binding('developer').subjects.map((s: Json) => s.name)).toEqual(['dev2@example.com', 'dev@example.com'].sort());
    expect(binding('viewer').subjects.map((s: Json) => s.name)).toEqual(['view@example.com']);
    expect(binding('billing').subjects.map((s: Json) => s.name)).toEqual(['money@example.com']);
    expect(binding('admin')).toBeUndefined(); // no admin members: no empty binding
  });
});

describe('tenant network policy', () => {
  it('denies all ingress and egress by default and allows the mesh, the namespace and DNS', () => {
    const c = makeConfig({ mesh: { istio: { enabled: true } } });
    const built = tenantStack(c);
    const deny = byKind(built, 'NetworkPolicy', 'default-deny');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });

    const allow = byKind(built, 'NetworkPolicy', 'allow-from-mesh');
    const ns = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
    expect(allow.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(allow.spec.ingress).toEqual([{ from: [ns('istio-system'), { podSelector: {} }] }]);
    const dns = allow.spec.egress.find((e: Json) => e.ports);
    expect(dns.to).toEqual([ns('kube-system')]);
    expect(dns.ports).toEqual(
      expect.arrayContaining([
        { protocol: 'UDP', port: 53 },
        { protocol: 'TCP', port: 53 },
      ]),
    );
    expect(allow.spec.egress).toContainEqual({ to: [ns('istio-system'), { podSelector: {} }] });
    // No rule anywhere opens a namespace or the world wholesale.
    for (const p of manifests(built).filter((m) => m.kind === 'NetworkPolicy') as Json[]) {
      for (const rule of [...(p.spec.ingress ?? []), ...(p.spec.egress ?? [])]) {
        expect(rule.from ?? rule.to).toBeDefined();
        expect(JSON.stringify(rule)).not.toContain('ipBlock');
      }
    }
  });

  it('lets Prometheus in only when it is enabled', () => {
    expect(byKind(tenantStack(makeConfig()), 'NetworkPolicy', 'allow-prometheus-scrape')).toBeUndefined();
    const withProm = tenantStack(makeConfig({ observability: { prometheus: { enabled: true } } }));
    expect(byKind(withProm, 'NetworkPolicy', 'allow-prometheus-scrape').spec.ingress[0].from[0].namespaceSelector.matchLabels).toEqual({
      'kubernetes.io/metadata.name': 'monitoring',
    });
  });

  it('labels the namespace for sidecar injection only with Istio', () => {
    expect(byKind(tenantStack(makeConfig()), 'Namespace').metadata.labels['istio-injection']).toBeUndefined();
    expect(byKind(tenantStack(makeConfig({ mesh: { istio: { enabled: true } } })), 'Namespace').metadata.labels['istio-injection']).toBe('enabled');
  });
});

describe('app', () => {
  const svc = { name: 'web', tenant: 'team-a', image: 'ghcr.io/acme/web:1.0.0', port: 8080 };

  it('with an HPA leaves spec.replicas to it; without, sets the configured count', () => {
    const auto = appStack(makeConfig({ services: [{ ...svc, replicas: 3, autoscale: { min: 2, max: 5, cpuPercent: 60 } }] }));
    const hpa = byKind(auto, 'HorizontalPodAutoscaler');
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 5, scaleTargetRef: { kind: 'Deployment', name: 'web' } });
    expect(hpa.spec.metrics[0].resource.target.averageUtilization).toBe(60);
    expect(byKind(auto, 'Deployment', 'web').spec).not.toHaveProperty('replicas');

    const fixed = appStack(makeConfig({ services: [{ ...svc, replicas: 3 }] }));
    expect(byKind(fixed, 'HorizontalPodAutoscaler')).toBeUndefined();
    expect(byKind(fixed, 'Deployment', 'web').spec.replicas).toBe(3);
  });

  it('hardens the pod and sets requests = limits and probes on the port', () => {
    const built = appStack(makeConfig({ services: [{ ...svc, resources: { cpu: '300m', memory: '300Mi' }, probes: { path: '/ready' } }] }));
    const pod = byKind(built, 'Deployment', 'web').spec.template.spec;
    const ctr = pod.containers[0];
    expect(ctr.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      fsGroup: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(ctr.resources.requests).toEqual({ cpu: '300m', memory: '300Mi', 'ephemeral-storage': '1Gi' });
    expect(ctr.resources.limits).toEqual(ctr.resources.requests);
    expect(ctr.readinessProbe.httpGet).toEqual({ path: '/ready', port: 8080 });
    expect(ctr.livenessProbe.httpGet).toEqual({ path: '/ready', port: 8080 });
    expect(ctr.livenessProbe).not.toEqual(ctr.readinessProbe);
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } }]);
    expect(pod.topologySpreadConstraints.map((t: Json) => [t.topologyKey, t.whenUnsatisfiable])).toEqual([
      ['topology.kubernetes.io/zone', 'ScheduleAnyway'],
      ['kubernetes.io/hostname', 'ScheduleAnyway'],
    ]);
    // Its own ServiceAccount, and no API token mounted.
    expect(pod.serviceAccountName).toBe('web');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(byKind(built, 'ServiceAccount', 'web')).toMatchObject({ metadata: { namespace: 'team-a' }, automountServiceAccountToken: false });
    // Without a health path: TCP probes on the port, liveness the more patient one.
    const noPath = byKind(
      appStack(makeConfig({ services: [{ ...svc, resources: { cpu: '1', memory: '1Gi', ephemeralStorage: '2Gi' } }] })),
      'Deployment',
      'web',
    ).spec.template.spec.containers[0];
    expect(noPath.readinessProbe).toMatchObject({ tcpSocket: { port: 'http' }, periodSeconds: 10 });
    expect(noPath.livenessProbe).toMatchObject({ tcpSocket: { port: 'http' }, periodSeconds: 20 });
    expect(noPath.resources.limits['ephemeral-storage']).toBe('2Gi');
  });

  it('mounts an API token only for a service that asks for API access, and says so on the pod', () => {
    const template = byKind(appStack(makeConfig({ services: [{ ...svc, apiAccess: true }] })), 'Deployment', 'web').spec.template;
    expect(template.spec.automountServiceAccountToken).toBe(true);
    expect(template.metadata.annotations).toEqual({ 'platform.dev/api-access': 'true' });
  });

  it.each([0, 5, 10, 50, 99, 100])('canary weight %i: VirtualService weights sum to 100 over subsets that exist', (weight) => {
    const c = makeConfig({
      services: [{ ...svc, canary: { image: 'ghcr.io/acme/web:2.0.0', weight } }],
      mesh: { istio: { enabled: true, outlierDetection: { consecutive5xxErrors: 7, intervalSeconds: 10, baseEjectionSeconds: 45 } } },
    });
    const built = appStack(c);
    const vs = byKind(built, 'VirtualService');
    const routes = vs.spec.http[0].route as Json[];
    expect(routes.reduce((n: number, r: { weight: number }) => n + r.weight, 0)).toBe(100);
    expect(routes.find((r) => r.destination.subset === 'canary').weight).toBe(weight);
    const dr = byKind(built, 'DestinationRule');
    expect(dr.spec.host).toBe(vs.spec.hosts[0]);
    expect(dr.spec.trafficPolicy.outlierDetection).toEqual({ consecutive5xxErrors: 7, interval: '10s', baseEjectionTime: '45s' });
    // Each subset selects the pods of exactly one Deployment.
    for (const subset of dr.spec.subsets as Json[]) {
      const deployments = manifests(built).filter((m: Json) => m.kind === 'Deployment' && m.spec.template.metadata.labels.version === subset.labels.version);
      expect(deployments).toHaveLength(1);
    }
    const canary = byKind(built, 'Deployment', 'web-canary');
    expect(canary.spec.replicas).toBe(1);
    expect(canary.spec.template.spec.containers[0].image).toBe('ghcr.io/acme/web:2.0.0');
    expect(byKind(built, 'Deployment', 'web').metadata.labels.version).toBe('stable');
  });

  it('without Istio a canary is only the second Deployment', () => {
    const built = appStack(makeConfig({ services: [{ ...svc, canary: { image: 'x:2', weight: 20 } }] }));
    expect(byKind(built, 'Deployment', 'web-canary')).toBeDefined();
    expect(byKind(built, 'VirtualService')).toBeUndefined();
    expect(byKind(built, 'DestinationRule')).toBeUndefined();
  });

  it('secretEnv becomes a Secret with no data, named variables only, referenced by envFrom', () => {
    const c = makeConfig({ services: [{ ...svc, env: { B: '2', A: '1' }, secretEnv: { DB_PASSWORD: 'env:WEB_DB_PASSWORD', API_KEY: 'env:WEB_API_KEY' } }] });
    const previous = process.env.WEB_DB_PASSWORD;
    process.env.WEB_DB_PASSWORD = 'hunter2-must-not-leak';
    try {
      const built = appStack(c);
      const secret = built.objects.find((o) => o.manifest.kind === 'Secret')!;
      expect(secret.manifest.metadata.name).toBe('web-env');
      expect(secret.manifest).not.toHaveProperty('data');
      expect(secret.manifest).not.toHaveProperty('stringData');
      expect(secret.secretEnv).toEqual({ API_KEY: 'WEB_API_KEY', DB_PASSWORD: 'WEB_DB_PASSWORD' });
      const ctr = byKind(built, 'Deployment', 'web').spec.template.spec.containers[0];
      expect(ctr.envFrom).toEqual([{ secretRef: { name: 'web-env' } }]);
      expect(ctr.env).toEqual([
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ]);
      expect(JSON.stringify(planStacks(c))).not.toContain('hunter2');
    } finally {
      if (previous === undefined) delete process.env.WEB_DB_PASSWORD;
      else process.env.WEB_DB_PASSWORD = previous;
    }
  });

  it('adds a ServiceMonitor only with Prometheus, selecting the Service', () => {
    expect(byKind(appStack(makeConfig()), 'ServiceMonitor')).toBeUndefined();
    const built = appStack(makeConfig({ observability: { prometheus: { enabled: true } } }));
    const sm = byKind(built, 'ServiceMonitor');
    expect(sm.spec.selector.matchLabels).toEqual(byKind(built, 'Service').metadata.labels);
    expect(sm.spec.endpoints[0].port).toBe(byKind(built, 'Service').spec.ports[0].name);
  });

  it('PDB and Service select the pods the Deployments create', () => {
    const built = appStack(makeConfig({ services: [{ ...svc, canary: { image: 'x:2', weight: 20 } }] }));
    const podLabels = manifests(built)
      .filter((m) => m.kind === 'Deployment')
      .map((d: Json) => d.spec.template.metadata.labels);
    const matches = (sel: Record<string, string>, labels: Record<string, string>) => Object.entries(sel).every(([k, v]) => labels[k] === v);
    expect(podLabels.filter((l) => matches(byKind(built, 'Service').spec.selector, l))).toHaveLength(2);
    expect(podLabels.filter((l) => matches(byKind(built, 'PodDisruptionBudget').spec.selector.matchLabels, l))).toHaveLength(1);
  });
});

describe('mesh', () => {
  const hosts = ['shop.example.com', 'api.example.com'];
  const c = makeConfig({
    tenants: [
      { name: 'team-a', plan: 'free', owners: ['a@example.com'] },
      { name: 'team-b', plan: 'free', owners: ['b@example.com'] },
    ],
    mesh: { istio: { enabled: true, mtls: 'PERMISSIVE', gateway: { hosts } } },
  });

  it('owns istio-system in every region (it installs Istio there)', () => {
    expect(byKind(buildMesh(c, region(c)), 'Namespace', 'istio-system')).toBeDefined();
    const cloud = makeConfig({ ...c, regions: [{ name: 'eu', cloud: 'aws', location: 'eu-west-1', role: 'primary' }] } as Json);
    const built = buildMesh(cloud, region(cloud));
    expect(byKind(built, 'Namespace', 'istio-system')).toBeDefined();
    expect(built.installs.map((i) => i.kind)).toEqual(['helm-chart', 'helm-chart']);
  });

  it('declares the gateway, the mesh-wide mTLS mode and one policy per tenant, all in istio-system', () => {
    const built = buildMesh(c, region(c));
    const gw = byKind(built, 'Gateway');
    expect(gw.spec.selector).toEqual({ istio: 'ingressgateway' });
    expect(gw.spec.servers).toEqual([{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts }]);
    expect(byKind(built, 'PeerAuthentication').spec).toEqual({ mtls: { mode: 'PERMISSIVE' } });
    const policies = manifests(built).filter((m) => m.kind === 'AuthorizationPolicy') as Json[];
    expect(policies.map((p) => p.spec.selector.matchLabels['platform.dev/tenant'])).toEqual(['team-a', 'team-b']);
    for (const p of policies) {
      const tenant = p.spec.selector.matchLabels['platform.dev/tenant'];
      const sources = p.spec.rules.flatMap((r: Json) => r.from.map((f: Json) => f.source));
      expect(sources).toContainEqual({ namespaces: [tenant] });
      expect(sources.flatMap((s: Json) => s.principals ?? [])).toContain('cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account');
      // never another tenant's namespace or identity
      const other = tenant === 'team-a' ? 'team-b' : 'team-a';
      expect(JSON.stringify(sources)).not.toContain(other);
    }
    for (const m of manifests(built)) if (m.kind !== 'Namespace') expect(m.metadata.namespace).toBe('istio-system');
  });

  it('is empty when Istio is off', () => {
    expect(buildMesh(makeConfig(), region(makeConfig())).objects).toEqual([]);
  });
});

describe('observability', () => {
  const c = makeConfig({
    services: [
      { name: 'web', tenant: 'team-a', image: 'x:1', port: 8080, slo: { availability: 99.5, latencyP95Ms: 200 } },
      { name: 'worker', tenant: 'team-a', image: 'x:1', port: 8080 },
      { name: 'eu-only', tenant: 'team-a', image: 'x:1', port: 8080, slo: { availability: 99 }, regions: ['eu'] },
    ],
    observability: { prometheus: { enabled: true }, grafana: { enabled: true } },
  });

  it('has one PrometheusRule per service with an SLO deployed in the region', () => {
    const names = (r: string) =>
      manifests(buildObservability(c, region(c, r)))
        .filter((m) => m.kind === 'PrometheusRule')
        .map((m) => m.metadata.name);
    expect(names('eu')).toEqual(['slo-team-a-eu-only', 'slo-team-a-web']);
    expect(names('us')).toEqual(['slo-team-a-web']);
  });

  it('derives burn-rate thresholds from the availability target', () => {
    expect(errorBudget(99.9)).toBe(0.001);
    expect(errorBudget(99.95)).toBe(0.0005);
    const rule = byKind(buildObservability(c, region(c)), 'PrometheusRule', 'slo-team-a-web');
    const alerts = rule.spec.groups.flatMap((g: Json) => g.rules).filter((r: Json) => r.alert);
    const fast = alerts.find((a: Json) => a.alert === 'SLOErrorBudgetBurnFast');
    const slow = alerts.find((a: Json) => a.alert === 'SLOErrorBudgetBurnSlow');
    expect(fast.labels.severity).toBe('page');
    expect(slow.labels.severity).toBe('ticket');
    const web = `{sloth_id="web.team-a-availability", sloth_service="web.team-a", sloth_slo="availability"}`;
    for (const w of ['5m', '1h']) expect(fast.expr).toContain(`max(slo:sli_error:ratio_rate${w}${web} > (14.4 * 0.005)) without (sloth_window)`);
    for (const w of ['30m', '6h']) expect(fast.expr).toContain(`max(slo:sli_error:ratio_rate${w}${web} > (6 * 0.005)) without (sloth_window)`);
    for (const w of ['2h', '1d']) expect(slow.expr).toContain(`max(slo:sli_error:ratio_rate${w}${web} > (3 * 0.005)) without (sloth_window)`);
    for (const w of ['6h', '3d']) expect(slow.expr).toContain(`max(slo:sli_error:ratio_rate${w}${web} > (1 * 0.005)) without (sloth_window)`);
    // latencyP95Ms: 200 is a latency SLO (95% within 200 ms) with the same two alerts, budget 5%.
    const latencyFast = alerts.find((a: Json) => a.alert === 'SLOErrorBudgetBurnFast' && a.labels.slo === 'latency');
    expect(latencyFast.expr).toContain('(14.4 * 0.05)');
    const records = rule.spec.groups.flatMap((g: Json) => g.rules).filter((r: Json) => r.record);
    const availability = records.filter((r: Json) => r.labels.sloth_slo === 'availability').map((r: Json) => r.record);
    expect(availability).toEqual([
      'slo:sli_error:ratio_rate5m',
      'slo:sli_error:ratio_rate30m',
      'slo:sli_error:ratio_rate1h',
      'slo:sli_error:ratio_rate2h',
      'slo:sli_error:ratio_rate6h',
      'slo:sli_error:ratio_rate1d',
      'slo:sli_error:ratio_rate3d',
      'slo:sli_bad_events:rate5m',
      'slo:sli_events:rate5m',
      'slo:sli_error:ratio_rate30d',
      'slo:objective:ratio',
      'slo:error_budget:ratio',
      'slo:time_period:days',
      'slo:current_burn_rate:ratio',
      'slo:period_burn_rate:ratio',
      'slo:period_error_budget_remaining:ratio',
      'sloth_slo_info',
    ]);
    expect(records.filter((r: Json) => r.labels.sloth_slo === 'latency').map((r: Json) => r.record)).toEqual(availability);
    // The p95 threshold alert is an opt-in extra now (slo.latency.p95AlertMs), not what latencyP95Ms means.
    expect(records.map((r: Json) => r.record)).not.toContain('slo:sli_latency_p95:milliseconds_rate5m');
    // Without Istio the SLI is the app's own http_requests_total, scraped under job=<service>.
    expect(JSON.stringify(rule)).toContain('http_requests_total{namespace=\\"team-a\\",job=\\"web\\"');
  });

  it('uses the Istio SLI when the mesh is on', () => {
    const withMesh = makeConfig({ ...c, mesh: { istio: { enabled: true } } });
    const rule = byKind(buildObservability(withMesh, region(withMesh)), 'PrometheusRule', 'slo-team-a-web');
    expect(JSON.stringify(rule)).toContain(
      'istio_requests_total{reporter=\\"destination\\",destination_service_namespace=\\"team-a\\",destination_service_name=\\"web\\"',
    );
  });

  it('writes one valid, deterministic Grafana dashboard ConfigMap per tenant', () => {
    const cms = manifests(buildObservability(c, region(c))).filter((m) => m.kind === 'ConfigMap' && m.metadata.labels?.grafana_dashboard) as Json[];
    expect(cms.map((m) => m.metadata.name)).toEqual(['dashboard-team-a']);
    const cm = cms[0];
    expect(cm.metadata.labels.grafana_dashboard).toBe('1');
    const dashboard = JSON.parse(cm.data['team-a.json']);
    expect(dashboard).toMatchObject({ uid: 'acme-team-a', title: 'acme / team-a', schemaVersion: expect.any(Number) });
    const ids = dashboard.panels.map((p: Json) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of dashboard.panels) {
      const { x, w } = p.gridPos as { x: number; w: number };
      expect(x + w).toBeLessThanOrEqual(24);
      expect(p.targets.length).toBeGreaterThan(0);
      for (const t of p.targets) expect(t.expr).toMatch(/\S/);
    }
    expect(dashboard.panels.map((p: Json) => p.title)).toEqual(expect.arrayContaining(['web: error ratio', 'worker: p95 latency', 'eu-only: requests/s']));
    expect(manifests(buildObservability(c, region(c)))).toEqual(manifests(buildObservability(c, region(c))));
  });

  it('scrapes the sidecars (source of the Istio SLI) only with Istio and Prometheus', () => {
    const monitors = (cfg: PlatformConfig) => manifests(buildObservability(cfg, region(cfg))).filter((m) => m.kind === 'PodMonitor') as Json[];
    expect(monitors(c)).toEqual([]);
    const withMesh = makeConfig({ ...c, mesh: { istio: { enabled: true } } });
    const [pm] = monitors(withMesh);
    expect(pm.spec.namespaceSelector).toEqual({ any: true });
    expect(pm.spec.podMetricsEndpoints[0].path).toBe('/stats/prometheus');
    const grafanaOnly = makeConfig({ ...withMesh, observability: { grafana: { enabled: true } } });
    expect(monitors(grafanaOnly)).toEqual([]);
  });

  it('leaves out rules without Prometheus and dashboards without Grafana', () => {
    const lokiOnly = makeConfig({ ...c, observability: { loki: { enabled: true } } });
    // Only the namespace and Loki itself: no rules, no monitors, no dashboards, no Grafana.
    expect(manifests(buildObservability(lokiOnly, region(lokiOnly))).map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      'Namespace/monitoring',
      'ServiceAccount/loki',
      'ConfigMap/loki',
      'Service/loki',
      'StatefulSet/loki',
    ]);
  });
});

describe('cluster and DR', () => {
  const dr = { rpoMinutes: 90, rtoMinutes: 30, backupSchedule: '*/45 * * * *', failover: 'dns' as const };
  const goMinutes = (d: string) => {
    const m = /^(\d+)h(\d+)m0s$/.exec(d)!;
    return Number(m[1]) * 60 + Number(m[2]);
  };

  it('puts the backup location and schedule only in the primary, Velero itself in every region', () => {
    const c = makeConfig({
      dr,
      tenants: [
        { name: 'zeta', plan: 'free', owners: ['z@x'] },
        { name: 'alpha', plan: 'free', owners: ['a@x'] },
      ],
      services: [],
    });
    const primary = buildCluster(c, region(c, 'eu'));
    const secondary = buildCluster(c, region(c, 'us'));
    expect(manifests(secondary).map((m) => m.kind)).toEqual(['Namespace']);
    expect(manifests(primary).map((m) => m.kind)).toEqual(['Namespace', 'BackupStorageLocation', 'Schedule']);
    expect([primary, secondary].map((b) => b.installs.map((i) => i.kind))).toEqual([['velero'], ['velero']]);
    const schedule = byKind(primary, 'Schedule');
    expect(schedule.apiVersion).toBe('velero.io/v1');
    expect(schedule.spec.schedule).toBe('*/45 * * * *');
    expect(schedule.spec.template.includedNamespaces).toEqual(['alpha', 'zeta']);
    expect(schedule.spec.template.storageLocation).toBe(byKind(primary, 'BackupStorageLocation').metadata.name);
    expect(goMinutes(schedule.spec.template.ttl)).toBeGreaterThanOrEqual(2 * dr.rpoMinutes);
  });

  it('keeps backups at least 2× the RPO even for a long RPO', () => {
    const c = makeConfig({ dr: { ...dr, rpoMinutes: 10_000, backupSchedule: '0 0 * * *' } });
    expect(goMinutes(byKind(buildCluster(c, region(c)), 'Schedule').spec.template.ttl)).toBeGreaterThanOrEqual(20_000);
  });

  it('has no Velero and no cloud intents without dr: in local regions', () => {
    const c = makeConfig();
    expect(buildCluster(c, region(c))).toEqual({ objects: [], cloud: [], installs: [] });
  });

  it('declares cloud intents for real clouds: replication and DNS roles follow the region role', () => {
    const c = makeConfig({
      regions: [
        { name: 'eu', cloud: 'aws', location: 'eu-west-1', role: 'primary' },
        { name: 'us', cloud: 'gcp', location: 'us-east1', role: 'dr' },
      ],
      dr,
      mesh: { istio: { enabled: true, gateway: { hosts: ['a.example', 'b.example'] } } },
    });
    const eu = buildCluster(c, region(c, 'eu')).cloud;
    const us = buildCluster(c, region(c, 'us')).cloud;
    expect(eu.map((i) => i.kind)).toEqual(['network', 'cluster', 'backupBucket', 'backupIdentity', 'dnsFailover', 'dnsFailover']);
    const bucket = (xs: typeof eu) => xs.find((i) => i.kind === 'backupBucket') as Extract<(typeof eu)[number], { kind: 'backupBucket' }>;
    expect(bucket(eu).replicateTo).toEqual({ region: 'us', location: 'us-east1', cloud: 'gcp', bucket: bucket(us).name });
    expect(bucket(us).replicateTo).toBeUndefined();
    const dns = (xs: typeof eu) => xs.filter((i) => i.kind === 'dnsFailover').map((i) => [i.host, i.role]);
    expect(dns(eu)).toEqual([
      ['a.example', 'primary'],
      ['b.example', 'primary'],
    ]);
    expect(dns(us)).toEqual([
      ['a.example', 'secondary'],
      ['b.example', 'secondary'],
    ]);
    const cluster = eu.find((i) => i.kind === 'cluster')!;
    expect(cluster.pools.map((p) => p.role)).toEqual(['system', 'workload']);
    const nets = [eu, us].map((xs) => xs.find((i) => i.kind === 'network')).map((n) => n?.kind === 'network' && n.cidr);
    expect(new Set(nets).size).toBe(2);
    // Reordering regions must not move a network (that would replace it); only the source line moves.
    const swapped = makeConfig({ ...c, regions: [...c.regions].reverse() });
    const withoutSource = (xs: typeof eu) => xs.map(({ source: _source, ...intent }) => intent);
    expect(withoutSource(buildCluster(swapped, region(swapped, 'eu')).cloud)).toEqual(withoutSource(eu));
  });
});

describe('planned DAG', () => {
  const configs: Array<[string, PlatformConfig]> = [
    ...EXAMPLES.map((f): [string, PlatformConfig] => [f, loadExample(f)]),
    ['no mesh, no observability', makeConfig()],
    ['observability without mesh', makeConfig({ observability: { grafana: { enabled: true } } })],
  ];

  it.each(configs)('%s: every dependency exists, no cycle, layers in order within a region', (_name, c) => {
    const stacks = planStacks(c);
    const byId = new Map(stacks.map((s) => [s.id, s]));
    expect(byId.size).toBe(stacks.length);
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (s: StackInstance): void => {
      expect(state.get(s.id), `cycle through ${s.id}`).not.toBe('visiting');
      if (state.get(s.id) === 'done') return;
      state.set(s.id, 'visiting');
      for (const d of s.dependsOn) {
        const dep = byId.get(d);
        expect(dep, `${s.id} depends on missing ${d}`).toBeDefined();
        if (dep!.region.name === s.region.name) expect(LAYERS.indexOf(dep!.layer)).toBeLessThan(LAYERS.indexOf(s.layer));
        else {
          // The only edge across regions: a primary's cluster stack after the DR cluster its bucket replicates to.
          expect([s.layer, dep!.layer, s.region.role, dep!.region.role]).toEqual(['cluster', 'cluster', 'primary', 'dr']);
          expect(s.cloud.some((i) => i.kind === 'backupBucket' && i.replicateTo?.region === dep!.region.name)).toBe(true);
        }
        visit(dep!);
      }
      state.set(s.id, 'done');
    };
    stacks.forEach(visit);
    // Every non-cluster stack reaches its region's cluster stack, and an app reaches its tenant.
    const ancestors = (s: StackInstance): string[] => s.dependsOn.flatMap((d) => [d, ...ancestors(byId.get(d)!)]);
    for (const s of stacks) {
      if (s.layer !== 'cluster') expect(ancestors(s)).toContain(`cluster/${s.region.name}`);
      if (s.layer === 'app') expect(s.dependsOn).toEqual([`tenant/${s.region.name}/${s.tenant}`]);
    }
  });

  it('chains cluster → mesh → observability → tenant → app in the local example', () => {
    const stacks = planStacks(loadExample('examples/local/platform.yaml'));
    const dep = (id: string) => stacks.find((s) => s.id === id)!.dependsOn;
    expect(dep('mesh/eu')).toEqual(['cluster/eu']);
    expect(dep('observability/eu')).toEqual(['mesh/eu']);
    expect(dep('tenant/eu/payments')).toEqual(['observability/eu']);
    expect(dep('app/eu/payments/checkout')).toEqual(['tenant/eu/payments']);
    expect(stacks.find((s) => s.id === 'app/us/search/indexer')).toBeUndefined(); // regions: [eu]
  });
});

describe('every object of every stack', () => {
  const kitchenSink = makeConfig({
    regions: [
      { name: 'eu', cloud: 'aws', location: 'eu-west-1', role: 'primary' },
      { name: 'us', cloud: 'azure', location: 'eastus', role: 'dr' },
    ],
    tenants: PLANS.map((plan, i) => ({
      name: `t-${plan}`,
      plan,
      owners: [`o${i}@example.com`],
      members: plan === 'free' ? [] : [{ subject: 'group:devs', role: 'developer' as const }],
    })),
    services: [
      {
        name: 'a',
        tenant: 't-free',
        image: 'x:1',
        port: 80,
        secretEnv: { K: 'env:V' },
        canary: { image: 'x:2', weight: 30 },
        slo: { availability: 99 },
        probes: { path: '/' },
      },
      { name: 'b', tenant: 't-enterprise', image: 'x:1', port: 9000, autoscale: { min: 1, max: 3, cpuPercent: 50 }, env: { X: 'y' } },
    ],
    mesh: { istio: { enabled: true, gateway: { hosts: ['h.example'] }, outlierDetection: {} } },
    observability: { prometheus: { enabled: true }, grafana: { enabled: true } },
    dr: { rpoMinutes: 60, rtoMinutes: 30, backupSchedule: '0 * * * *', failover: 'dns' },
  } as Json);
  const configs: Array<[string, PlatformConfig]> = [...EXAMPLES.map((f): [string, PlatformConfig] => [f, loadExample(f)]), ['kitchen sink', kitchenSink]];

  it.each(configs)('%s: passes its kubernetes-models validate()', (_name, c) => {
    let validated = 0;
    for (const m of allObjects(planStacks(c))) {
      if (validateManifest(m)) validated++;
      else expect(m.apiVersion, `${m.kind} has no model`).toBe('velero.io/v1');
    }
    expect(validated).toBeGreaterThan(10);
  });

  it.each(configs)('%s: Namespaces first, no object owned twice in a region, names are DNS-1123', (_name, c) => {
    const stacks = planStacks(c);
    const owner = new Map<string, string>();
    for (const s of stacks) {
      const kinds = s.objects.map((o) => o.manifest.kind);
      const firstOther = kinds.findIndex((k) => k !== 'Namespace');
      if (firstOther !== -1) expect(kinds.slice(firstOther)).not.toContain('Namespace');
      for (const { manifest: m } of s.objects) {
        const key = `${s.region.name}:${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`;
        expect(owner.get(key), `${key} owned by ${owner.get(key)} and ${s.id}`).toBeUndefined();
        owner.set(key, s.id);
        expect(m.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
        expect(m.metadata.labels?.['platform.dev/stack']).toBe(s.label);
      }
    }
  });

  it('namespaced objects only use namespaces some stack of the region (or the cluster) provides', () => {
    const stacks = planStacks(kitchenSink);
    const provided = new Set(['istio-system', 'kube-system']); // pre-installed in real clusters
    for (const m of allObjects(stacks)) if (m.kind === 'Namespace') provided.add(m.metadata.name);
    for (const m of allObjects(stacks)) if (m.metadata.namespace) expect(provided).toContain(m.metadata.namespace);
  });

  it('finds objects by name (sanity of the helper)', () => {
    const stacks = planStacks(kitchenSink);
    expect(
      find(
        stacks.find((s) => s.id === 'app/eu/t-free/a'),
        'Deployment',
        'a-canary',
      ),
    ).toBeDefined();
  });
});
