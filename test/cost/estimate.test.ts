/** The estimate: workloads, regions, tenants, both engines, determinism, before/after. */
import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { compareCosts } from '../../src/cost/delta.js';
import { CONFIG_RELOADER_DEFAULTS, splitNodePrice, workloadsOf } from '../../src/cost/workloads.js';
import type { Estimate } from '../../src/cost/estimate.js';
import { installName } from '../../src/stacks/types.js';
import { estimate, EXAMPLES, exampleConfig, pairConfig, PAIRS } from './fixtures.js';

const H = 730;

/** Two AWS regions, two tenants, three services; `services` replaces the services block. */
function estate(services: string, engine = 'terraform', extra = ''): string {
  return `apiVersion: platform.dev/v1
name: shop
engine: ${engine}
regions:
  - { name: eu, cloud: aws, location: eu-west-1, role: primary }
  - { name: us, cloud: aws, location: us-east-1, role: dr }
tenants:
  - { name: payments, plan: enterprise, owners: [a@example.com] }
  - { name: search, plan: free, owners: [b@example.com] }
dr: { rpoMinutes: 60, rtoMinutes: 30, backupSchedule: "*/30 * * * *" }
services:
${services}${extra}`;
}
const SERVICES = (
  checkoutReplicas: number,
) => `  - { name: checkout, tenant: payments, image: x/checkout:1, port: 8080, replicas: ${checkoutReplicas}, resources: { cpu: 500m, memory: 512Mi } }
  - { name: ledger, tenant: payments, image: x/ledger:1, port: 8080, resources: { cpu: 250m, memory: 256Mi }, autoscale: { min: 2, max: 6 } }
  - { name: indexer, tenant: search, image: x/indexer:1, port: 8080, replicas: 1, regions: [eu] }
`;
const cost = (text: string): Estimate => estimate(parseConfig(text, 'platform.yaml'));
const stack = (r: Estimate, id: string) => r.stacks.find((s) => s.id === id)!;
const sumOf = (lines: Array<{ monthly: number }>): number => lines.reduce((a, l) => a + l.monthly, 0);

describe('OpenCost split of a node price', () => {
  test('vCPU and GiB prices add up to the node price, in the ratio of OpenCost’s default prices', () => {
    const { cpu, memory } = splitNodePrice(0.214, 4, 16);
    expect(4 * cpu + 16 * memory).toBeCloseTo(0.214, 12);
    expect(cpu / memory).toBeCloseTo(0.031611 / 0.004237, 9);
  });
  test('GCP E2 prices come out at (about) GCP’s own per-vCPU and per-GiB prices: OpenCost’s defaults are GCP’s ratio', () => {
    const { cpu, memory } = splitNodePrice(0.134012, 4, 16);
    expect(cpu).toBeCloseTo(0.021811, 4);
    expect(memory).toBeCloseTo(0.002923, 4);
  });
});

