/**
 * Usage assumptions: what a price needs besides the config — GB stored per backup bucket, GB replicated
 * per month, DNS queries per month. Defaults below; `cost.usage` in platform.yaml names a YAML/JSON file
 * that overrides them, for every region or per region. Every report prints the values it used.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { PlatformConfig } from '../config/schema.js';
import type { Problem } from '../errors.js';
import { displayName, invalid, parseDataFile } from './data-file.js';

/** Hours in a month: 365 × 24 / 12, the convention of the clouds' own calculators. */
export const HOURS_PER_MONTH = 730;

export interface UsageValues {
  /** GB held in each backup bucket (all object versions). */
  backupStorageGb: number;
  /** GB written to a primary's backup bucket per month, and so copied to its DR bucket. */
  replicatedGbPerMonth: number;
  /** DNS queries per month for each failover host. */
  dnsQueriesPerMonth: number;
}

export const DEFAULT_USAGE: UsageValues = { backupStorageGb: 100, replicatedGbPerMonth: 50, dnsQueriesPerMonth: 1_000_000 };

const values = {
  backupStorageGb: z.number().nonnegative().optional().describe('GB held in each backup bucket (all object versions).'),
  replicatedGbPerMonth: z.number().nonnegative().optional().describe("GB written to a primary's backup bucket per month (copied to its DR bucket)."),
  dnsQueriesPerMonth: z.number().int().nonnegative().optional().describe('DNS queries per month for each failover host.'),
};
export const usageFileSchema = z.strictObject({
  ...values,
  regions: z.record(z.string().min(1), z.strictObject(values)).optional().describe('Per region name: values that differ there.'),
});

export interface UsageAssumptions {
  hoursPerMonth: number;
  /** Values for every region (the defaults, or the file's top-level values). */
  values: UsageValues;
  /** Region name → its own values. */
  regions: Record<string, UsageValues>;
  /** The file they came from (as named in platform.yaml), or `defaults`. */
  source: string;
}

export const defaultUsage = (): UsageAssumptions => ({ hoursPerMonth: HOURS_PER_MONTH, values: { ...DEFAULT_USAGE }, regions: {}, source: 'defaults' });

export const usageIn = (usage: UsageAssumptions, region: string): UsageValues => usage.regions[region] ?? usage.values;

/** Reads a project file (the working tree by default; `--base` reads the merge base's). */
export type FileReader = (absolutePath: string) => string | undefined;
const fromDisk: FileReader = (file) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);

const USAGE_HINT = `Usage assumptions are a YAML or JSON mapping: ${Object.keys(values).join(', ')}, and regions.<name> with the same keys (docs/cost.md).`;

/**
 * The assumptions `config` names in `cost.usage` (relative to `projectDir`), over the defaults. A missing
 * or invalid file, or a region the config does not define, is a UsageError with file:line.
 */
export function loadUsage(
  config: PlatformConfig,
  projectDir: string,
  read: FileReader = fromDisk,
  label: (file: string) => string = displayName,
): UsageAssumptions {
  const named = config.cost?.usage;
  if (!named) return defaultUsage();
  const file = resolve(projectDir, named);
  const name = label(file);
  const text = read(file);
  if (text === undefined)
    throw invalid(
      name,
      [{ message: `no such file (cost.usage in platform.yaml names it)` }],
      'Create it, or remove cost.usage to use the defaults `platform cost` prints.',
    );
  const { data, at } = parseDataFile(text, name, usageFileSchema, USAGE_HINT);
  const known = new Set(config.regions.map((r) => r.name));
  const problems: Problem[] = Object.keys(data.regions ?? {})
    .filter((r) => !known.has(r))
    .map((r) => ({
      where: at(['regions', r]),
      path: `regions.${r}`,
      message: `region "${r}" is not defined in platform.yaml; known regions: ${[...known].join(', ')}`,
    }));
  if (problems.length) throw invalid(name, problems, USAGE_HINT);
  const top: UsageValues = { ...DEFAULT_USAGE, ...defined(data) };
  const regions = Object.fromEntries(Object.entries(data.regions ?? {}).map(([r, v]) => [r, { ...top, ...defined(v) }]));
  return { hoursPerMonth: HOURS_PER_MONTH, values: top, regions, source: named };
}

const defined = (v: Partial<Record<keyof UsageValues, number | undefined>>): Partial<UsageValues> =>
  Object.fromEntries(Object.entries<number | undefined>(v).filter(([k, x]) => x !== undefined && k in DEFAULT_USAGE));
