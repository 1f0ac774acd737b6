/**
 * What a person sees of a multi-stack run. While it runs, on stderr: listr2 tasks (one per stack, with
 * resource counts) in a terminal, otherwise one line per stack as it starts and finishes. When it is
 * done, on stdout: the result grouped per stack in dependency order — a one-line summary per stack,
 * its resources and (--diff) their field diffs under it, never interleaved with another stack.
 */
import { plural } from '../../text.js';
import { color, info } from '../ui.js';
import type { ChangeCounts, EngineEvent, ResourceChange, StackResult } from '../../engines/types.js';
import type { RunReport } from '../../orchestrate/run.js';
import { ORPHAN_ACTION_TEXT, PRUNE_HINT } from '../../orchestrate/orphans.js';
import { stackError } from '../../report/model.js';
import { shortValue } from '../../report/values.js';
import type { FieldDiff } from '../../objects/diff.js';
import { monthlyDeltaText, shouldShowCost, stackDifference } from '../../cost/render.js';

export interface RunRenderer {
  onEvent(event: EngineEvent): void;
  /** Resolves once the display has drawn its last frame. */
  close(): Promise<void>;
}

export function counts(c: ChangeCounts): string {
  const parts = [
    c.create && color.green(`+${c.create}`),
    c.update && color.yellow(`~${c.update}`),
    c.replace && color.magenta(`±${c.replace}`),
    c.delete && color.red(`-${c.delete}`),
  ].filter(Boolean);
  return parts.length ? `${parts.join(' ')}${c.same ? color.dim(` (${c.same} unchanged)`) : ''}` : color.dim(`no changes (${c.same} unchanged)`);
}

const OP_MARK: Record<ResourceChange['op'], string> = { create: '+', update: '~', replace: '±', delete: '-', same: ' ' };

export function resourceLines(r: ResourceChange, withDiff: boolean): string[] {
  const lines = [`${OP_MARK[r.op]} ${r.type} ${r.name}`];
  if (withDiff) for (const d of r.diff) lines.push(`    ${fieldLine(d)}`);
  return lines;
}

function fieldLine(d: FieldDiff): string {
  return `${d.path}: ${color.red(shortValue(d.old))} → ${color.green(shortValue(d.new))}`;
}

/** The one-line outcome of a stack: its counts, or why it failed or was skipped. */
function outcome(r: StackResult): string {
  if (r.status === 'skipped') return r.reason ?? '';
  if (r.status === 'failed') return stackError(r.error)?.message.split('\n')[0] ?? '';
  return counts(r.changes);
}

function statusWord(r: StackResult): string {
  switch (r.status) {
    case 'ok':
      return color.green('ok');
    case 'changes':
      return color.yellow('changes');
    case 'failed':
      return color.red('failed');
    case 'skipped':
      return color.dim('skipped');
  }
}

/** Progress for logs and CI: one line when a stack starts, one when it finishes. */
export function plainRenderer(opts: { operation: string }): RunRenderer {
  const started = new Set<string>();
  return {
    onEvent(e) {
      if (e.type === 'started' && !started.has(e.stack)) {
        started.add(e.stack);
        info(color.dim(`[${e.stack}] ${opts.operation} started`));
      }
      if (e.type === 'finished') info(`[${e.stack}] ${statusWord(e.result)} ${outcome(e.result)}`);
    },
    close: async () => {},
  };
}

/** listr2 renderer for a terminal: a task per stack, title updated with its counts as events arrive. */
export async function ttyRenderer(stackIds: string[]): Promise<RunRenderer> {
  const { Listr } = await import('listr2');
  const waiters = new Map<string, { resolve: (r: StackResult) => void; progress: (line: string) => void; note: (line: string) => void }>();
  const ready = new Map<string, Promise<void>>();
  const done = new Map<string, StackResult>();
  const tasks = new Listr(
    stackIds.map((id) => ({
      title: color.dim(id),
      task: (_ctx: unknown, task: { title: string; output: string }) => {
        let seen = 0;
        return new Promise<void>((resolveTask, rejectTask) => {
          const finish = (r: StackResult) => {
            task.title = `${id} ${statusWord(r)} ${outcome(r)}`;
            if (r.status === 'failed') rejectTask(new Error(stackError(r.error)?.message ?? 'failed'));
            else resolveTask();
          };
          waiters.set(id, {
            resolve: finish,
            progress: (line) => {
              seen++;
              task.title = `${id} ${color.dim(`${seen} resources…`)}`;
              task.output = line;
            },
            // What the engine is doing that is not one resource (waiting for deleted namespaces to be gone).
            note: (line) => {
              task.output = line;
            },
          });
          const early = done.get(id);
          if (early) finish(early);
        });
      },
    })),
    {
      concurrent: true,
      exitOnError: false,
      rendererOptions: { collapseErrors: false },
      registerSignalListeners: false,
      renderer: 'default',
      fallbackRenderer: 'simple',
    } as never,
  );
  const running = tasks.run().catch(() => undefined);
  ready.set(
    'all',
    running.then(() => undefined),
  );
  return {
    onEvent(e) {
      if (e.type === 'resource' && e.phase === 'done') waiters.get(e.stack)?.progress(`${OP_MARK[e.change.op]} ${e.change.type} ${e.change.name}`);
      if (e.type === 'diagnostic' && e.severity === 'info') waiters.get(e.stack)?.note(e.message);
      if (e.type === 'finished') {
        done.set(e.stack, e.result);
        waiters.get(e.stack)?.resolve(e.result);
      }
    },
    close: async () => {
      await running;
    },
  };
}