describe('Kubernetes workloads', () => {
  test('requests × replicas at the workload pool’s unit prices; HPA: min, with max as the range; canary counted', () => {
    const r = cost(estate(SERVICES(3).replace('replicas: 3,', 'replicas: 3, canary: { image: x/checkout:2, weight: 10 },')));
    const { cpu, memory } = splitNodePrice(0.214, 4, 16); // eu-west-1 m6i.xlarge
    const checkout = stack(r, 'app/eu/payments/checkout');
    const podMonth = (0.5 * cpu + 0.5 * memory) * H;
    expect(checkout.monthly).toBeCloseTo(4 * podMonth, 9); // 3 stable + 1 canary
    expect(checkout.max).toBeCloseTo(checkout.monthly, 9);
    const ledger = stack(r, 'app/eu/payments/ledger');
    expect(ledger.monthly).toBeCloseTo(2 * (0.25 * cpu + 0.25 * memory) * H, 9);
    expect(ledger.max).toBeCloseTo(6 * (0.25 * cpu + 0.25 * memory) * H, 9);
    expect(ledger.lines.map((l) => [l.type, l.resource, l.component, l.unit])).toEqual([
      ['apps/v1:Deployment', 'payments/ledger', 'vCPU requests', 'vCPU-hour'],
      ['apps/v1:Deployment', 'payments/ledger', 'memory requests', 'GiB-hour'],
    ]);
    expect(ledger.lines[0].note).toMatch(/2–6 \(HPA\) pods × 0\.25 vCPU; OpenCost split of m6i\.xlarge \(eu-west-1\)/);
  });

  test('a replicas change moves exactly that service’s stacks (in every region it runs in)', () => {
    const before = cost(estate(SERVICES(2)));
    const after = cost(estate(SERVICES(5)));
    const delta = compareCosts(before, after, { ref: 'main', commit: '' });
    expect(delta.stacks.map((s) => s.id)).toEqual(['app/eu/payments/checkout', 'app/us/payments/checkout']);
    const { cpu, memory } = splitNodePrice(0.214, 4, 16);
    expect(delta.stacks[0].difference).toBeCloseTo(3 * (0.5 * cpu + (512 / 1024) * memory) * H, 9);
    expect(delta.stacks[0].partial).toBe(false);
    expect(delta.stacks[0].lines.map((l) => [l.component, l.change])).toEqual([
      ['vCPU requests', 'changed'],
      ['memory requests', 'changed'],
    ]);
    // Within the workload pool's minimum: the estimated bill does not move (the nodes are paid for already).
    expect(delta.total.difference).toBe(0);
  });

  test('requests beyond the workload pool’s minimum add nodes to the bill, up to the pool’s maximum', () => {
    const big = (replicas: number) =>
      `  - { name: batch, tenant: payments, image: x/b:1, port: 8080, replicas: ${replicas}, resources: { cpu: "1", memory: 4Gi }, regions: [us] }\n`;
    const base = cost(estate(big(1)));
    const pool = 3 * H * 0.192; // us-east-1: 3 × m6i.xlarge at their minimum
    const { cpu: cpuUs, memory: memoryUs } = splitNodePrice(0.192, 4, 16);
    const region = (r: Estimate) => r.regions.find((x) => x.name === 'us')!;
    // One pod asking a quarter of a node (1 vCPU, 4 GiB of 4 vCPU, 16 GiB) is a quarter of its price.
    expect(stack(base, 'app/us/payments/batch').monthly).toBeCloseTo((0.192 / 4) * H, 9);
    const r40 = cost(estate(big(40)));
    // Velero's server (500m, 128Mi: the cluster stack's install in every DR estate) shares the pool too.
    const velero = (0.5 * cpuUs + 0.125 * memoryUs) * H;
    expect(sumOf(stack(base, 'cluster/us').lines.filter((l) => l.install === 'velero'))).toBeCloseTo(velero, 9);
    expect(region(r40).monthly - region(base).monthly).toBeCloseTo(40 * (0.192 / 4) * H + velero - pool, 6);
    const r1000 = cost(estate(big(1000)));
    // Capped: the workload pool at its 20 nodes (17 more than its minimum), whatever more is requested.
    expect(region(r1000).monthly - region(base).monthly).toBeCloseTo(17 * H * 0.192, 6);
  });

  test('what a manifest cannot price is listed, never zero: DaemonSets, Jobs, PVCs, LoadBalancer Services, missing requests', () => {
    const m = (kind: string, spec: unknown, apiVersion = 'apps/v1') => ({
      manifest: { apiVersion, kind, metadata: { name: kind.toLowerCase(), namespace: 'team' }, spec },
    });
    const { workloads, unpriced } = workloadsOf([
      m('DaemonSet', {}),
      m('CronJob', {}, 'batch/v1'),
      m('PersistentVolumeClaim', {}, 'v1'),
      m('Service', { type: 'LoadBalancer' }, 'v1'),
      m('Service', { type: 'ClusterIP' }, 'v1'),
      m('StatefulSet', {
        replicas: 2,
        template: { spec: { containers: [{ name: 'db', resources: { limits: { cpu: '2', memory: '8Gi' } } }, { name: 'sidecar' }] } },
      }),
    ]);
    expect(unpriced.map((u) => u.type)).toEqual(['apps/v1:DaemonSet', 'batch/v1:CronJob', 'v1:PersistentVolumeClaim', 'v1:Service', 'apps/v1:StatefulSet']);
    expect(unpriced.at(-1)!.component).toBe('container sidecar CPU and memory');
    // Limits stand in for unset requests (Kubernetes defaults requests to limits).
    expect(workloads).toEqual([expect.objectContaining({ type: 'apps/v1:StatefulSet', vcpu: 2, memoryGib: 8, replicas: { min: 2, max: 2 } })]);
  });

  test('Prometheus and Alertmanager are priced as the StatefulSets the operator makes: the CR’s resources + the config-reloader sidecar', () => {
    const cr = (kind: string, spec: unknown) => ({
      manifest: { apiVersion: 'monitoring.coreos.com/v1', kind, metadata: { name: 'main', namespace: 'mon' }, spec },
    });
    const { workloads, unpriced } = workloadsOf([
      cr('Prometheus', { replicas: 2, shards: 3, resources: { requests: { cpu: '1', memory: '4Gi' } } }),
      cr('Alertmanager', { resources: { limits: { cpu: '100m', memory: '128Mi' } } }),
      cr('Prometheus', {}),
    ]);
    expect(CONFIG_RELOADER_DEFAULTS).toEqual({ cpu: '10m', memory: '50Mi' }); // prometheus-operator v0.85.0 cmd/operator/main.go
    const reloaderGib = 50 / 1024;
    expect(workloads.map((w) => [w.type, w.name, w.replicas.min, w.vcpu, w.memoryGib])).toEqual([
      ['monitoring.coreos.com/v1:Prometheus', 'mon/prometheus-main', 6, 1.01, 4 + reloaderGib],
      ['monitoring.coreos.com/v1:Alertmanager', 'mon/alertmanager-main', 1, 0.11, 0.125 + reloaderGib],
      ['monitoring.coreos.com/v1:Prometheus', 'mon/prometheus-main', 1, 0.01, reloaderGib],
    ]);
    expect(workloads[0].note).toMatch(
      /StatefulSet prometheus-main made by the Prometheus operator: .*config-reloader sidecar's 10m CPU, 50Mi memory \(the operator's default\)/,
    );
    // A CR without resources: the sidecar is priced, the main container listed as not priced.
    expect(unpriced).toEqual([expect.objectContaining({ name: 'mon/prometheus-main', component: 'container prometheus CPU and memory' })]);
  });

  test('the operator’s config-reloader flags, when its Deployment is among the objects, replace the defaults ("0": no request)', () => {
    const operator = (args: string[]) => ({
      manifest: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'prometheus-operator', namespace: 'mon' },
        spec: { template: { spec: { containers: [{ name: 'prometheus-operator', args, resources: { requests: { cpu: '100m', memory: '128Mi' } } }] } } },
      },
      install: 'prometheus-operator',
    });
    const prometheus = {
      manifest: {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'Prometheus',
        metadata: { name: 'p', namespace: 'mon' },
        spec: { resources: { requests: { cpu: '1', memory: '1Gi' } } },
      },
    };
    const flagged = workloadsOf([operator(['--config-reloader-cpu-request=100m', '--config-reloader-memory-request=0']), prometheus]).workloads;
    expect(flagged.map((w) => [w.name, w.vcpu, w.memoryGib, w.install])).toEqual([
      ['mon/prometheus-operator', 0.1, 0.125, 'prometheus-operator'],
      ['mon/prometheus-p', 1.1, 1, undefined],
    ]);
    expect(flagged[1].note).toMatch(/100m CPU, 0 memory \(the operator's flags\)/);
  });

  test('local regions are priced on the labelled reference node', () => {
    const r = estimate(exampleConfig('local', 'pulumi'));
    expect(r.regions.map((x) => [x.name, x.pricing])).toEqual([
      ['eu', 'local-reference'],
      ['us', 'local-reference'],
    ]);
    const ledger = stack(r, 'app/eu/payments/ledger');
    expect(ledger.lines[0].note).toMatch(/local region: priced on the reference node \(4 vCPU, 16 GiB at 0\.192 USD\/h\), not a bill/);
    // 100m + 128Mi per pod: (0.1 × cpu + 0.125 × memory) of the reference node's split.
    const { cpu, memory } = splitNodePrice(0.192, 4, 16);
    expect(ledger.monthly).toBeCloseTo((0.1 * cpu + 0.125 * memory) * H, 9);
    expect(r.total.monthly).toBeCloseTo(
      r.regions.reduce((a, x) => a + x.workloads.monthly, 0),
      9,
    );
  });
});

