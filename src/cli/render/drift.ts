/** Human renderings of a drift report: a table grouped by stack (terminal) and Markdown (PR comment, job summary). */
import { type DriftFinding, type DriftPath, type DriftReport, type StackDrift } from '../../drift/types.js';
import { describeObject } from '../../objects/identity.js';

const MAX_VALUE = 80;

/** A value on one line, shortened; absent values show as `∅`. */
export function formatValue(v: unknown): string {
  if (v === undefined) return '∅';
  const text = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/** `old → new` for one path, per class: pending state → git, drifted state → live. */
export function changeOf(cls: DriftFinding['class'], p: DriftPath): string {
  if (cls === 'pending' && p.path === '/' && p.state === undefined) return 'only in Git: apply creates it';
  if (cls === 'pending' && p.path === '/' && p.git === undefined) return 'only in state: apply deletes it';
  if (cls === 'pending') return `${formatValue(p.state)} → ${formatValue(p.git)}`;
  return `${formatValue(p.state)} → ${formatValue(p.live)}`;
}

const WHOLE: Record<DriftFinding['class'], string> = {
  pending: 'not applied yet',
  drifted: 'changed out of band',
  missing: 'in state, gone from the cluster',
  unmanaged: 'live, managed by no stack',
};

const wholeObjectNote = (f: DriftFinding): string => WHOLE[f.class];

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

const md = (s: string): string => s.replaceAll('|', '\\|').replaceAll('\n', ' ');
const code = (s: string): string => `\`${s.replaceAll('`', "'")}\``;

const STATUS_ICON: Record<StackDrift['status'], string> = { clean: '✅', drift: '⚠️', error: '❌' };

/** Markdown for a PR comment or `$GITHUB_STEP_SUMMARY`. */
export function renderMarkdown(report: DriftReport): string {
  const s = summarize(report);
  const out: string[] = [];
  const verdict = report.exitCode === 0 ? 'no drift' : report.exitCode === 3 ? 'drift found' : 'some stacks could not be checked';
  out.push(`## platform drift: ${verdict}`, '');
  out.push(`Ref ${code(report.ref)} · ${s.stacks} stacks · ${s.clean} clean · ${s.drift} with drift · ${s.error} errors · exit ${report.exitCode}`, '');
  out.push('| class | count |', '|---|---|');
  for (const [c, n] of Object.entries(s.findings)) out.push(`| ${c} | ${n} |`);
  out.push('');
  for (const stack of report.stacks) {
    if (stack.status === 'clean') continue;
    out.push(`### ${STATUS_ICON[stack.status]} ${code(stack.id)} — ${stack.status}`, '');
    if (stack.error) out.push(`> ${md(stack.error)}`, '');
    if (!stack.findings.length) continue;
    out.push('| class | object | path | change |', '|---|---|---|---|');
    for (const f of stack.findings) {
      const object = md(`${f.apiVersion} ${describeObject(f)}`);
      if (!f.paths.length) out.push(`| ${f.class} | ${object} | | ${md(wholeObjectNote(f))} |`);
      for (const p of f.paths) out.push(`| ${f.class} | ${object} | ${code(p.path)} | ${code(changeOf(f.class, p))} |`);
    }
    out.push('');
  }
  const clean = report.stacks.filter((x) => x.status === 'clean');
  if (clean.length) out.push(`<details><summary>${clean.length} clean stacks</summary>`, '', clean.map((x) => code(x.id)).join(' · '), '', '</details>', '');
  return out.join('\n');
}
