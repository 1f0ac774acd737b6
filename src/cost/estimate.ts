/**
 * The estimate: a pure function of the planned stacks, the price book and the usage assumptions.
 *
 * - Cloud resources: each cluster stack's bill of materials (./catalog), priced line by line.
 * - Workloads: requests × replicas at the unit prices of their region's workload node pool
 *   (./workloads.ts, OpenCost's split); local regions use the reference node of prices/local.json.
 *   The stack's own and those of the control planes it installs (istiod, the operator, Velero): an
 *   install that could not be rendered (no toolchain cache yet) is listed as not priced.
 * - Regions: the workloads are a *share* of the workload pool, not an addition to it. A region costs
 *   its cloud resources (pools at their minimum) plus whatever the workloads request beyond the
 *   workload pool's minimum (the cluster autoscaler adds nodes for it), up to the pool's maximum.
 * - Tenants: their workloads, plus an even share per tenant namespace of the rest of each region.
 */
import type { PlatformConfig, Region } from '../config/schema.js';
import type { RenderedInstall } from '../engines/crds.js';
import { tenantNamespace } from '../stacks/names.js';
import type { StackInstance } from '../stacks/types.js';
import { billOfMaterials, type Charge } from './catalog/index.js';
import type { PriceBook, PriceCloud } from './prices.js';
import type { CostLine, CostReport, NotPriced, RegionCost, StackCost, TenantCost } from './types.js';
import { usageIn, type UsageAssumptions } from './usage.js';
import { splitNodePrice, workloadsOf } from './workloads.js';

export interface EstimateInput {
  config: PlatformConfig;
  /** Every planned stack (planStacks(config)): pools are found even when their stack is not selected. */
  stacks: StackInstance[];
  /** Only these stacks (`--stack`); unknown IDs are ignored here (the command refuses them first). */
  stackIds?: string[];
  prices: PriceBook;
  usage: UsageAssumptions;
  /** The stack's control-plane installs, rendered (src/engines/crds.ts `renderedInstalls`); called for the selected stacks only. */
  installs: (stack: StackInstance) => RenderedInstall[];
}

export type Estimate = Omit<CostReport, 'delta'>;

/** Per region: what one vCPU-hour and one GiB-hour of requests cost, and why. */
interface UnitPrices {
  cpu: number;
  memory: number;
  basis: string;
  source: string;
  asOf: string;
}

/** The clouds whose price tables an estimate of `config` reads. */
export function cloudsToPrice(config: PlatformConfig): Set<PriceCloud> {
  return new Set(config.regions.map((r) => r.cloud));
}

