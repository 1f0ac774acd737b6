/**
 * plan / apply / destroy over the selected stacks: load and plan the config, pick the engine, run the
 * DAG, return the report. Safety rules (confirmation, --yes, --confirm) are checked before anything runs.
 */
import { availableParallelism } from 'node:os';
import { assertCloudReady, loadClouds } from './clouds/index.js';
import { loadConfig } from './config/load.js';
import { checkDr } from './dr/check.js';
import { PolicyError, UsageError } from './errors.js';
import { ENGINE_NAMES, engineDescriptor } from './engines/registry.js';
import { MISSING_SECRET_HINT, missingSecretVariables } from './engines/secrets.js';
import type { EngineDescriptor, EngineEvent, StateContext } from './engines/types.js';
import { affectedStacks } from './orchestrate/affected.js';
import { findOrphans, ORPHAN_BLOCKED_HINT, orphanInstances, pruneOrphans, type OrphanStack } from './orchestrate/orphans.js';
import { runStacks, type RunReport } from './orchestrate/run.js';
import { planStacks, topoOrder } from './stacks/plan.js';
import { selectStacks } from './stacks/select.js';
import type { StackInstance } from './stacks/types.js';
import { mandatory, type PolicyReport } from './policy/types.js';
import { plural } from './text.js';
import { resolveStateLocation } from './state/location.js';
import { stackLocker } from './state/lock.js';
import { openCheckedStateStore, type StateStore } from './state/store.js';

export type StackOperation = 'plan' | 'apply' | 'destroy';

export interface OperationOptions {
  operation: StackOperation;
  configFile: string;
  stackIds?: string[];
  all?: boolean;
  parallel?: number;
  force?: boolean;
  /** destroy: the stack IDs the user typed to confirm (or `all` with --all). */
  confirm?: string[];
  yes?: boolean;
  /** Select the stacks affected since the merge base with this ref (plus dependents for apply/destroy). */
  affectedBase?: string;
  /** apply: also destroy the stacks whose state outlived their place in platform.yaml (needs --all). */
  prune?: boolean;
  /** plan/apply run `dr check` first and stop on a broken rule unless this is set. */
  skipDrCheck?: boolean;
  onEvent: (event: EngineEvent) => void;
  signal?: AbortSignal;
}

export interface PreparedOperation {
  projectDir: string;
  /** The project's name (platform.yaml `name`). */
  project: string;
  stacks: StackInstance[];
  /** plan/apply: what the policy gate found (advisory violations and waivers; mandatory ones stopped the run). */
  policy?: PolicyReport;
  /**
   * plan/apply over every stack: the stacks whose state still holds resources but that platform.yaml no
   * longer generates (src/orchestrate/orphans.ts). Empty for a --stack or --affected selection.
   */
  orphans: OrphanStack[];
  /** `prune` (apply): destroy the orphans first, dependents first; defaults to the --prune option. */
  run: (operation: StackOperation, onEvent: (event: EngineEvent) => void, options?: { prune?: boolean }) => Promise<RunReport>;
}

/**
 * Load, select and check everything that can be checked before any engine starts: flags, the DR rules,
 * the secrets' environment variables, another engine's state, the clouds' plugins and credentials, and
 * last the policy gate (docs/policy.md). Usage problems found here exit 2, a missing plugin or
 * credential 1, a mandatory policy violation 4 — each with nothing written.
 */
