/** `platform graph --status FILE`: the stack statuses of a saved `plan|apply|destroy|drift --json` document. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import type { ReportStatus } from './status.js';

const runDocument = z.object({
  version: z.literal(1),
  operation: z.enum(['plan', 'apply', 'destroy']),
  stacks: z.array(z.object({ id: z.string(), status: z.enum(['ok', 'changes', 'failed', 'skipped']) })),
});
const driftDocument = z.object({
  version: z.literal(1),
  ref: z.string(),
  stacks: z.array(z.object({ id: z.string(), status: z.enum(['clean', 'drift', 'error']) })),
});
const DRIFT: Record<'clean' | 'drift' | 'error', ReportStatus> = { clean: 'ok', drift: 'drifted', error: 'failed' };

const HINT = 'Pass the output of `platform plan --json`, `apply --json`, `destroy --json` or `drift --json`.';

export function readStatusFile(file: string): Map<string, ReportStatus> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--status ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, [], HINT);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--status ${file}: not JSON (${(e as Error).message})`, [], HINT);
  }
  if (doc && typeof doc === 'object' && 'error' in doc) {
    const message = (doc as { error?: { message?: unknown } }).error?.message;
    throw new UsageError(`--status ${file}: that run failed before it had stack results${typeof message === 'string' ? ` (${message})` : ''}`, [], HINT);
  }
  const run = runDocument.safeParse(doc);
  if (run.success) return new Map(run.data.stacks.map((s) => [s.id, s.status]));
  const drift = driftDocument.safeParse(doc);
  if (drift.success) return new Map(drift.data.stacks.map((s) => [s.id, DRIFT[s.status]]));
  const problems = run.error.issues.slice(0, 5).map((i) => ({ path: i.path.join('.') || '(document)', message: i.message }));
  throw new UsageError(`--status ${file}: not a plan, apply, destroy or drift result`, problems, HINT);
}
