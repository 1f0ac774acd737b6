/**
 * Orphan stacks: stacks whose state (of the configured engine) still holds resources while platform.yaml
 * no longer generates them (a service moved out of a region, a tenant removed). `plan` lists them as
 * pending, `apply --prune` and `destroy --stack <id>` destroy them, dependents first.
 */
import type { PlatformConfig } from '../config/schema.js';
import type { StackResult, StateReader } from '../engines/types.js';
import type { ErrorInfo } from '../errors.js';
import type { RunReport } from './run.js';
import { LAYERS, stackLabelValue, type Layer, type StackInstance } from '../stacks/types.js';

export interface OrphanStack {
  id: string;
  engine: string;
  /** Resources its state holds (what destroying it deletes). */
  resources: number;
  /** Why it is an orphan, for people. */
  reason: string;
  /**
   * Set when it cannot be destroyed from this config (its region is gone, so neither engine knows
   * which cluster it is on); absent when it can.
   */
  blocked?: string;
  /** What `apply` did with it: `pending` (plan), `left` (apply without --prune), `destroyed`, `failed`, `skipped`. */
  action: 'pending' | 'left' | 'destroyed' | 'failed' | 'skipped';
}

/** An orphan in a run's report (`orphans` in --json): what happened to it, with its destroy result when it ran. */
export interface OrphanReport extends OrphanStack {
  result?: StackResult;
  /** `failed` without a result: why it could not run. */
  error?: ErrorInfo;
}

export const ORPHAN_REASON = 'no longer in platform.yaml';

/** What each action means, for people (the terminal, the Markdown and HTML reports). */
export const ORPHAN_ACTION_TEXT: Record<OrphanStack['action'], string> = {
  pending: 'to be destroyed',
  left: 'left in place',
  destroyed: 'destroyed',
  failed: 'not destroyed',
  skipped: 'not destroyed (skipped)',
};

/** How to remove orphans that are left: the one place that says it. */
export const PRUNE_HINT =
  '`platform apply --all --prune` destroys every such stack (dependents first); `platform destroy --stack <id> --yes --confirm <id>` one at a time';

export const ORPHAN_BLOCKED_HINT = 'Add the region back to platform.yaml (its cluster settings), prune or destroy the stack, then remove the region.';

/**
 * The orphan stacks: every stack ID with state that is not in `planned` and whose state holds
 * resources (a destroyed stack keeps an empty state: not an orphan).
 */
export async function findOrphans(
  reader: StateReader,
  planned: ReadonlySet<string>,
  engine: string,
  config: Pick<PlatformConfig, 'regions'>,
): Promise<OrphanStack[]> {
  const ids = (await reader.stackIds()).filter((id) => !planned.has(id)).sort();
  const out: OrphanStack[] = [];
  for (const id of ids) {
    const state = await reader.read(id);
    if (state.resources === 0) continue;
    const regionName = id.split('/')[1];
    const region = config.regions.find((r) => r.name === regionName);
    out.push({
      id,
      engine,
      resources: state.resources,
      reason: ORPHAN_REASON,
      action: 'pending',
      ...(region ? {} : { blocked: `its region "${regionName}" is not in platform.yaml any more, so no engine knows which cluster holds it` }),
    });
  }
  return out;
}

/**
 * StackInstances that destroy an orphan: the region from the config, no objects (destroy deletes what
 * the state holds) and dependencies among the orphans as the planner draws them (a layer after the
 * region's lower layers; an app after its tenant), so `runStacks` destroys dependents first.
 */
export function orphanInstances(orphans: OrphanStack[], config: Pick<PlatformConfig, 'regions' | 'engine' | 'name'>): StackInstance[] {
  const parsed = orphans
    .filter((o) => !o.blocked)
    .map((o) => {
      const [layer, regionName, tenant, service] = o.id.split('/') as [Layer, string, string | undefined, string | undefined];
      return { id: o.id, layer, region: config.regions.find((r) => r.name === regionName)!, tenant, service };
    });
  const rank = (l: Layer): number => LAYERS.indexOf(l);
  return parsed.map((s) => ({
    id: s.id,
    layer: s.layer,
    engine: config.engine,
    project: config.name,
    region: s.region,
    ...(s.tenant ? { tenant: s.tenant } : {}),
    ...(s.service ? { service: s.service } : {}),
    dependsOn: parsed
      .filter((d) => d.id !== s.id && d.region.name === s.region.name && rank(d.layer) < rank(s.layer) && (!d.tenant || d.tenant === s.tenant))
      .map((d) => d.id),
    source: ['regions'],
    installs: [],
    objects: [],
    cloud: [],
    label: stackLabelValue(s.id),
  }));
}

/**
 * Destroys the orphans (dependents first, through the same runner and locks as `destroy`); one whose
 * region is gone cannot be destroyed and is `failed` with the reason.
 */
export async function pruneOrphans(
  orphans: OrphanStack[],
  config: Parameters<typeof orphanInstances>[1],
  destroy: (stacks: StackInstance[]) => Promise<Pick<RunReport, 'stacks'>>,
): Promise<OrphanReport[]> {
  const instances = orphanInstances(orphans, config);
  const results = instances.length ? new Map((await destroy(instances)).stacks.map((r) => [r.id, r])) : new Map<string, never>();
  return orphans.map((o) => {
    if (o.blocked) return { ...o, action: 'failed', error: { kind: 'external', message: `${o.id}: ${o.blocked}`, hint: ORPHAN_BLOCKED_HINT } };
    const result = results.get(o.id)!;
    return { ...o, action: result.status === 'failed' ? 'failed' : result.status === 'skipped' ? 'skipped' : 'destroyed', result };
  });
}