export async function prepareOperation(opts: Omit<OperationOptions, 'onEvent'>): Promise<PreparedOperation> {
  const loaded = loadConfig(opts.configFile);
  const { config, projectDir } = loaded;
  const all = planStacks(config);
  const selectors = [opts.all, Boolean(opts.stackIds?.length), opts.affectedBase !== undefined].filter(Boolean).length;
  if (selectors === 0 && opts.operation !== 'plan') {
    throw new UsageError(`${opts.operation} needs --stack ID (repeatable), --affected or --all`, [], 'List the stacks with `platform stacks list`.');
  }
  if (selectors > 1) throw new UsageError('pass one of --stack, --affected or --all');
  if (opts.prune && (opts.operation !== 'apply' || !opts.all))
    throw new UsageError('--prune needs apply --all', [], 'Stacks no longer in platform.yaml are found over every stack: `platform apply --all --prune`.');
  const engine = await engineDescriptor(config.engine);
  const state = resolveStateLocation(config.state, projectDir);
  const stateContext = { projectDir, project: config.name, state };
  let opened: Promise<StateStore> | undefined;
  // The state location answers with a network call for a bucket (a missing credential or bucket is one
  // error, exit 1): opened after the usage checks, except where destroy needs it to know a stack ID.
  const openStore = (): Promise<StateStore> => (opened ??= openCheckedStateStore(state));
  const plannedIds = new Set(all.map((s) => s.id));
  const findOrphansNow = async (): Promise<OrphanStack[]> => findOrphans(engine.stateReader(stateContext, await openStore()), plannedIds, engine.name, config);
  // destroy may name a stack that is only in the state (no longer in platform.yaml).
  const namesOrphan = opts.operation === 'destroy' && (opts.all || (opts.stackIds ?? []).some((id) => !plannedIds.has(id)));
  if (opts.operation === 'destroy' && opts.all) checkDestroyConfirmation([], opts); // --confirm all: refused before any state is read
  let orphans = namesOrphan ? await findOrphansNow() : [];
  let stacks =
    opts.affectedBase !== undefined
      ? affectedStacks(loaded, opts.affectedBase, opts.operation, all).stacks.map((a) => a.stack)
      : topoOrder(selectConfigStacks(all, opts.all ? undefined : opts.stackIds, orphans));
  if (opts.operation === 'destroy') {
    // destroy --all also removes the orphans; --stack may name one.
    const wanted = opts.all ? orphans : orphans.filter((o) => opts.stackIds?.includes(o.id));
    const blocked = wanted.filter((o) => o.blocked);
    if (blocked.length && !opts.all)
      throw new UsageError(
        'cannot destroy a stack whose region is no longer in platform.yaml',
        blocked.map((o) => ({ path: '--stack', message: `${o.id}: ${o.blocked}` })),
        ORPHAN_BLOCKED_HINT,
      );
    stacks = topoOrder([...stacks, ...orphanInstances(wanted, config)]);
    checkDestroyConfirmation(stacks, opts);
  } else if (!opts.skipDrCheck) {
    const broken = checkDr(config, all).rules.filter((r) => !r.ok);
    if (broken.length) {
      throw new UsageError(
        `the config breaks ${broken.length} disaster-recovery rule(s)`,
        broken.map((r) => ({ path: r.name, message: r.why })),
        'Fix the config, or pass --skip-dr-check to plan/apply anyway.',
      );
    }
  }
  if (opts.operation !== 'destroy') checkSecretVariables(stacks);
  // Cloud stacks need their provider plugin and credentials on this machine: one clear error if not.
  assertCloudReady(stacks, engine, { projectDir });
  const store = await openStore();
  // plan/apply over every stack also see the stacks no longer in platform.yaml (src/orchestrate/orphans.ts).
  if (opts.operation !== 'destroy' && (opts.all || (opts.operation === 'plan' && selectors === 0))) orphans = await findOrphansNow();
  await refuseOtherEnginesState(stacks, engine, stateContext, store);
  // The gate is the last check before any engine starts, so a run's exit code keeps "2 over 1 over 4".
  const policy = opts.operation === 'destroy' ? undefined : await policyGate(loaded, stacks, opts.operation);
  return {
    projectDir,
    project: config.name,
    stacks,
    orphans,
    ...(policy ? { policy } : {}),
    run: async (operation, onEvent, runOptions = {}) => {
      await loadClouds(config.engine, stacks); // only the cloud SDK modules these stacks use (src/clouds)
      const common = {
        engine: await engine.load(),
        context: { projectDir, config, state, store, force: opts.force },
        parallel: opts.parallel ?? availableParallelism(),
        onEvent,
        signal: opts.signal,
        lock: stackLocker(store),
      };
      const prune = operation === 'apply' && (runOptions.prune ?? opts.prune ?? false);
      // Orphans go first: a stack moved elsewhere may create objects its orphan still holds, and
      // destroying the orphan afterwards would delete what was just adopted.
      const pruned = prune ? await pruneOrphans(orphans, config, (stacks) => runStacks({ operation: 'destroy', stacks, ...common })) : undefined;
      const report = await runStacks({ operation, stacks, ...common });
      const withOrphans: RunReport =
        operation === 'destroy' || orphans.length === 0
          ? report
          : { ...report, orphans: pruned ?? orphans.map((o) => ({ ...o, action: operation === 'plan' ? 'pending' : 'left' })) };
      return policy ? { ...withOrphans, policy: { violations: policy.violations, waived: policy.waived } } : withOrphans;
    },
  };
}

