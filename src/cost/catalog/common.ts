/**
 * The bill of materials of a cluster stack: every cloud resource the renderers in src/clouds create for
 * its intents — per engine, the Terraform type (`data.<type>` for data sources) and the Pulumi token it is
 * emitted as, under the same logical name — with what each one costs. Mirrors the renderers resource for
 * resource without loading a cloud SDK; test/cost/coverage.test.ts synthesizes every example with both
 * engines and fails when the two disagree, so nothing a renderer adds can go unpriced silently.
 */
import type { Engine } from '../../config/schema.js';
import type { PriceCloud } from '../prices.js';

/** A quantity per month: at the minimum (autoscaled things at their minimum) and at the maximum. */
export interface Range {
  min: number;
  max: number;
}
export const fixed = (n: number): Range => ({ min: n, max: n });

/** How one component of a resource is charged. */
export type Charge =
  /** A rate from the price table: quantity × price. */
  | {
      kind: 'rate';
      component: string;
      cloud: PriceCloud;
      key: string;
      region: string;
      quantity: Range;
      note?: string;
      /** A same-continent price: it applies only when this location is on the region's continent. */
      sameContinentAs?: string;
    }
  /** Instances of a machine type (node-hours); `capacity` marks a workload pool (src/cost/estimate.ts). */
  | { kind: 'instances'; component: string; cloud: PriceCloud; machine: string; region: string; quantity: Range; capacity?: boolean; note?: string }
  /** No price of its own for a structural reason (a lookup, a provider), with where that is documented. */
  | { kind: 'none'; component: string; why: string; source: string }
  /** Known to cost something this version cannot price: listed in `notPriced`, never counted as zero. */
  | { kind: 'notPriced'; component: string; reason: string };

export interface BillItem {
  /** Per engine: how synth reports it; undefined = that engine does not emit this resource. */
  types: Partial<Record<Engine, string>>;
  name: string;
  charges: Charge[];
}

/** One resource of the bill: its type per engine, its logical name and what it is charged. */
export const item = (types: BillItem['types'], name: string, ...charges: Charge[]): BillItem => ({ types, name, charges });

export const both = (terraform: string, pulumi: string): BillItem['types'] => ({ terraform, pulumi });
export const terraformOnly = (terraform: string): BillItem['types'] => ({ terraform });
export const pulumiOnly = (pulumi: string): BillItem['types'] => ({ pulumi });

/** A Terraform data source: it reads `what` and creates nothing (Pulumi reads it with an invoke). */
export const dataSource = (type: string, name: string, what: string): BillItem => ({ types: terraformOnly(`data.${type}`), name, charges: [lookup(what)] });

/** No charge of its own for a structural reason, with the page that documents it. */
export const noCharge = (component: string, why: string, source: string): Charge => ({ kind: 'none', component, why, source });
/** Known to cost something this version cannot price: listed in `notPriced`, never counted as zero. */
export const notPriced = (component: string, reason: string): Charge => ({ kind: 'notPriced', component, reason });

export const lookup = (what: string): Charge =>
  noCharge(what, 'a data source reads an existing object; it creates nothing', 'https://opentofu.org/docs/language/data-sources/');
/** A Pulumi provider resource: configuration of the engine, not a cloud resource. */
export const provider = (): Charge =>
  noCharge(
    'provider configuration',
    'a Pulumi provider resource configures the engine; it is not a cloud resource',
    'https://www.pulumi.com/docs/iac/concepts/resources/providers/',
  );

/** A resource the price table says has no charge (its table entry names the page that says so). */
export const free = (cloud: PriceCloud, key: string, region: string, component = 'resource'): Charge => ({
  kind: 'rate',
  component,
  cloud,
  key,
  region,
  quantity: fixed(1),
});

export const perMonth = (
  cloud: PriceCloud,
  key: string,
  region: string,
  component: string,
  quantity: Range | number,
  note?: string,
): Extract<Charge, { kind: 'rate' }> => ({
  kind: 'rate',
  component,
  cloud,
  key,
  region,
  quantity: typeof quantity === 'number' ? fixed(quantity) : quantity,
  ...(note ? { note } : {}),
});

/** The backup copy's monthly transfer to a DR region, at the same-continent price when the target is on this region's continent. */
export const backupTransfer = (cloud: PriceCloud, region: string, component: string, target: { location: string }, replicatedGbPerMonth: number): Charge => ({
  ...perMonth(cloud, 'transfer.sameContinent', region, component, replicatedGbPerMonth, 'usage assumption: replicatedGbPerMonth'),
  sameContinentAs: target.location,
});

/** A node pool's machines for a month; the workload pool's are the capacity the tenants' requests are set against. */
export const poolNodes = (
  cloud: PriceCloud,
  region: string,
  pool: { machine: string; role: string } & Range,
  hoursPerMonth: number,
  component = `nodes (${pool.machine})`,
): Charge => ({
  kind: 'instances',
  component,
  cloud,
  machine: pool.machine,
  region,
  quantity: hours({ min: pool.min, max: pool.max }, hoursPerMonth),
  capacity: pool.role === 'workload',
});

/** `count` of something billed by the hour, for a month. */
export const hours = (count: Range | number, hoursPerMonth: number): Range => {
  const r = typeof count === 'number' ? fixed(count) : count;
  return { min: r.min * hoursPerMonth, max: r.max * hoursPerMonth };
};
