/**
 * Price tables: one JSON file per cloud under `prices/` (shipped in the package), each price with its
 * unit, the public page it comes from and the date it was known to be current. `--prices FILE` files
 * have the same shape; their prices replace the shipped ones price by price (region by region).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { Bug, UsageError } from '../errors.js';
import { packageRoot } from '../paths.js';
import { displayName, parseDataFile } from './data-file.js';

export const PRICE_CLOUDS = ['aws', 'gcp', 'azure', 'local'] as const;
export type PriceCloud = (typeof PRICE_CLOUDS)[number];

const priceFields = {
  unit: z.string().min(1).describe('What one unit is: node-hour, GB-month, GB, million queries, …'),
  usd: z.number().nonnegative().optional().describe('The price in every region.'),
  byRegion: z.record(z.string().min(1), z.number().nonnegative()).optional().describe('The price per cloud region id (wins over usd).'),
  source: z.url({ error: 'must be the URL of the public page the price comes from' }),
  asOf: z.string().regex(/^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$/, 'must be the date the price was current: YYYY-MM or YYYY-MM-DD'),
  note: z.string().optional(),
};
const hasPrice = (p: { usd?: number; byRegion?: Record<string, number> }): boolean => p.usd !== undefined || p.byRegion !== undefined;
const NO_PRICE = { error: 'give usd (every region) or byRegion (per region id)' };

const rateSchema = z.strictObject(priceFields).refine(hasPrice, NO_PRICE);
const instanceSchema = z.strictObject({ vcpu: z.number().positive(), memoryGib: z.number().positive(), ...priceFields }).refine(hasPrice, NO_PRICE);

export const priceFileSchema = z.strictObject({
  cloud: z.enum(PRICE_CLOUDS),
  currency: z.literal('USD', { error: 'must be USD (the only currency today)' }),
  note: z.string().optional(),
  continents: z.record(z.string().min(1), z.string().min(1)).optional().describe('Region id → continent, for same-continent transfer prices.'),
  instances: z.record(z.string().min(1), instanceSchema).optional(),
  rates: z.record(z.string().min(1), rateSchema).optional(),
});
export type PriceFile = z.output<typeof priceFileSchema>;

/** One price as a line cites it. */
export interface Price {
  usd: number;
  unit: string;
  source: string;
  asOf: string;
  note?: string;
  /** The table it came from (a shipped `prices/<cloud>.json` or a `--prices` file). */
  file: string;
}

export interface InstancePrice extends Price {
  vcpu: number;
  memoryGib: number;
}

interface Entry {
  everywhere?: Price;
  regions: Map<string, Price>;
  vcpu?: number;
  memoryGib?: number;
}

/** The prices of the clouds in use: the shipped tables, then each `--prices` file over them. */
export class PriceBook {
  private readonly rates = new Map<string, Entry>();
  private readonly instances = new Map<string, Entry>();
  private readonly continents = new Map<string, string>();
  private readonly tables = new Map<PriceCloud, string[]>();

  add(doc: PriceFile, file: string): void {
    this.tables.set(doc.cloud, [...(this.tables.get(doc.cloud) ?? []), file]);
    for (const [location, continent] of Object.entries(doc.continents ?? {})) this.continents.set(`${doc.cloud}|${location}`, continent);
    for (const [key, spec] of Object.entries(doc.rates ?? {})) merge(this.rates, `${doc.cloud}|${key}`, spec, file);
    for (const [type, spec] of Object.entries(doc.instances ?? {})) {
      const entry = merge(this.instances, `${doc.cloud}|${type}`, spec, file);
      entry.vcpu = spec.vcpu;
      entry.memoryGib = spec.memoryGib;
    }
  }

  rate(cloud: PriceCloud, key: string, region: string): Price | undefined {
    return lookup(this.rates.get(`${cloud}|${key}`), region);
  }

  instance(cloud: PriceCloud, type: string, region: string): InstancePrice | undefined {
    const entry = this.instances.get(`${cloud}|${type}`);
    const price = lookup(entry, region);
    return price && entry?.vcpu !== undefined && entry.memoryGib !== undefined ? { ...price, vcpu: entry.vcpu, memoryGib: entry.memoryGib } : undefined;
  }

  continent(cloud: PriceCloud, location: string): string | undefined {
    return this.continents.get(`${cloud}|${location}`);
  }

  /** The files a cloud's prices come from, shipped table first. */
  files(cloud: PriceCloud): string[] {
    return this.tables.get(cloud) ?? [];
  }
}

function merge(into: Map<string, Entry>, key: string, spec: z.output<typeof rateSchema>, file: string): Entry {
  const entry = into.get(key) ?? { regions: new Map<string, Price>() };
  into.set(key, entry);
  const price = (usd: number): Price => ({ usd, unit: spec.unit, source: spec.source, asOf: spec.asOf, ...(spec.note ? { note: spec.note } : {}), file });
  if (spec.usd !== undefined) {
    // A price for every region replaces what an earlier table said per region.
    entry.everywhere = price(spec.usd);
    entry.regions.clear();
  }
  for (const [region, usd] of Object.entries(spec.byRegion ?? {})) entry.regions.set(region, price(usd));
  return entry;
}

const lookup = (entry: Entry | undefined, region: string): Price | undefined => entry?.regions.get(region) ?? entry?.everywhere;

/** Where the shipped table of a cloud lives (inside the installed package). */
export const shippedPriceFile = (cloud: PriceCloud): string => join(packageRoot(), 'prices', `${cloud}.json`);

const PRICE_HINT =
  'A price table has the shape of prices/<cloud>.json: cloud, currency, and instances/rates with unit, usd or byRegion, source and asOf (docs/cost.md).';

/** The shipped tables of `clouds`, then `overrides` (each a `--prices FILE`) in order. */
export function loadPriceBook(clouds: Iterable<PriceCloud>, overrides: string[] = []): PriceBook {
  const book = new PriceBook();
  for (const cloud of [...new Set(clouds)].sort()) {
    const file = shippedPriceFile(cloud);
    if (!existsSync(file)) throw new Bug(`the shipped price table ${file} is missing from the package`);
    const { data } = parseDataFile(readFileSync(file, 'utf8'), file, priceFileSchema, PRICE_HINT);
    if (data.cloud !== cloud) throw new Bug(`${file} holds the prices of ${data.cloud}, not ${cloud}`);
    book.add(data, `prices/${cloud}.json`);
  }
  for (const override of overrides) {
    const abs = resolve(override);
    const name = displayName(abs);
    let text: string;
    try {
      text = readFileSync(abs, 'utf8');
    } catch (e) {
      throw new UsageError(`--prices ${override}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`, [], PRICE_HINT);
    }
    book.add(parseDataFile(text, name, priceFileSchema, PRICE_HINT).data, name);
  }
  return book;
}
