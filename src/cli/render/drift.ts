/** Human renderings of a drift report: a table grouped by stack (terminal) and Markdown (PR comment, job summary). */
import type { DriftFinding, DriftReport } from '../../drift/types.js';
import { describeObject } from '../../objects/identity.js';
import { reportMarkdown, type MarkdownOptions } from '../../report/markdown.js';
import { driftReportModel } from '../../report/model.js';
import { changeOf, FINDING_NOTE } from '../../report/values.js';
import type { StackInstance } from '../../stacks/types.js';

const wholeObjectNote = (f: DriftFinding): string => FINDING_NOTE[f.class];

export interface Summary {
  stacks: number;
  clean: number;
  drift: number;
  error: number;
  findings: Record<DriftFinding['class'], number>;
}

export function summarize(report: DriftReport): Summary {
  const findings = { pending: 0, drifted: 0, missing: 0, unmanaged: 0 };
  for (const s of report.stacks) for (const f of s.findings) findings[f.class]++;
  return {
    stacks: report.stacks.length,
    clean: report.stacks.filter((s) => s.status === 'clean').length,
    drift: report.stacks.filter((s) => s.status === 'drift').length,
    error: report.stacks.filter((s) => s.status === 'error').length,
    findings,
  };
}

export function summaryText(report: DriftReport): string {
  const s = summarize(report);
  const counts = Object.entries(s.findings)
    .filter(([, n]) => n > 0)
    .map(([c, n]) => `${n} ${c}`)
    .join(', ');
  return `${s.stacks} stacks at ${report.ref}: ${s.clean} clean, ${s.drift} with drift${counts ? ` (${counts})` : ''}, ${s.error} could not be checked — exit ${report.exitCode}`;
}

/** The terminal table: one block per stack that is not clean, one line per finding path. */
export function renderTable(report: DriftReport): string {
  const lines: string[] = [];
  for (const stack of report.stacks) {
    if (stack.status === 'clean') continue;
    lines.push(`${stack.id}  ${stack.status.toUpperCase()}`);
    if (stack.error) lines.push(`  error: ${stack.error}`);
    const width = Math.max(0, ...stack.findings.map((f) => f.class.length));
    for (const f of stack.findings) {
      const head = `  ${f.class.padEnd(width)}  ${f.apiVersion} ${describeObject(f)}`;
      if (!f.paths.length) {
        lines.push(`${head}  (${wholeObjectNote(f)})`);
        continue;
      }
      lines.push(head);
      for (const p of f.paths) lines.push(`  ${' '.repeat(width)}    ${p.path}: ${changeOf(f.class, p)}`);
    }
  }
  const clean = report.stacks.filter((s) => s.status === 'clean').map((s) => s.id);
  if (clean.length) lines.push(`clean: ${clean.join(', ')}`);
  lines.push(summaryText(report));
  return lines.join('\n');
}

/**
 * Markdown for a PR comment or `$GITHUB_STEP_SUMMARY`: the shared report Markdown (src/report), which
 * stays under GitHub's comment limit. `stacks` (planned from the config at the report's ref) place
 * the stacks in regions and draw the graph's edges.
 */
export function renderMarkdown(report: DriftReport, stacks: StackInstance[] = [], opts: MarkdownOptions & { project?: string } = {}): string {
  return reportMarkdown(driftReportModel(report, stacks, { project: opts.project }), opts);
}
