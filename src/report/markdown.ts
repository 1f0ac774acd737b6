/**
 * Markdown for a PR comment or a job summary: the summary table first, the graph as Mermaid, then one
 * collapsible `<details>` block per stack that changes, failed or drifted. It fits GitHub's comment
 * limit: while it is too long, the largest section is shortened one step (field values go, then the
 * details), and a note says what was cut and where the full report is.
 */
import type { ResourceChange } from '../engines/types.js';
import { DRIFT_CLASSES, type DriftFinding } from '../drift/types.js';
import { drawing, toMermaid } from './graph.js';
import { REPORT_STATUSES, statusLabel, summarizeReport, type ReportModel, type ReportStack, type ReportStatus } from './model.js';
import { changeOf, FINDING_NOTE, shortValue } from './values.js';
import { describeObject } from '../objects/identity.js';

/** GitHub's limit for a comment (and a job summary) in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface MarkdownOptions {
  /** Characters; GitHub's comment limit by default. */
  limit?: number;
  /** Where the full report is, said when something was cut (e.g. "the HTML report `plan.html`"). */
  fullReport?: string;
  /** A section right under the summary (plan's cost table, src/cost/render.ts). */
  cost?: string;
}

const ICON: Record<ReportStatus, string> = { failed: '❌', skipped: '⏭️', drifted: '⚠️', changes: '🟡', ok: '✅' };
const OP_MARK: Record<ResourceChange['op'], string> = { create: '+', update: '~', replace: '±', delete: '-', same: '' };

const cell = (s: string): string => s.replaceAll('|', '\\|').replaceAll('\n', ' ');
const code = (s: string): string => `\`${cell(s).replaceAll('`', "'")}\``;
const html = (s: string): string => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** A piece of the document that can be made shorter, step by step, down to `levels - 1`. */
interface Section {
  render: (level: number) => string;
  level: number;
  levels: number;
  text: string;
  /** What each step cuts, for the note ("field values of", "details of"). */
  cuts: string[];
  /** What this section is, in the note ("3 stacks", "the graph"). */
  unit: 'stack' | 'graph' | 'list';
}

const section = (unit: Section['unit'], cuts: string[], render: (level: number) => string): Section => ({
  render,
  level: 0,
  levels: cuts.length + 1,
  text: render(0),
  cuts,
  unit,
});

export function countsText(s: ReportStack): string {
  const c = s.changes;
  if (!c) return s.findings.length ? `${s.findings.length} finding(s)` : '';
  const parts = [c.create && `+${c.create}`, c.update && `~${c.update}`, c.replace && `±${c.replace}`, c.delete && `-${c.delete}`].filter(Boolean);
  return parts.length ? parts.join(' ') : 'no changes';
}

function stackTitle(s: ReportStack, model: ReportModel): string {
  const what = s.error && s.status !== 'changes' ? s.error.message.split('\n')[0] : countsText(s);
  return `${ICON[s.status]} ${code(s.id)} — ${statusLabel(s.status, model.operation)}${what ? `: ${cell(shortLine(what, 160))}` : ''}`;
}

