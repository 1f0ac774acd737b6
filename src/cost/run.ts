/**
 * `platform cost`: platform.yaml (and with `--base`, the config at the merge base), the price tables and
 * the usage assumptions in; the report out. `planCost` (src/cost/plan.ts) is how `plan` uses it. Offline:
 * nothing here loads an engine or a cloud SDK (the stack model is enough to price). The control-plane
 * installs are rendered from the toolchain cache (kept renderings, else `helm template` / velero-manifests
 * from the cache); before `platform toolchain install` they are listed as not priced.
 */
import { realpathSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import type { PlatformConfig } from '../config/schema.js';
import { renderedInstalls } from '../engines/crds.js';
import { ExternalError, UsageError } from '../errors.js';
import { git, loadConfigAtRef, readFileAtCommit, repoRoot, resolveCommit } from '../git/index.js';
import { planStacks } from '../stacks/plan.js';
import { selectStacks } from '../stacks/select.js';
import type { StackInstance } from '../stacks/types.js';
import { compareCosts } from './delta.js';
import { cloudsToPrice, estimateCost, type Estimate } from './estimate.js';
import { loadPriceBook } from './prices.js';
import type { CostReport } from './types.js';
import { defaultUsage, loadUsage, type FileReader, type UsageAssumptions } from './usage.js';

export interface CostOptions {
  configFile: string;
  /** `--stack`: only these stacks (at the base too). */
  stackIds?: string[];
  /** `--base REF`: compare with the config at the merge base of REF and HEAD. */
  base?: string;
  /** `--prices FILE…`: tables whose prices replace the shipped ones. */
  priceFiles?: string[];
}

/** One side of a comparison: a config, its planned stacks and its usage assumptions. */
interface Side {
  config: PlatformConfig;
  stacks: StackInstance[];
  usage: UsageAssumptions;
}

export function runCost(opts: CostOptions): CostReport {
  const head = loadConfig(opts.configFile);
  const now: Side = { config: head.config, stacks: planStacks(head.config), usage: loadUsage(head.config, head.projectDir) };
  if (!opts.base) {
    selectStacks(now.stacks, opts.stackIds); // unknown IDs are a usage error with a suggestion
    return estimateCost({ ...now, stackIds: opts.stackIds, prices: loadPriceBook(cloudsToPrice(now.config), opts.priceFiles), installs: renderedInstalls });
  }

  const { side: before, mergeBase } = sideAtMergeBase(head, opts.base);
  // A stack that only the base has (removed by this change) may be asked for too.
  const ids = new Set(now.stacks.map((s) => s.id));
  selectStacks([...now.stacks, ...before.stacks.filter((s) => !ids.has(s.id))], opts.stackIds);
  const prices = loadPriceBook(new Set([...cloudsToPrice(now.config), ...cloudsToPrice(before.config)]), opts.priceFiles);
  const after = estimateCost({ ...now, stackIds: opts.stackIds, prices, installs: renderedInstalls });
  const was = estimateCost({ ...before, stackIds: opts.stackIds, prices, installs: renderedInstalls });
  return {
    ...withoutExtras(after),
    delta: compareCosts(was, after, { ref: opts.base, commit: mergeBase }, head.config.cost?.commentThreshold),
    ...extras(after),
  };
}

/** The config at the merge base of `ref` and HEAD; an empty estate when platform.yaml did not exist there. */
function sideAtMergeBase(head: LoadedConfig, ref: string): { side: Side; mergeBase: string } {
  const root = repoRoot(head.projectDir);
  if (!root)
    throw new UsageError(
      `--base ${ref}: ${head.projectDir} is not inside a Git repository`,
      [],
      '--base compares with platform.yaml at the merge base of a Git ref; run it in a clone of your platform repository.',
    );
  const commit = resolveCommit(head.projectDir, ref);
  let mergeBase: string;
  try {
    mergeBase = git(head.projectDir, ['merge-base', commit, 'HEAD']).trim();
  } catch (e) {
    if (e instanceof ExternalError) throw e;
    throw new UsageError(
      `--base ${ref}: ${ref} and HEAD have no common ancestor`,
      [],
      'Pass the branch this one was started from (e.g. origin/main), after `git fetch`.',
    );
  }
  const [read] = readersAt(head.projectDir, mergeBase);
  if (read(head.file) === undefined) {
    // Nothing was there before this change: everything it prices is new.
    const empty = { ...head.config, regions: [], tenants: [], services: [] };
    return { side: { config: empty, stacks: [], usage: defaultUsage() }, mergeBase };
  }
  const base = loadConfigAtRef(head.file, mergeBase);
  return {
    side: { config: base.config, stacks: planStacks(base.config), usage: loadUsage(base.config, head.projectDir, ...readersAt(head.projectDir, mergeBase)) },
    mergeBase,
  };
}

/** A reader of project files as they are at `commit`, and how messages name them (`<commit>:<path>`). */
function readersAt(projectDir: string, commit: string): [FileReader, (file: string) => string] {
  const root = repoRoot(projectDir);
  if (!root) throw new UsageError(`${projectDir} is not inside a Git repository`);
  const inRepo = (abs: string): string =>
    relative(root, join(realpathSync(projectDir), relative(projectDir, resolve(abs))))
      .split(sep)
      .join('/');
  return [(abs) => readFileAtCommit(root, commit, inRepo(abs)), (abs) => `${commit.slice(0, 12)}:${inRepo(abs)}`];
}

const withoutExtras = (e: Estimate): Pick<CostReport, 'version' | 'currency' | 'total' | 'stacks' | 'tenants' | 'notPriced'> => ({
  version: e.version,
  currency: e.currency,
  total: e.total,
  stacks: e.stacks,
  tenants: e.tenants,
  notPriced: e.notPriced,
});
const extras = (e: Estimate): Pick<CostReport, 'regions' | 'assumptions' | 'prices'> => ({ regions: e.regions, assumptions: e.assumptions, prices: e.prices });
