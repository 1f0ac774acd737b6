/** Human renderings of the policy gate's report: terminal lines (stderr or stdout) and Markdown (PR comment, job summary). */
import { describeObject } from '../../objects/identity.js';
import type { PolicyReport, Violation, WaivedViolation } from '../../policy/types.js';
import { plural } from '../../text.js';
import { color } from '../ui.js';

const where = (v: Violation): string => `${v.source.file}:${v.source.line}`;

/** One violation: level, policy, stack and object, the message, the platform.yaml line (and an expired waiver). */
export function violationLines(v: Violation): string[] {
  const level = v.level === 'mandatory' ? color.red('mandatory') : color.yellow('advisory');
  const lines = [`${level} ${color.bold(v.policy)} ${v.stack} ${describeObject(v.object)}`, `  ${v.message}`, `  ${color.cyan(where(v))}`];
  if (v.waiverExpired) lines.push(`  ${color.dim(`waiver expired on ${v.waiverExpired.expires} (${v.waiverExpired.reason})`)}`);
  return lines;
}

const waivedLine = (w: WaivedViolation): string =>
  color.dim(`waived ${w.policy} ${w.stack} ${describeObject(w.object)}: ${w.waiver.reason}${w.waiver.expires ? ` (until ${w.waiver.expires})` : ''}`);

export function policySummary(r: PolicyReport): string {
  const mandatory = r.violations.filter((v) => v.level === 'mandatory').length;
  const advisory = r.violations.length - mandatory;
  return `policy: ${r.checked.stacks} stacks, ${r.checked.objects} objects, ${r.checked.policies.length} policies — ${mandatory} mandatory, ${advisory} advisory, ${r.waived.length} waived`;
}

/** The whole report as lines: mandatory violations first, then advisory ones, then what was waived. */
export function policyText(r: PolicyReport, opts: { waived?: boolean } = {}): string {
  const ordered = [...r.violations.filter((v) => v.level === 'mandatory'), ...r.violations.filter((v) => v.level === 'advisory')];
  const lines = ordered.flatMap(violationLines);
  if (opts.waived !== false) lines.push(...r.waived.map(waivedLine));
  lines.push(policySummary(r));
  return lines.join('\n');
}

const cell = (s: string): string => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

export function policyMarkdown(r: PolicyReport): string {
  const mandatory = r.violations.filter((v) => v.level === 'mandatory');
  const out = [`### Policy: ${mandatory.length ? `❌ ${plural(mandatory.length, 'mandatory violation')}` : '✅ no mandatory violation'}`, ''];
  if (r.violations.length) {
    out.push('| level | policy | stack | object | message | source |', '|---|---|---|---|---|---|');
    for (const v of [...mandatory, ...r.violations.filter((x) => x.level === 'advisory')]) {
      const expired = v.waiverExpired ? ` (waiver expired ${v.waiverExpired.expires})` : '';
      out.push(`| ${v.level} | \`${v.policy}\` | \`${v.stack}\` | ${cell(describeObject(v.object))} | ${cell(v.message)}${expired} | \`${where(v)}\` |`);
    }
    out.push('');
  }
  if (r.waived.length) {
    out.push(`<details><summary>${r.waived.length} waived</summary>`, '', '| policy | stack | object | reason | until |', '|---|---|---|---|---|');
    for (const w of r.waived)
      out.push(`| \`${w.policy}\` | \`${w.stack}\` | ${cell(describeObject(w.object))} | ${cell(w.waiver.reason)} | ${w.waiver.expires ?? ''} |`);
    out.push('', '</details>', '');
  }
  out.push(policySummary(r));
  return out.join('\n');
}