const shortLine = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max)}… (+${(s.length - max).toLocaleString('en-US')} chars)` : s);

function resourceRows(resources: ResourceChange[], withValues: boolean): string[] {
  if (!resources.length) return [];
  if (!withValues) {
    return [
      '| | resource | fields |',
      '|---|---|---|',
      ...resources.map((r) => `| ${OP_MARK[r.op]} | ${code(`${r.type} ${r.name}`)} | ${r.diff.map((d) => code(d.path)).join(' ')} |`),
    ];
  }
  const rows = ['| | resource | field | before | after |', '|---|---|---|---|---|'];
  for (const r of resources) {
    const name = code(`${r.type} ${r.name}`);
    if (!r.diff.length) rows.push(`| ${OP_MARK[r.op]} | ${name} | | | |`);
    r.diff.forEach((d, i) =>
      rows.push(
        `| ${i === 0 ? OP_MARK[r.op] : ''} | ${i === 0 ? name : ''} | ${code(d.path)} | ${code(shortValue(d.old, 60))} | ${code(shortValue(d.new, 60))} |`,
      ),
    );
  }
  return rows;
}

function findingRows(findings: DriftFinding[], withValues: boolean): string[] {
  if (!findings.length) return [];
  const rows = withValues ? ['| class | object | path | change |', '|---|---|---|---|'] : ['| class | object | paths |', '|---|---|---|'];
  for (const cls of DRIFT_CLASSES) {
    for (const f of findings.filter((x) => x.class === cls)) {
      const object = cell(`${f.apiVersion} ${describeObject(f)}`);
      if (!withValues) rows.push(`| ${cls} | ${object} | ${f.paths.length ? f.paths.map((p) => code(p.path)).join(' ') : cell(FINDING_NOTE[cls])} |`);
      else if (!f.paths.length) rows.push(`| ${cls} | ${object} | | ${cell(FINDING_NOTE[cls])} |`);
      else for (const p of f.paths) rows.push(`| ${cls} | ${object} | ${code(p.path)} | ${code(changeOf(cls, p, 60))} |`);
    }
  }
  return rows;
}

/** Level 0: everything; 1: without values; 2: the title line only. */
function stackSection(s: ReportStack, model: ReportModel): Section {
  return section('stack', ['field values of', 'details of'], (level) => {
    const title = stackTitle(s, model);
    if (level >= 2) return `- ${title}\n`;
    const body: string[] = [];
    if (s.orphan) body.push(`*${cell(s.orphan)}*`, '');
    if (s.error) {
      body.push(`> ${cell(level === 0 ? s.error.message : shortLine(s.error.message, 300))}`);
      if (s.error.hint) body.push('>', `> ${cell(s.error.hint)}`);
      body.push('');
    }
    const rows = [...resourceRows(s.resources, level === 0), ...findingRows(s.findings, level === 0)];
    if (rows.length) body.push(...rows, '');
    if (s.changes?.same) body.push(`${s.changes.same} resource(s) unchanged.`, '');
    return [`<details><summary>${html(title)}</summary>`, '', ...body, '</details>', ''].join('\n');
  });
}

function graphSection(model: ReportModel): Section {
  const auto = drawing(model.graph);
  const grouped = auto.grouped ? auto : drawing(model.graph, { group: 'always' });
  return section('graph', auto.grouped ? ['the graph'] : ['the per-stack graph (grouped per region and layer instead)', 'the graph'], (level) => {
    const d = level === 0 ? auto : level === 1 && !auto.grouped ? grouped : undefined;
    if (!d) return '';
    const note = d.grouped ? `\n\n${d.stacks} stacks, grouped per region and layer (\`platform graph\` draws every stack).` : '';
    return `<details><summary>Stack graph</summary>\n\n\`\`\`mermaid\n${toMermaid(d)}\n\`\`\`${note}\n\n</details>\n`;
  });
}

function okSection(stacks: ReportStack[], model: ReportModel): Section {
  const label = statusLabel('ok', model.operation);
  return section('list', [`the list of ${label} stacks`], (level) =>
    level === 0
      ? `<details><summary>${stacks.length} stack(s) ${label}</summary>\n\n${stacks.map((s) => code(s.id)).join(' · ')}\n\n</details>\n`
      : `${stacks.length} stack(s) ${label}.\n`,
  );
}

const VERB: Record<ReportModel['operation'], string> = { plan: 'plan', apply: 'apply', destroy: 'destroy', drift: 'drift' };

const DRIFT_VERDICT = (exitCode: number): string => (exitCode === 0 ? 'no drift' : exitCode === 3 ? 'drift found' : 'some stacks could not be checked');

function head(model: ReportModel): string {
  const sum = summarizeReport(model);
  const present = REPORT_STATUSES.filter((s) => sum.byStatus[s] > 0);
  const counted =
    present
      .filter((s) => s !== 'ok')
      .map((s) => `${sum.byStatus[s]} ${statusLabel(s, model.operation)}`)
      .join(', ') || `all ${statusLabel('ok', model.operation)}`;
  const verdict = model.operation === 'drift' ? DRIFT_VERDICT(model.exitCode) : counted;
  const out = [`## platform ${VERB[model.operation]}: ${verdict}`, ''];
  const meta = [
    model.project && `project ${code(model.project)}`,
    model.ref && `ref ${code(model.ref)}`,
    `${sum.total} stacks`,
    `exit ${model.exitCode}`,
  ].filter(Boolean);
  out.push(meta.join(' · '), '');
  const columns = REPORT_STATUSES.filter((s) => sum.byStatus[s] > 0 || s === 'ok');
  out.push(`| region | stacks | ${columns.map((s) => `${ICON[s]} ${statusLabel(s, model.operation)}`).join(' | ')} |`);
  out.push(`|---|---:|${columns.map(() => '---:').join('|')}|`);
  for (const r of sum.byRegion) out.push(`| ${cell(r.region)} | ${r.total} | ${columns.map((s) => r.byStatus[s]).join(' | ')} |`);
  out.push(`| **all** | **${sum.total}** | ${columns.map((s) => `**${sum.byStatus[s]}**`).join(' | ')} |`, '');
  if (model.operation === 'drift') {
    out.push('| finding | count |', '|---|---:|');
    for (const cls of DRIFT_CLASSES) out.push(`| ${cls} | ${model.stacks.reduce((n, s) => n + s.findings.filter((f) => f.class === cls).length, 0)} |`);
    out.push('');
  }
  return out.join('\n');
}

