/** The estimate: workloads, regions, tenants, both engines, determinism, before/after. */
import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { compareCosts } from '../../src/cost/delta.js';
import { splitNodePrice, workloadsOf } from '../../src/cost/workloads.js';
import type { Estimate } from '../../src/cost/estimate.js';
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
    const region = (r: Estimate) => r.regions.find((x) => x.name === 'us')!;
    // One pod asking a quarter of a node (1 vCPU, 4 GiB of 4 vCPU, 16 GiB) is a quarter of its price.
    expect(stack(base, 'app/us/payments/batch').monthly).toBeCloseTo((0.192 / 4) * H, 9);
    const r40 = cost(estate(big(40)));
    expect(region(r40).monthly - region(base).monthly).toBeCloseTo(40 * (0.192 / 4) * H - pool, 6);
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
