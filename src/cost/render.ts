/**
 * Cost reports as text: a terminal table and Markdown (PR comments, job summaries). Amounts are rounded
 * to cents here and only here. `costCommentMarkdown` is the table `plan`'s Markdown summary includes.
 */
import type { CostDelta, CostLine, CostReport, NotPriced } from './types.js';

const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });
const rate = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 6 });

/** `1,234.56` (no sign for zero, whatever its sign bit). */
export const usd = (n: number): string => money.format(Math.round(n * 100) === 0 ? 0 : n);
/** `+14.42` / `-3.00` / `0.00`. */
export const signedUsd = (n: number): string => (Math.round(n * 100) === 0 ? '0.00' : `${n > 0 ? '+' : '-'}${money.format(Math.abs(n))}`);
/** How `plan` shows a stack's change: `+14.42 USD/month`. */
export const monthlyDeltaText = (difference: number): string => `${signedUsd(difference)} USD/month`;

/** A stack's monthly difference in a delta (0 when the delta does not list it: it did not change). */
export const stackDifference = (delta: CostDelta, id: string): number => delta.stacks.find((s) => s.id === id)?.difference ?? 0;

const changes = (n: number): boolean => Math.round(n * 100) !== 0;

/** Whether the PR summary should show the cost table: the threshold is crossed, or (without one) anything changes cost. */
export function shouldShowCost(delta: CostDelta): boolean {
  if (delta.threshold) return delta.threshold.crossed;
  return changes(delta.total.difference) || delta.stacks.some((s) => changes(s.difference));
}

/** The cost section of `plan`'s Markdown summary, or undefined when it should not be shown. */
export function costCommentMarkdown(delta: CostDelta): string | undefined {
  return shouldShowCost(delta) ? costChangeMarkdown(delta) : undefined;
}

const percentOf = (difference: number, before: number): string =>
  before === 0 ? '' : ` (${difference >= 0 ? '+' : '-'}${number.format(Math.abs((difference / before) * 100))}%)`;