/** The config's stacks --stack names (all without IDs); IDs of orphans are left to the caller. */
function selectConfigStacks(all: StackInstance[], ids: string[] | undefined, orphans: OrphanStack[]): StackInstance[] {
  if (!ids?.length) return all;
  const inConfig = ids.filter((id) => !orphans.some((o) => o.id === id));
  return inConfig.length ? selectStacks(all, inConfig) : [];
}

/** The policy gate over the selected stacks: mandatory violations stop the run before any engine starts. */
async function policyGate(loaded: ReturnType<typeof loadConfig>, stacks: StackInstance[], operation: StackOperation): Promise<PolicyReport> {
  const { checkPolicies } = await import('./policy/check.js'); // only plan/apply load the policy code
  const report = await checkPolicies({ loaded, stacks });
  const blocking = mandatory(report);
  if (blocking.length) {
    const where = [...new Set(blocking.map((v) => v.stack))];
    throw new PolicyError(
      `${plural(blocking.length, 'mandatory policy violation')} in ${plural(where.length, 'stack')}: nothing was ${operation === 'plan' ? 'planned' : 'applied'}`,
      report,
      'Fix the config entry each violation names, or waive it with a reason in policy.waivers (docs/policy.md); `platform policy check` shows them all.',
    );
  }
  return report;
}

/** Every secretEnv variable of the stacks is set (plan and apply read them; destroy does not). */
function checkSecretVariables(stacks: StackInstance[]): void {
  const problems = stacks.flatMap((s) => s.objects.flatMap((o) => missingSecretVariables(o).map((p) => ({ ...p, path: `${s.id}: ${p.path}` }))));
  if (problems.length)
    throw new UsageError(
      `${problems.length} secret value${problems.length === 1 ? ' is' : 's are'} missing from the environment`,
      problems,
      MISSING_SECRET_HINT,
    );
}

/**
 * A stack that another engine applied (its state holds objects) and this one never did belongs to that
 * engine: running it here would create every object a second time under another owner.
 */
export async function refuseOtherEnginesState(stacks: StackInstance[], engine: EngineDescriptor, ctx: StateContext, store?: StateStore): Promise<void> {
  const selected = new Set(stacks.map((s) => s.id));
  const mine = engine.stateReader(ctx, store);
  for (const other of ENGINE_NAMES.filter((n) => n !== engine.name)) {
    const theirs = (await engineDescriptor(other)).stateReader(ctx, store);
    const candidates = (await theirs.stackIds()).filter((id) => selected.has(id));
    for (const id of candidates) {
      if ((await theirs.read(id)).objects.length === 0 || (await mine.read(id)).objects.length > 0) continue;
      throw new UsageError(
        `stack ${id} is managed by the ${other} engine (its state holds objects), not by ${engine.name}`,
        [{ path: 'engine', message: `stack ${id} has ${other} state and no ${engine.name} state` }],
        `Keep engine: ${other} for this estate, or destroy the stack with the ${other} engine first and then apply it with engine: ${engine.name}.`,
      );
    }
  }
}

function checkDestroyConfirmation(stacks: StackInstance[], opts: Omit<OperationOptions, 'onEvent'>): void {
  if (!opts.yes)
    throw new UsageError(
      'destroy needs --yes and --confirm <stack id> (or --confirm all with --all)',
      [],
      'Destroy deletes every object of the stack; nothing is asked interactively.',
    );
  const confirmed = new Set(opts.confirm ?? []);
  if (opts.all) {
    if (!confirmed.has('all')) throw new UsageError('destroy --all needs --confirm all');
    return;
  }
  const missing = stacks.filter((s) => !confirmed.has(s.id));
  if (missing.length) {
    throw new UsageError(
      `destroy needs each stack confirmed by ID`,
      missing.map((s) => ({ path: '--confirm', message: `not confirmed: ${s.id}` })),
      `Add ${missing.map((s) => `--confirm ${s.id}`).join(' ')}.`,
    );
  }
}
