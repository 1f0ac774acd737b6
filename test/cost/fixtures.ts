/** Estates for the cost tests: the examples (engine switched) and small estates written here. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import type { Engine, PlatformConfig } from '../../src/config/schema.js';
import { loadPriceBook, type PriceBook } from '../../src/cost/prices.js';
import { cloudsToPrice, estimateCost, type Estimate } from '../../src/cost/estimate.js';
import { renderedInstalls, type RenderedInstall } from '../../src/engines/crds.js';
import type { StackInstance } from '../../src/stacks/types.js';
import { defaultUsage, type UsageAssumptions } from '../../src/cost/usage.js';
import { planStacks } from '../../src/stacks/plan.js';
import { repoRoot } from '../helpers/cli.js';

export const ENGINES: Engine[] = ['pulumi', 'terraform'];

/** Every examples/<name>/platform.yaml. */
export const EXAMPLES = readdirSync(join(repoRoot, 'examples'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && readdirSync(join(repoRoot, 'examples', d.name)).includes('platform.yaml'))
  .map((d) => d.name)
  .sort();

export const exampleText = (example: string, engine: Engine): string =>
  readFileSync(join(repoRoot, 'examples', example, 'platform.yaml'), 'utf8').replace(/^engine: \w+$/m, `engine: ${engine}`);
export const exampleConfig = (example: string, engine: Engine): PlatformConfig => parseConfig(exampleText(example, engine), `${example}/platform.yaml`);

type Place = { cloud: 'aws' | 'gcp' | 'azure'; location: string };

/** A primary and a DR region (`one`, `two`) with a gateway host, DNS failover and one service. */
export function pairText(engine: Engine, primary: Place, dr: Place, extra = ''): string {
  return `apiVersion: platform.dev/v1
name: pair
engine: ${engine}
regions:
  - { name: one, cloud: ${primary.cloud}, location: ${primary.location}, role: primary }
  - { name: two, cloud: ${dr.cloud}, location: ${dr.location}, role: dr }
tenants:
  - { name: team, plan: starter, owners: [o@example.com] }
services:
  - { name: web, tenant: team, image: ghcr.io/x/web:1, port: 8080, replicas: 2, resources: { cpu: 500m, memory: 1Gi } }
mesh: { istio: { enabled: true, gateway: { hosts: [app.pair.example] } } }
dr: { rpoMinutes: 60, rtoMinutes: 30, backupSchedule: "*/30 * * * *", failover: dns }
${extra}`;
}
export const pairConfig = (engine: Engine, primary: Place, dr: Place, extra = ''): PlatformConfig =>
  parseConfig(pairText(engine, primary, dr, extra), 'pair.yaml');

/** Estates that reach every branch of the renderers: each cloud with itself (priced regions), and AWS → GCP. */
export const PAIRS: Array<{ name: string; primary: Place; dr: Place }> = [
  { name: 'aws → aws', primary: { cloud: 'aws', location: 'us-east-1' }, dr: { cloud: 'aws', location: 'us-west-2' } },
  { name: 'gcp → gcp', primary: { cloud: 'gcp', location: 'us-east1' }, dr: { cloud: 'gcp', location: 'us-central1' } },
  { name: 'azure → azure', primary: { cloud: 'azure', location: 'eastus' }, dr: { cloud: 'azure', location: 'westus2' } },
  { name: 'aws → gcp', primary: { cloud: 'aws', location: 'us-east-1' }, dr: { cloud: 'gcp', location: 'us-east1' } },
];

/**
 * The estimate as `platform cost` makes it: the installs rendered from the toolchain cache (warm here and
 * in CI, whose `npm test` installs the toolchain first), unless a test passes its own `installs`.
 */
export function estimate(
  config: PlatformConfig,
  opts: { usage?: UsageAssumptions; prices?: PriceBook; stackIds?: string[]; installs?: (stack: StackInstance) => RenderedInstall[] } = {},
): Estimate {
  return estimateCost({
    config,
    stacks: planStacks(config),
    stackIds: opts.stackIds,
    prices: opts.prices ?? loadPriceBook(cloudsToPrice(config)),
    usage: opts.usage ?? defaultUsage(),
    installs: opts.installs ?? renderedInstalls,
  });
}