describe('control-plane installs (rendered from the toolchain cache, as `platform cost` does)', () => {
  const lineOf = (r: Estimate, id: string, resource: string, component: string) =>
    stack(r, id).lines.find((l) => l.resource === resource && l.component === component);
  /** The same estimate with no install rendered: what cost said before it counted them. */
  const withoutInstalls = { installs: () => [] };

  test('istiod, the ingress gateway, the operator, Prometheus, Alertmanager and Velero are priced in their stacks (cloud regions)', () => {
    const config = exampleConfig('multicloud', 'terraform');
    const r = estimate(config);
    const { cpu, memory } = splitNodePrice(0.214, 4, 16); // eu-west-1: the workload pool's m6i.xlarge
    const perMonth = (vcpu: number, gib: number, pods: number) => pods * (vcpu * cpu + gib * memory) * H;
    const installed = (id: string) =>
      stack(r, id)
        .lines.filter((l) => l.install)
        .map((l) => [l.install, l.type, l.resource, l.component, l.quantity]);
    // Two istiod replicas of 500m and 2Gi in a cloud region (src/stacks/mesh.ts), two gateways of 100m and 128Mi.
    expect(installed('mesh/eu')).toEqual([
      ['istiod', 'apps/v1:Deployment', 'istio-system/istiod', 'vCPU requests', 2 * 0.5 * H],
      ['istiod', 'apps/v1:Deployment', 'istio-system/istiod', 'memory requests', 2 * 2 * H],
      ['istio-ingressgateway', 'apps/v1:Deployment', 'istio-system/istio-ingressgateway', 'vCPU requests', 2 * 0.1 * H],
      ['istio-ingressgateway', 'apps/v1:Deployment', 'istio-system/istio-ingressgateway', 'memory requests', 2 * 0.125 * H],
    ]);
    expect(stack(r, 'mesh/eu').monthly).toBeCloseTo(perMonth(0.5, 2, 2) + perMonth(0.1, 0.125, 2), 9);
    expect(lineOf(r, 'mesh/eu', 'istio-system/istiod', 'vCPU requests')!.note).toMatch(
      /^2 pods × 0\.5 vCPU; installed by this stack \(istiod\); OpenCost split/,
    );
    expect(installed('cluster/eu')).toEqual([
      ['velero', 'apps/v1:Deployment', 'velero/velero', 'vCPU requests', 0.5 * H],
      ['velero', 'apps/v1:Deployment', 'velero/velero', 'memory requests', 0.125 * H],
    ]);
    // The operator's bundle sets 100m and 100Mi itself (our hardening fills only what upstream leaves unset).
    expect(installed('observability/eu')).toEqual([
      ['prometheus-operator', 'apps/v1:Deployment', 'monitoring/prometheus-operator', 'vCPU requests', 0.1 * H],
      ['prometheus-operator', 'apps/v1:Deployment', 'monitoring/prometheus-operator', 'memory requests', (100 / 1024) * H],
    ]);
    // The CRs are the stack's own objects; the operator runs them: 500m/2Gi and 100m/128Mi, each + the reloader's 10m/50Mi.
    expect(lineOf(r, 'observability/eu', 'monitoring/prometheus-platform', 'vCPU requests')!.quantity).toBeCloseTo(0.51 * H, 9);
    expect(lineOf(r, 'observability/eu', 'monitoring/prometheus-platform', 'memory requests')!.quantity).toBeCloseTo((2 + 50 / 1024) * H, 9);
    expect(lineOf(r, 'observability/eu', 'monitoring/alertmanager-platform', 'vCPU requests')!.quantity).toBeCloseTo(0.11 * H, 9);
    // Velero's node agent runs one pod per node: listed as not priced, like any DaemonSet.
    expect(r.notPriced).toContainEqual(
      expect.objectContaining({ stack: 'cluster/eu', type: 'apps/v1:DaemonSet', name: 'velero/node-agent', component: 'pods' }),
    );

    // Without the installs every one of those lines is missing: this is what they add, stack by stack.
    const before = estimate(config, withoutInstalls);
    expect(stack(before, 'mesh/eu').lines).toEqual([]);
    const added = (id: string) => stack(r, id).monthly - stack(before, id).monthly;
    expect(added('mesh/eu')).toBeCloseTo(perMonth(0.5, 2, 2) + perMonth(0.1, 0.125, 2), 9);
    expect(added('cluster/eu')).toBeCloseTo(perMonth(0.5, 0.125, 1), 9);
    // The operator; the CRs are priced either way (they are the stack’s own objects).
    expect(added('observability/eu')).toBeCloseTo(perMonth(0.1, 100 / 1024, 1), 9);
    // In the pool's minimum, so the bill of the region does not move; its workloads' share does.
    expect(r.regions[0].workloads.monthly - before.regions[0].workloads.monthly).toBeCloseTo(
      added('mesh/eu') + added('cluster/eu') + added('observability/eu'),
      9,
    );
  });

  test('local regions: one istiod replica, priced on the reference node; the region’s total grows by them', () => {
    const config = exampleConfig('local', 'pulumi');
    const r = estimate(config);
    const before = estimate(config, withoutInstalls);
    const { cpu, memory } = splitNodePrice(0.192, 4, 16);
    expect(lineOf(r, 'mesh/eu', 'istio-system/istiod', 'vCPU requests')).toMatchObject({ install: 'istiod', quantity: 0.5 * H });
    expect(lineOf(r, 'mesh/eu', 'istio-system/istiod', 'vCPU requests')!.monthly).toBeCloseTo(0.5 * H * cpu, 9);
    const installedMonthly = r.stacks.flatMap((s) => s.lines.filter((l) => l.install)).reduce((a, l) => a + l.monthly, 0);
    expect(installedMonthly).toBeGreaterThan(0);
    // Local regions have no pool: the workloads are the bill, so the total grows by the installs and the CRs.
    const crs = r.stacks.flatMap((s) => s.lines.filter((l) => /prometheus-platform|alertmanager-platform/.test(l.resource))).reduce((a, l) => a + l.monthly, 0);
    expect(r.total.monthly - before.total.monthly).toBeCloseTo(installedMonthly, 9);
    expect(crs).toBeCloseTo(2 * ((0.51 + 0.11) * cpu + (2 + 0.125 + 2 * (50 / 1024)) * memory) * H, 9); // two regions
  });

  test('an install that cannot be rendered is listed as not priced for its stack, and marks the delta partial', () => {
    const config = pairConfig('terraform', { cloud: 'aws', location: 'us-east-1' }, { cloud: 'aws', location: 'us-west-2' });
    const unavailable = {
      installs: (s: { installs: Parameters<typeof installName>[0][] }) => s.installs.map((spec) => ({ install: installName(spec), unavailable: 'not cached' })),
    };
    const r = estimate(config, unavailable);
    expect(r.notPriced.filter((n) => n.type === 'install').map((n) => [n.stack, n.name, n.component])).toEqual([
      ['cluster/one', 'velero', 'workloads'],
      ['mesh/one', 'istiod', 'workloads'],
      ['mesh/one', 'istio-ingressgateway', 'workloads'],
      ['cluster/two', 'velero', 'workloads'],
      ['mesh/two', 'istiod', 'workloads'],
      ['mesh/two', 'istio-ingressgateway', 'workloads'],
    ]);
    expect(r.notPriced.find((n) => n.name === 'istiod')!.reason).toBe('not rendered, so its workloads are not priced: not cached');
    const delta = compareCosts(r, estimate(config), { ref: 'main', commit: '' });
    expect(delta.stacks.find((s) => s.id === 'mesh/one')).toMatchObject({ partial: true, before: 0 });
  });

  test('a change of installs is a change of cost: adding the ingress gateway adds its two pods to mesh/<region>', () => {
    const gateway = pairConfig('terraform', { cloud: 'aws', location: 'us-east-1' }, { cloud: 'aws', location: 'us-west-2' });
    const none = { ...gateway, mesh: { istio: { ...gateway.mesh!.istio!, gateway: undefined } } };
    const delta = compareCosts(estimate(none), estimate(gateway), { ref: 'main', commit: '' });
    const mesh = delta.stacks.find((s) => s.id === 'mesh/one')!;
    expect(mesh.lines.map((l) => [l.change, l.resource, l.component])).toEqual([
      ['added', 'istio-system/istio-ingressgateway', 'vCPU requests'],
      ['added', 'istio-system/istio-ingressgateway', 'memory requests'],
    ]);
    const { cpu, memory } = splitNodePrice(0.192, 4, 16); // us-east-1 m6i.xlarge
    expect(mesh.difference).toBeCloseTo(2 * (0.1 * cpu + 0.125 * memory) * H, 9);
  });
});

