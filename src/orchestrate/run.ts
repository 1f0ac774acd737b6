/**
 * One runner for plan/apply/destroy over the stack DAG: independent stacks in parallel up to `parallel`,
 * dependents wait (destroy: in reverse), a failed stack marks its dependents `skipped` and never stops
 * unrelated stacks, an abort stops starting new stacks and cancels running ones through the engine.
 */
import type { PlanCost } from '../cost/plan.js';
import { Bug, combineExitCodes, errorInfo, ExitCode } from '../errors.js';
import type { PolicyReport } from '../policy/types.js';
import type { OrphanReport } from './orphans.js';
import type { StackInstance } from '../stacks/types.js';
import { emptyCounts, type EngineEvent, type Operation, type RunContext, type StackEngine, type StackResult } from '../engines/types.js';

export interface RunPlan {
  operation: Operation;
  /** The selected stacks; dependencies outside the selection are assumed in place. */
  stacks: StackInstance[];
  engine: StackEngine;
  context: Omit<RunContext, 'onEvent' | 'signal'>;
  parallel: number;
  onEvent: (event: EngineEvent) => void;
  signal?: AbortSignal;
  /**
   * Held for each stack's whole run, whatever the engine does inside it (src/state/lock.ts); throws
   * when another operation holds the stack. Resolves to the release.
   */
  lock?: (stackId: string, operation: Operation) => Promise<() => Promise<void>>;
}

export interface RunReport {
  version: 1;
  operation: RunPlan['operation'];
  stacks: StackResult[];
  /** plan: each stack's monthly cost difference against the --base ref (src/cost/plan.ts). */
  cost?: PlanCost;
  /** plan/apply: the policy gate's advisory violations and what waivers let through (docs/policy.md). */
  policy?: Pick<PolicyReport, 'violations' | 'waived'>;
  /**
   * plan/apply over every stack: stacks whose state still holds resources but that platform.yaml no
   * longer generates — `pending` (plan), `left` (apply without --prune), else what --prune did.
   */
  orphans?: OrphanReport[];
}

export async function runStacks(plan: RunPlan): Promise<RunReport> {
  const { stacks, operation } = plan;
  const selected = new Map(stacks.map((s) => [s.id, s]));
  // Edges inside the selection, oriented by what must finish first.
  const waitsFor = new Map<string, string[]>();
  for (const s of stacks) waitsFor.set(s.id, []);
  for (const s of stacks) {
    for (const d of s.dependsOn) {
      if (!selected.has(d)) continue;
      if (operation === 'destroy') waitsFor.get(d)!.push(s.id);
      else waitsFor.get(s.id)!.push(d);
    }
  }

  const results = new Map<string, StackResult>();
  const running = new Map<string, Promise<void>>();
  const parallel = Math.max(1, plan.parallel);

  const skip = (s: StackInstance, reason: string): void => {
    const result: StackResult = { id: s.id, engine: plan.engine.name, status: 'skipped', changes: emptyCounts(), resources: [], reason };
    results.set(s.id, result);
    plan.onEvent({ type: 'finished', stack: s.id, result });
  };

  const start = (s: StackInstance): void => {
    const ctx: RunContext = { ...plan.context, onEvent: plan.onEvent, signal: plan.signal };
    const task = (async () => {
      let result: StackResult;
      let release: (() => Promise<void>) | undefined;
      try {
        release = await plan.lock?.(s.id, operation);
        result = await plan.engine.run(operation, s, ctx);
      } catch (e) {
        // Engines report failures as results; a throw here is the stack lock or a bug: keep other stacks going.
        result = { id: s.id, engine: plan.engine.name, status: 'failed', changes: emptyCounts(), resources: [], error: errorInfo(e) };
        plan.onEvent({ type: 'finished', stack: s.id, result });
      } finally {
        await release?.();
      }
      results.set(s.id, result);
    })();
    running.set(
      s.id,
      task.finally(() => running.delete(s.id)),
    );
  };

  while (results.size < stacks.length) {
    const before = results.size + running.size;
    for (const s of stacks) {
      if (results.has(s.id) || running.has(s.id)) continue;
      if (plan.signal?.aborted) {
        skip(s, 'cancelled before it started');
        continue;
      }
      const deps = waitsFor.get(s.id)!;
      const blocked = deps.find((d) => results.get(d) && results.get(d)!.status !== 'ok' && results.get(d)!.status !== 'changes');
      if (blocked) {
        const why = results.get(blocked)!;
        skip(s, `${operation === 'destroy' ? 'dependent' : 'dependency'} ${blocked} ${why.status === 'failed' ? 'failed' : 'was skipped'}`);
        continue;
      }
      // A plan may run after a parent that only has pending changes; apply/destroy need them done.
      if (deps.every((d) => results.has(d)) && running.size < parallel) start(s);
    }
    if (results.size >= stacks.length) break;
    if (running.size === 0) {
      if (results.size + running.size === before)
        throw new Bug(
          `the stack graph has a cycle among ${stacks
            .filter((s) => !results.has(s.id))
            .map((s) => s.id)
            .join(', ')}`,
        );
      continue; // newly skipped stacks may unblock others
    }
    await Promise.race(running.values());
  }
  return { version: 1, operation, stacks: stacks.map((s) => results.get(s.id)!) };
}

/** docs/config.md "Exit codes": the most severe result wins — 2 (a failure of kind usage) over 1 (any other failure) over 3 (changes, when asked for) over 0; 4 is decided before any stack runs. */
export function exitCodeOf(report: RunReport, detailedExitCode: boolean): number {
  return combineExitCodes([
    ...report.stacks.map((s) => {
      // A failure keeps its kind (bad input an engine found is still exit 2); a skipped stack was blocked
      // by a failure or a cancellation: either way the run did not do its job.
      if (s.status === 'failed') return s.error?.kind === 'usage' ? ExitCode.usage : ExitCode.failure;
      if (s.status === 'skipped') return ExitCode.failure;
      return detailedExitCode && s.status === 'changes' ? ExitCode.changes : ExitCode.ok;
    }),
    // An orphan plan would destroy is a pending change; one apply --prune could not destroy, a failure.
    ...(report.orphans ?? []).map((o) =>
      o.action === 'failed' || o.action === 'skipped' ? ExitCode.failure : detailedExitCode && o.action === 'pending' ? ExitCode.changes : ExitCode.ok,
    ),
  ]);
}