function cutNote(sections: Section[], limit: number, fullReport: string | undefined, dropped: number): string {
  const parts: string[] = [];
  for (const unit of ['graph', 'stack', 'list'] as const) {
    const of = sections.filter((s) => s.unit === unit && s.level > 0);
    if (!of.length) continue;
    if (unit === 'stack') {
      for (let step = 0; step < 2; step++) {
        const n = of.filter((s) => s.level > step).length;
        if (n) parts.push(`${of[0].cuts[step]} ${n} stack(s)`);
      }
    } else parts.push(of[0].cuts.slice(0, of[0].level).at(-1)!);
  }
  if (dropped) parts.push(`${dropped} stack(s) left out entirely`);
  const where = fullReport ? `The full report: ${fullReport}.` : 'Run with `--report report.html` for the full report.';
  const what =
    limit === GITHUB_COMMENT_LIMIT ? `GitHub's ${limit.toLocaleString('en-US')}-character limit` : `the ${limit.toLocaleString('en-US')}-character limit`;
  return `> [!NOTE]\n> Shortened to fit ${what} — cut: ${parts.join('; ')}. ${where}\n`;
}

/** Failures first: a reader of a PR comment looks for what broke; dependency order within a status. */
const BY_SEVERITY = (a: ReportStack, b: ReportStack): number => REPORT_STATUSES.indexOf(a.status) - REPORT_STATUSES.indexOf(b.status);

/**
 * The report as Markdown, never longer than `limit` (counted in UTF-8 bytes, which is never less than
 * GitHub's count of characters). Shortening goes largest section first; leaving out the graph and then
 * whole stacks (the least severe last) are the last resorts.
 */
export function reportMarkdown(model: ReportModel, opts: MarkdownOptions = {}): string {
  const limit = opts.limit ?? GITHUB_COMMENT_LIMIT;
  const size = (s: string): number => Buffer.byteLength(s, 'utf8');
  const top = opts.cost ? `${head(model)}\n${opts.cost}\n` : head(model);
  // Stacks with something to show get a section (an apply's ok stacks did change things); the rest a list.
  const quiet = (s: ReportStack): boolean => s.status === 'ok' && !s.resources.length && !s.findings.length && !s.error && !s.orphan;
  const notOk = model.stacks.filter((s) => !quiet(s)).sort(BY_SEVERITY);
  const ok = model.stacks.filter(quiet);
  const graph = graphSection(model);
  const sections = [graph, ...notOk.map((s) => stackSection(s, model)), ...(ok.length ? [okSection(ok, model)] : [])];
  const noteReserve = 700;
  const join = (extra = ''): string => [top, extra, ...sections.map((s) => s.text)].filter(Boolean).join('\n');
  const sizes = new Map(sections.map((s) => [s, size(s.text)]));
  let total = size(top) + sections.reduce((n, s) => n + sizes.get(s)! + 1, 0);
  let cut = false;
  const step = (s: Section): void => {
    s.level++;
    s.text = s.render(s.level);
    const now = size(s.text);
    total += now - sizes.get(s)!;
    sizes.set(s, now);
    cut = true;
  };
  const fits = (): boolean => total + (cut ? noteReserve : 0) <= limit;
  // Largest first: one big stack loses its values before many small ones lose their details. The graph
  // may become grouped here, but is left out only when nothing else can be shortened.
  while (!fits()) {
    let largest: Section | undefined;
    for (const s of sections) {
      const next = s.level + 1;
      if (next >= s.levels || (s === graph && next === s.levels - 1)) continue;
      if (!largest || sizes.get(s)! > sizes.get(largest)!) largest = s;
    }
    if (!largest) break;
    step(largest);
  }
  while (!fits() && graph.level < graph.levels - 1) step(graph);
  // Still too long (thousands of stacks): leave out the last (least severe) stacks' lines.
  let dropped = 0;
  while (!fits() && sections.some((s) => s.unit === 'stack')) {
    const i = sections.findLastIndex((s) => s.unit === 'stack');
    total -= sizes.get(sections[i])! + 1;
    sections.splice(i, 1);
    dropped++;
    cut = true;
  }
  if (!cut) return join();
  return join(cutNote(sections, limit, opts.fullReport, dropped));
}