describe('tenants', () => {
  test('each tenant: its workloads, plus an even share of the rest of each region; together they are the total', () => {
    const r = cost(estate(SERVICES(2)));
    expect(r.tenants.map((t) => [t.name, t.plan])).toEqual([
      ['payments', 'enterprise'],
      ['search', 'free'],
    ]);
    const [payments, search] = r.tenants;
    expect(payments.workloads).toBeCloseTo(
      r.stacks.filter((s) => s.id.includes('/payments/')).reduce((a, s) => a + s.monthly, 0),
      9,
    );
    expect(payments.shared).toBeCloseTo(search.shared, 9);
    expect(payments.monthly + search.monthly).toBeCloseTo(r.total.monthly, 9);
  });
});

describe('both engines', () => {
  const numbers = (r: Estimate) => ({
    total: r.total,
    regions: r.regions,
    tenants: r.tenants,
    stacks: r.stacks.map((s) => ({
      id: s.id,
      monthly: s.monthly,
      min: s.min,
      max: s.max,
      priced: s.lines.filter((l) => l.monthly || l.max).map(({ type: _t, ...l }) => l),
    })),
    notPriced: r.notPriced.map(({ type: _t, ...n }) => n),
  });
  const estates = [
    ...EXAMPLES.map((e) => ({ name: `examples/${e}`, config: (engine: 'pulumi' | 'terraform') => exampleConfig(e, engine) })),
    ...PAIRS.map((p) => ({ name: p.name, config: (engine: 'pulumi' | 'terraform') => pairConfig(engine, p.primary, p.dr) })),
  ];
  test.each(estates)('$name: identical numbers with Pulumi and Terraform', ({ config }) => {
    const pulumi = estimate(config('pulumi'));
    const terraform = estimate(config('terraform'));
    expect(numbers(pulumi)).toEqual(numbers(terraform));
    // The lines name each engine's own resource types.
    expect(pulumi.stacks.flatMap((s) => s.lines.map((l) => l.type)).some((t) => t.includes(':'))).toBe(true);
  });
});

describe('determinism', () => {
  test('the same input gives byte-identical JSON; amounts are not rounded', () => {
    const a = JSON.stringify(estimate(exampleConfig('multicloud', 'terraform')));
    const b = JSON.stringify(estimate(exampleConfig('multicloud', 'terraform')));
    expect(a).toBe(b);
    const r = JSON.parse(a) as Estimate;
    expect(r.stacks.flatMap((s) => s.lines).some((l) => !Number.isInteger(l.monthly * 100))).toBe(true);
  });

  test('--stack: only the selected stacks, and a total of what they cost', () => {
    const r = estimate(exampleConfig('multicloud', 'terraform'), { stackIds: ['app/eu/payments/checkout'] });
    expect(r.stacks.map((s) => s.id)).toEqual(['app/eu/payments/checkout']);
    expect(r.total.monthly).toBeCloseTo(r.stacks[0].monthly, 9);
  });
});
