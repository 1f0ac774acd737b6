/**
 * What `plan` shows of cost: each stack's monthly difference against platform.yaml at the merge base of
 * `--base` (the same comparison as `platform cost --base`), or why there is none. Never fails a plan:
 * a base that does not resolve or a project outside Git leaves the plan without cost, saying why.
 */
import { ExternalError, UsageError } from '../errors.js';
import { runCost } from './run.js';
import type { CostDelta } from './types.js';

export interface PlanCost {
  delta?: CostDelta;
  /** Why there is no delta (no Git repository, the base ref is unknown, a usage file is invalid…). */
  unavailable?: string;
}

export function planCost(opts: { configFile: string; base: string; stackIds: string[] }): PlanCost {
  try {
    const { delta } = runCost({ configFile: opts.configFile, base: opts.base, stackIds: opts.stackIds });
    return delta ? { delta } : { unavailable: `no comparison with ${opts.base}` };
  } catch (e) {
    if (e instanceof UsageError || e instanceof ExternalError) return { unavailable: e.message.split('\n')[0] };
    throw e;
  }
}