/** The before/after/difference table of a delta, with the changed lines folded away. */
export function costChangeMarkdown(delta: CostDelta): string {
  const t = delta.total;
  const out = [`### Cost: ${monthlyDeltaText(t.difference)} on the estimated bill${changes(t.difference) ? percentOf(t.difference, t.before) : ''}`, ''];
  const stacksMoved = delta.stacks.reduce((a, s) => a + s.difference, 0);
  if (changes(stacksMoved - t.difference)) {
    out.push(
      `The stacks below change by ${monthlyDeltaText(stacksMoved)} together, the estimated bill by ${monthlyDeltaText(t.difference)}: workloads are a share of their node pool, whose nodes up to its minimum are paid for either way (docs/cost.md).`,
      '',
    );
  }
  const moved = delta.stacks.filter((s) => changes(s.difference));
  out.push('| stack | before | after | difference |', '|---|---:|---:|---:|');
  for (const s of moved) out.push(`| \`${s.id}\`${s.partial ? ' †' : ''} | ${usd(s.before)} | ${usd(s.after)} | ${signedUsd(s.difference)} |`);
  out.push(`| **total (estimated bill)** | **${usd(t.before)}** | **${usd(t.after)}** | **${signedUsd(t.difference)}** |`, '');
  const lines = delta.stacks.flatMap((s) => s.lines.filter((l) => changes(l.difference)).map((l) => ({ stack: s.id, ...l })));
  if (lines.length) {
    out.push(
      '<details><summary>What changed, line by line</summary>',
      '',
      '| stack | resource | component | change | before | after | difference |',
      '|---|---|---|---|---:|---:|---:|',
    );
    for (const l of lines) {
      out.push(
        `| \`${l.stack}\` | \`${l.resource}\` | ${l.component} | ${l.change} | ${l.before ? usd(l.before.monthly) : '—'} | ${l.after ? usd(l.after.monthly) : '—'} | ${signedUsd(l.difference)} |`,
      );
    }
    out.push('', '</details>', '');
  }
  if (moved.some((s) => s.partial))
    out.push('† partly priced: some of its resources have no price (listed under "not priced"); the amounts cover the rest.', '');
  const threshold = delta.threshold ? ` Threshold ${delta.threshold.percent}%: ${delta.threshold.crossed ? 'crossed' : 'not crossed'}.` : '';
  out.push(
    `USD per month at on-demand list prices, against \`${delta.base.ref}\`${delta.base.commit ? ` (merge base \`${delta.base.commit.slice(0, 12)}\`)` : ''}. Workloads are a share of their node pool, not added to it (docs/cost.md).${threshold}`,
  );
  return out.join('\n');
}

/** `platform cost --format markdown`. */
export function renderCostMarkdown(report: CostReport): string {
  const out: string[] = [];
  if (report.delta) out.push(costChangeMarkdown(report.delta), '');
  out.push(`### Monthly cost (USD): ${usd(report.total.monthly)}${report.total.max !== report.total.monthly ? ` (up to ${usd(report.total.max)})` : ''}`, '');
  const priced = report.stacks.filter((s) => s.lines.length);
  out.push('| stack | monthly | max |', '|---|---:|---:|');
  for (const s of priced) out.push(`| \`${s.id}\` | ${usd(s.monthly)} | ${usd(s.max)} |`);
  out.push(`| **${totalLabel(report)}** | **${usd(report.total.monthly)}** | **${usd(report.total.max)}** |`, '');
  if (report.regions.length > 1 || report.regions.some((r) => r.pricing === 'local-reference')) {
    out.push('| region | cloud | monthly | max | of which workloads |', '|---|---|---:|---:|---:|');
    for (const r of report.regions)
      out.push(
        `| ${r.name} | ${r.cloud} ${r.location}${r.pricing === 'local-reference' ? ' (reference prices, not a bill)' : ''} | ${usd(r.monthly)} | ${usd(r.max)} | ${usd(r.workloads.monthly)} |`,
      );
    out.push('');
  }
  if (report.tenants.length) {
    out.push('| tenant | plan | monthly | workloads | shared | max |', '|---|---|---:|---:|---:|---:|');
    for (const t of report.tenants) out.push(`| ${t.name} | ${t.plan} | ${usd(t.monthly)} | ${usd(t.workloads)} | ${usd(t.shared)} | ${usd(t.max)} |`);
    out.push('');
  }
  const unrendered = unrenderedInstallsText(report);
  if (unrendered) out.push(`**${unrendered}**`, '');
  out.push(assumptionsText(report), '');
  if (report.notPriced.length) {
    out.push(`<details><summary>Not priced (${report.notPriced.length}): listed, never counted as zero</summary>`, '');
    for (const n of report.notPriced) out.push(`- \`${n.stack}\` ${n.type} \`${n.name}\`, ${n.component}: ${n.reason}`);
    out.push('', '</details>');
  }
  return out.join('\n').trimEnd();
}

/** `platform cost` in a terminal: stacks with their lines, regions, tenants, total, assumptions. */
export function renderCostTable(report: CostReport): string {
  const out: string[] = [];
  const rows: Array<[string, string, string]> = [];
  const priced = report.stacks.filter((s) => s.lines.length);
  for (const s of priced) {
    rows.push([s.id, usd(s.monthly), maxText(s.max, s.monthly)]);
    for (const l of s.lines.filter((x) => x.monthly !== 0 || x.max !== 0))
      rows.push([
        `  ${l.resource}${l.install ? ` (${l.install} install)` : ''} · ${l.component}: ${quantityText(l)}`,
        usd(l.monthly),
        maxText(l.max, l.monthly),
      ]);
    const freeLines = s.lines.filter((x) => x.monthly === 0 && x.max === 0);
    if (freeLines.length)
      rows.push([
        `  + ${freeLines.length} at no charge (${[...new Set(freeLines.map((l) => l.type))].slice(0, 3).join(', ')}${new Set(freeLines.map((l) => l.type)).size > 3 ? ', …' : ''})`,
        '',
        '',
      ]);
  }
  out.push(...table(rows));
  const silent = report.stacks.length - priced.length;
  if (silent)
    out.push(
      `(${silent} more stack${silent === 1 ? ' has' : 's have'} no cost of their own: ${[...new Set(report.stacks.filter((s) => !s.lines.length).map((s) => s.id.split('/')[0]))].join(', ')})`,
    );
  out.push('');
  const summary: Array<[string, string, string]> = report.regions.map((r) => [
    `region ${r.name} (${r.cloud} ${r.location})${r.pricing === 'local-reference' ? ', reference prices, not a bill' : ''}`,
    usd(r.monthly),
    maxText(r.max, r.monthly),
  ]);
  for (const t of report.tenants)
    summary.push([`tenant ${t.name} (${t.plan}): workloads ${usd(t.workloads)} + shared ${usd(t.shared)}`, usd(t.monthly), maxText(t.max, t.monthly)]);
  summary.push([`${totalLabel(report)}, USD per month`, usd(report.total.monthly), maxText(report.total.max, report.total.monthly)]);
  out.push(...table(summary));
  out.push('Workloads are a share of their region’s workload node pool, not added to it (docs/cost.md).');
  const unrendered = unrenderedInstallsText(report);
  if (unrendered) out.push(unrendered);
  if (report.delta) out.push('', ...deltaText(report.delta));
  out.push('', assumptionsText(report));
  if (report.notPriced.length)
    out.push('', `Not priced (${report.notPriced.length}), listed and never counted as zero:`, ...report.notPriced.map(notPricedText));
  return out.join('\n');
}

function deltaText(delta: CostDelta): string[] {
  const out = [`Change against ${delta.base.ref}${delta.base.commit ? ` (merge base ${delta.base.commit.slice(0, 12)})` : ''}:`];
  const rows: Array<[string, string, string]> = [];
  for (const s of delta.stacks.filter((x) => changes(x.difference))) {
    rows.push([`  ${s.id}: ${usd(s.before)} → ${usd(s.after)}`, signedUsd(s.difference), '']);
    for (const l of s.lines.filter((x) => changes(x.difference))) {
      const q =
        l.before && l.after && l.before.quantity !== l.after.quantity ? ` (${number.format(l.before.quantity)} → ${number.format(l.after.quantity)})` : '';
      rows.push([`    ${l.change} ${l.resource} · ${l.component}${q}`, signedUsd(l.difference), '']);
    }
  }
  rows.push([`  total: ${usd(delta.total.before)} → ${usd(delta.total.after)}`, signedUsd(delta.total.difference), '']);
  out.push(...table(rows));
  if (delta.threshold) out.push(`  threshold ${delta.threshold.percent}%: ${delta.threshold.crossed ? 'crossed' : 'not crossed'}`);
  return out;
}

/** The control-plane installs that could not be rendered (no toolchain cache yet), so are not in the amounts. */
export function unrenderedInstallsText(report: Pick<CostReport, 'notPriced'>): string | undefined {
  const unrendered = report.notPriced.filter((n) => n.type === 'install');
  if (!unrendered.length) return undefined;
  const byStack = new Map<string, string[]>();
  for (const n of unrendered) byStack.set(n.stack, [...(byStack.get(n.stack) ?? []), n.name]);
  const list = [...byStack].map(([stack, names]) => `${stack} (${names.join(', ')})`).join(', ');
  return `Not in these amounts: the control-plane installs of ${list}, which could not be rendered here (why: under not priced; they are rendered from the toolchain cache that \`platform toolchain install\` fills).`;
}

function assumptionsText(report: CostReport): string {
  const a = report.assumptions;
  const regions = Object.entries(a.regions).map(
    ([r, v]) => `; ${r}: ${v.backupStorageGb} GB, ${v.replicatedGbPerMonth} GB/month, ${number.format(v.dnsQueriesPerMonth)} queries`,
  );
  const files = report.prices.map((p) => p.files.join(' + ')).join(', ');
  return (
    `Usage assumptions (${a.source === 'defaults' ? 'defaults; set cost.usage in platform.yaml to change them' : a.source}): ${a.backupStorageGb} GB stored per backup bucket, ` +
    `${a.replicatedGbPerMonth} GB replicated per month, ${number.format(a.dnsQueriesPerMonth)} DNS queries per month per host${regions.join('')}; ${a.hoursPerMonth} hours per month. ` +
    `Prices: ${files || 'none needed'} (public on-demand list prices; each line names its source and date).`
  );
}

/** What the total is: a bill estimate, unless (some) regions are local and priced on the reference node. */
function totalLabel(report: CostReport): string {
  const local = report.regions.filter((r) => r.pricing === 'local-reference').length;
  if (local && local === report.regions.length) return 'total (local reference prices, not a bill)';
  return local ? 'total (estimated bill; local regions at reference prices)' : 'total (estimated bill)';
}

const notPricedText = (n: NotPriced): string => `  ${n.stack}  ${n.type} ${n.name} · ${n.component}: ${n.reason}`;
const maxText = (max: number, monthly: number): string => (changes(max - monthly) ? `up to ${usd(max)}` : '');
const quantityText = (l: CostLine): string => `${number.format(l.quantity)} ${l.unit} × ${rate.format(l.unitPrice)}`;

function table(rows: Array<[string, string, string]>): string[] {
  const w0 = Math.max(0, ...rows.map((r) => r[0].length));
  const w1 = Math.max(0, ...rows.map((r) => r[1].length));
  return rows.map(([a, b, c]) => `${a.padEnd(w0)}  ${b.padStart(w1)}${c ? `  ${c}` : ''}`.trimEnd());
}
