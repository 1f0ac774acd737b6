/**
 * What a person sees of a multi-stack run, on stderr: listr2 tasks (one per stack, with resource
 * counts) in a terminal; otherwise one block of prefixed lines per stack, printed when it finishes, so
 * parallel stacks never interleave.
 */
import { color, info } from '../ui.js';
import type { ChangeCounts, EngineEvent, ResourceChange, StackResult } from '../../engines/types.js';
import type { RunReport } from '../../orchestrate/run.js';
import type { FieldDiff } from '../../objects/diff.js';

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
  const show = (v: unknown): string => (v === undefined ? '∅' : JSON.stringify(v));
  return `${d.path}: ${color.red(show(d.old))} → ${color.green(show(d.new))}`;
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

/** What a stack's run came to: its counts, why it was skipped, or its error. */
function outcome(r: StackResult): string {
  if (r.status === 'skipped') return r.reason ?? '';
  if (r.status === 'failed') return r.error?.message ?? '';
  return counts(r.changes);
}

/** Block-per-stack renderer for logs and CI. */
export function plainRenderer(opts: { diff: boolean; operation: string }): RunRenderer {
  const started = new Set<string>();
  return {
    onEvent(e) {
      if (e.type === 'started' && !started.has(e.stack)) {
        started.add(e.stack);
        info(color.dim(`[${e.stack}] ${opts.operation} started`));
      }
      if (e.type !== 'finished') return;
      const r = e.result;
      const lines = [`[${r.id}] ${statusWord(r)} ${outcome(r)}`];
      for (const res of r.resources) if (res.op !== 'same') lines.push(...resourceLines(res, opts.diff).map((l) => `[${r.id}]   ${l}`));
      if (r.error?.hint) lines.push(`[${r.id}]   ${color.dim(r.error.hint)}`);
      info(lines.join('\n'));
    },
    close: async () => {},
  };
}

/** listr2 renderer for a terminal: a task per stack, title updated with its counts as events arrive. */
export async function ttyRenderer(stackIds: string[], opts: { diff: boolean; operation: string }): Promise<RunRenderer> {
  const { Listr } = await import('listr2');
  const waiters = new Map<string, { resolve: (r: StackResult) => void; progress: (line: string) => void }>();
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
            if (r.status === 'failed') rejectTask(new Error(r.error?.hint ?? r.error?.message ?? 'failed'));
            else resolveTask();
          };
          waiters.set(id, { resolve: finish, progress: (line) => { seen++; task.title = `${id} ${color.dim(`${seen} resources…`)}`; task.output = line; } });
          const early = done.get(id);
          if (early) finish(early);
        });
      },
    })),
    { concurrent: true, exitOnError: false, rendererOptions: { collapseErrors: false }, registerSignalListeners: false, renderer: 'default', fallbackRenderer: 'simple' } as never,
  );
  const running = tasks.run().catch(() => undefined);
  ready.set('all', running.then(() => undefined));
  return {
    onEvent(e) {
      if (e.type === 'resource' && e.phase === 'done') waiters.get(e.stack)?.progress(`${OP_MARK[e.change.op]} ${e.change.type} ${e.change.name}`);
      if (e.type === 'finished') {
        done.set(e.stack, e.result);
        waiters.get(e.stack)?.resolve(e.result);
      }
    },
    close: async () => {
      await running;
      if (opts.diff) {
        for (const r of done.values()) {
          const changed = r.resources.filter((x) => x.op !== 'same');
          if (changed.length) info(`${color.bold(r.id)}\n${changed.flatMap((x) => resourceLines(x, true)).map((l) => `  ${l}`).join('\n')}`);
        }
      }
    },
  };
}

export function summaryLine(report: RunReport): string {
  const by = (status: StackResult['status']) => report.stacks.filter((s) => s.status === status).length;
  return `${report.operation}: ${report.stacks.length} stacks — ${by('ok')} ok, ${by('changes')} with changes, ${by('failed')} failed, ${by('skipped')} skipped`;
}