export function estimateCost(input: EstimateInput): Estimate {
  const { config, prices, usage } = input;
  const H = usage.hoursPerMonth;
  const wanted = input.stackIds?.length ? new Set(input.stackIds) : undefined;
  const selected = input.stacks.filter((s) => !wanted || wanted.has(s.id));
  const units = new Map(config.regions.map((r) => [r.name, unitPrices(r, input.stacks, prices)]));

  const notPriced: NotPriced[] = [];
  const stacks: StackCost[] = [];
  /** Per region: sums of the lines that matter for the region's bill. */
  const sums = new Map<string, { infra: Pair; workloads: Pair; pool: Pair | undefined; byTenant: Map<string, Pair> }>();
  const pairIn = (m: Map<string, Pair>, k: string): Pair => m.get(k) ?? (m.set(k, { monthly: 0, max: 0 }), m.get(k)!);

  for (const stack of selected) {
    const region = stack.region;
    const s = sums.get(region.name) ?? { infra: zero(), workloads: zero(), pool: undefined, byTenant: new Map<string, Pair>() };
    sums.set(region.name, s);
    const lines: CostLine[] = [];
    const skip = (type: string, name: string, component: string, reason: string) => notPriced.push({ stack: stack.id, type, name, component, reason });

    for (const item of billOfMaterials(stack, usageIn(usage, region.name), H)) {
      const type = item.types[config.engine];
      if (!type) continue; // this engine does not emit it
      for (const charge of item.charges) {
        const priced = priceCharge(charge, prices);
        if ('reason' in priced) {
          skip(type, item.name, charge.component, priced.reason);
          continue;
        }
        const line: CostLine = { resource: item.name, type, ...priced.line };
        lines.push(line);
        add(s.infra, line);
        if (charge.kind === 'instances' && charge.capacity) add((s.pool ??= zero()), line);
      }
    }

    const installed = input.installs(stack);
    for (const i of installed) {
      if ('unavailable' in i) skip('install', i.install, 'workloads', `not rendered, so its workloads are not priced: ${i.unavailable}`);
    }
    const { workloads, unpriced } = workloadsOf([
      ...stack.objects,
      ...installed.flatMap((i) => ('objects' in i ? i.objects.map((manifest) => ({ manifest, install: i.install })) : [])),
    ]);
    for (const u of unpriced) skip(u.type, u.name, u.component, u.reason);
    const unit = units.get(region.name)!;
    for (const w of workloads) {
      if ('reason' in unit) {
        skip(w.type, w.name, 'requests', unit.reason);
        continue;
      }
      const pods = w.replicas.min === w.replicas.max ? `${w.replicas.min}` : `${w.replicas.min}–${w.replicas.max} (HPA)`;
      const per = (what: string, perPod: number, unitPrice: number, unitName: string, label: string): CostLine => ({
        resource: w.name,
        type: w.type,
        component: what,
        quantity: perPod * w.replicas.min * H,
        unit: unitName,
        unitPrice,
        monthly: perPod * w.replicas.min * H * unitPrice,
        max: perPod * w.replicas.max * H * unitPrice,
        source: unit.source,
        asOf: unit.asOf,
        note: `${pods} pods × ${round(perPod)} ${label}${w.install ? `; installed by this stack (${w.install})` : ''}${w.note ? `; ${w.note}` : ''}; ${unit.basis}`,
        ...(w.install ? { install: w.install } : {}),
      });
      for (const line of [per('vCPU requests', w.vcpu, unit.cpu, 'vCPU-hour', 'vCPU'), per('memory requests', w.memoryGib, unit.memory, 'GiB-hour', 'GiB')]) {
        lines.push(line);
        add(s.workloads, line);
        add(pairIn(s.byTenant, w.namespace), line);
      }
    }
    const monthly = sum(lines.map((l) => l.monthly));
    stacks.push({ id: stack.id, monthly, min: monthly, max: sum(lines.map((l) => l.max)), lines });
  }

  const regions: RegionCost[] = [];
  for (const r of config.regions) {
    const s = sums.get(r.name);
    if (!s) continue;
    let monthly: number;
    let max: number;
    if (s.pool) {
      // The autoscaler adds workload nodes for requests beyond the pool's minimum, up to its maximum.
      monthly = s.infra.monthly + clamp(s.workloads.monthly - s.pool.monthly, 0, s.pool.max - s.pool.monthly);
      max = s.infra.max;
    } else {
      monthly = s.infra.monthly + s.workloads.monthly;
      max = s.infra.max + s.workloads.max;
    }
    regions.push({
      name: r.name,
      cloud: r.cloud,
      location: r.location,
      pricing: r.cloud === 'local' ? 'local-reference' : 'list',
      monthly,
      min: monthly,
      max,
      workloads: { ...s.workloads },
    });
  }

  const tenants: TenantCost[] = config.tenants.map((t) => ({ name: t.name, plan: t.plan, monthly: 0, max: 0, workloads: 0, shared: 0 }));
  for (const region of regions) {
    const s = sums.get(region.name)!;
    const own = tenants.map((t) => s.byTenant.get(tenantNamespace(t.name)) ?? zero());
    const sharedMonthly = Math.max(0, region.monthly - sum(own.map((o) => o.monthly)));
    const sharedMax = Math.max(0, region.max - sum(own.map((o) => o.max)));
    tenants.forEach((t, i) => {
      t.workloads += own[i].monthly;
      t.shared += sharedMonthly / tenants.length;
      t.monthly += own[i].monthly + sharedMonthly / tenants.length;
      t.max += own[i].max + sharedMax / tenants.length;
    });
  }

  const monthly = sum(regions.map((r) => r.monthly));
  return {
    version: 1,
    currency: 'USD',
    total: { monthly, min: monthly, max: sum(regions.map((r) => r.max)) },
    stacks,
    tenants,
    notPriced,
    regions,
    assumptions: { hoursPerMonth: H, ...usage.values, regions: usage.regions, source: usage.source },
    prices: [...cloudsToPrice(config)].sort().map((cloud) => ({ cloud, files: prices.files(cloud) })),
  };
}