export function summaryLine(report: RunReport): string {
  const by = (status: StackResult['status']) => report.stacks.filter((s) => s.status === status).length;
  return `${report.operation}: ${plural(report.stacks.length, 'stack')} — ${by('ok')} ok, ${by('changes')} with changes, ${by('failed')} failed, ${by('skipped')} skipped${orphanSummary(report)}${costSummary(report)}`;
}

/** `; 1 stack no longer in platform.yaml to be destroyed` */
function orphanSummary(report: RunReport): string {
  const orphans = report.orphans ?? [];
  if (!orphans.length) return '';
  const by = new Map<string, number>();
  for (const o of orphans) by.set(ORPHAN_ACTION_TEXT[o.action], (by.get(ORPHAN_ACTION_TEXT[o.action]) ?? 0) + 1);
  return `; ${plural(orphans.length, 'stack')} no longer in platform.yaml: ${[...by].map(([word, n]) => `${n} ${word}`).join(', ')}`;
}

/**
 * Stacks whose state outlived their place in platform.yaml: what plan would destroy (with apply
 * --prune), what apply left, or what --prune did; with how to remove what was left.
 */
export function orphanLines(report: RunReport): string[] {
  const orphans = report.orphans ?? [];
  if (!orphans.length) return [];
  const lines: string[] = [];
  const width = Math.min(60, Math.max(0, ...orphans.map((o) => o.id.length)));
  for (const o of orphans) {
    const word = (o.action === 'destroyed' ? color.green : color.red)(ORPHAN_ACTION_TEXT[o.action]);
    lines.push(`${color.bold(o.id.padEnd(width))}  ${word} (${o.reason})  ${color.red(`-${plural(o.resources, 'resource')}`)}`);
    const error = o.error ?? (o.result?.status === 'failed' ? o.result.error : undefined);
    if (error) lines.push(`  ${error.message}`, ...(error.hint ? [`  ${color.dim(error.hint)}`] : []));
    else if (o.result?.status === 'skipped' && o.result.reason) lines.push(`  ${o.result.reason}`);
    else if (o.blocked && (o.action === 'pending' || o.action === 'left')) lines.push(`  ${color.dim(`cannot be destroyed from this config: ${o.blocked}`)}`);
  }
  const remaining = orphans.filter((o) => o.action === 'pending' || o.action === 'left');
  if (remaining.length) lines.push(color.dim(`${report.operation === 'plan' ? 'apply leaves these unless asked' : 'left in place'}: ${PRUNE_HINT}`));
  return lines;
}

/** `; cost +14.42 USD/month against origin/main` when the plan moves the estimated bill. */
function costSummary(report: RunReport): string {
  const delta = report.cost?.delta;
  return delta && shouldShowCost(delta) ? `; cost ${monthlyDeltaText(delta.total.difference)} against ${delta.base.ref}` : '';
}

/** A stack's monthly cost difference beside its outcome, when it has one. */
function stackCost(report: RunReport, id: string): string {
  const delta = report.cost?.delta;
  const difference = delta ? stackDifference(delta, id) : 0;
  return Math.round(difference * 100) === 0 ? '' : `  ${color.cyan(monthlyDeltaText(difference))}`;
}

/**
 * The result, grouped per stack in the report's (dependency) order: a summary line per stack, then its
 * changed resources, then (withDiff) their field diffs; an error with its hint; the run's summary last.
 */
export function renderRun(report: RunReport, opts: { diff: boolean }): string {
  const width = Math.min(60, Math.max(0, ...report.stacks.map((s) => s.id.length)));
  const lines: string[] = [];
  for (const r of report.stacks) {
    lines.push(`${color.bold(r.id.padEnd(width))}  ${statusWord(r)}  ${outcome(r)}${stackCost(report, r.id)}`);
    for (const res of r.resources) if (res.op !== 'same') lines.push(...resourceLines(res, opts.diff).map((l) => `  ${l}`));
    const error = r.status === 'failed' ? stackError(r.error) : undefined;
    if (error) {
      const [, ...rest] = error.message.split('\n');
      for (const l of rest) lines.push(`  ${l}`);
      if (error.hint) lines.push(`  ${color.dim(error.hint)}`);
    }
  }
  lines.push(...orphanLines(report));
  // Asked for (plan prices by default) but not possible: say why, once, rather than leave it out silently.
  if (report.cost?.unavailable) lines.push(color.dim(`cost not estimated: ${report.cost.unavailable} (--no-cost leaves it out)`));
  lines.push(summaryLine(report));
  return lines.join('\n');
}