interface Pair {
  monthly: number;
  max: number;
}
const zero = (): Pair => ({ monthly: 0, max: 0 });
const add = (p: Pair, l: { monthly: number; max: number }): void => {
  p.monthly += l.monthly;
  p.max += l.max;
};
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const clamp = (x: number, lo: number, hi: number): number => Math.min(Math.max(x, lo), Math.max(lo, hi));
/** For notes only (the numbers themselves are never rounded). */
const round = (x: number): string => String(Math.round(x * 1000) / 1000);

type PricedCharge = { line: Omit<CostLine, 'resource' | 'type'> } | { reason: string };

function priceCharge(charge: Charge, prices: PriceBook): PricedCharge {
  const table = (cloud: string) => `prices/${cloud}.json`;
  switch (charge.kind) {
    case 'notPriced':
      return { reason: charge.reason };
    case 'none':
      return {
        line: { component: charge.component, quantity: 1, unit: 'resource', unitPrice: 0, monthly: 0, max: 0, source: charge.source, note: charge.why },
      };
    case 'instances': {
      const price = prices.instance(charge.cloud, charge.machine, charge.region);
      if (!price) return { reason: `no price for ${charge.machine} in ${charge.region} in ${table(charge.cloud)} (add one with --prices)` };
      return { line: lineOf(charge.component, charge.quantity, price, charge.note) };
    }
    case 'rate': {
      const price = prices.rate(charge.cloud, charge.key, charge.region);
      if (!price) return { reason: `no ${charge.key} price for ${charge.region} in ${table(charge.cloud)} (add one with --prices)` };
      if (charge.sameContinentAs !== undefined) {
        const from = prices.continent(charge.cloud, charge.region);
        const to = prices.continent(charge.cloud, charge.sameContinentAs);
        if (!from || from !== to) {
          return {
            reason: `${charge.key} prices transfers within a continent; ${charge.region} → ${charge.sameContinentAs} is ${from && to ? `${from} → ${to}` : 'not mapped to continents'} in ${table(charge.cloud)}`,
          };
        }
      }
      return { line: lineOf(charge.component, charge.quantity, price, charge.note) };
    }
  }
}

function lineOf(
  component: string,
  q: { min: number; max: number },
  price: { usd: number; unit: string; source: string; asOf: string },
  note?: string,
): Omit<CostLine, 'resource' | 'type'> {
  return {
    component,
    quantity: q.min,
    unit: price.unit,
    unitPrice: price.usd,
    monthly: q.min * price.usd,
    max: q.max * price.usd,
    source: price.source,
    asOf: price.asOf,
    ...(note ? { note } : {}),
  };
}

/** What a vCPU-hour and a GiB-hour cost in a region: its workload pool's node split OpenCost's way. */
function unitPrices(region: Region, stacks: StackInstance[], prices: PriceBook): UnitPrices | { reason: string } {
  if (region.cloud === 'local') {
    const node = prices.instance('local', 'local-reference', region.location);
    if (!node) return { reason: 'no local-reference node in prices/local.json' };
    const { cpu, memory } = splitNodePrice(node.usd, node.vcpu, node.memoryGib);
    return {
      cpu,
      memory,
      basis: `local region: priced on the reference node (${node.vcpu} vCPU, ${node.memoryGib} GiB at ${node.usd} USD/h), not a bill`,
      source: node.source,
      asOf: node.asOf,
    };
  }
  const cluster = stacks.find((s) => s.layer === 'cluster' && s.region.name === region.name)?.cloud.find((i) => i.kind === 'cluster');
  const pool = cluster?.kind === 'cluster' ? cluster.pools.find((p) => p.role === 'workload') : undefined;
  if (!pool) return { reason: `region ${region.name} has no workload node pool to price its workloads with` };
  const node = prices.instance(region.cloud, pool.machine, region.location);
  if (!node) return { reason: `no price for the workload pool's ${pool.machine} in ${region.location} in prices/${region.cloud}.json (add one with --prices)` };
  const { cpu, memory } = splitNodePrice(node.usd, node.vcpu, node.memoryGib);
  return { cpu, memory, basis: `OpenCost split of ${pool.machine} (${region.location}) at ${node.usd} USD/h`, source: node.source, asOf: node.asOf };
}
