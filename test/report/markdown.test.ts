/** Markdown for PR comments and job summaries: complete when it fits, shortened largest-first when not. */
import { describe, expect, it } from 'vitest';
import { emptyCounts, type StackResult } from '../../src/engines/types.js';
import type { OrphanReport } from '../../src/orchestrate/orphans.js';
import type { RunReport } from '../../src/orchestrate/run.js';
import { GITHUB_COMMENT_LIMIT, reportMarkdown } from '../../src/report/markdown.js';
import { runReportModel } from '../../src/report/model.js';
import { planStacks } from '../../src/stacks/plan.js';
import { loadExample } from '../stacks/helpers.js';
import { benchStacks, changedRun, SECRET_VALUE } from './fixtures.js';

const balanced = (md: string): void => {
  expect(md.match(/<details>/g)?.length ?? 0).toBe(md.match(/<\/details>/g)?.length ?? 0);
  expect((md.match(/^```/gm)?.length ?? 0) % 2).toBe(0);
};

describe('plan Markdown', () => {
  it('a small run: summary table first, the per-stack graph, every field diff, nothing cut', () => {
    const stacks = planStacks(loadExample('examples/local/platform.yaml'));
    const run = changedRun(stacks);
    const md = reportMarkdown(runReportModel(run, stacks, { project: 'acme', exitCode: 3 }));
    const lines = md.split('\n');
    expect(lines[0]).toBe('## platform plan: 11 changes');
    expect(md.indexOf('| region | stacks |')).toBeLessThan(md.indexOf('```mermaid'));
    expect(md).toContain('| eu | 8 |');
    expect(md).toContain('n0[("cluster/eu")]');
    expect(md).toContain('<details><summary>🟡 `app/eu/payments/ledger` — changes: ~2</summary>');
    expect(md).toContain('| `/spec/template/spec/containers/0/image` | `"ghcr.io/acme/checkout:0"` | `"ghcr.io/acme/checkout:1.4.2"` |');
    expect(md).not.toContain('Shortened');
    expect(md).not.toContain(SECRET_VALUE);
    balanced(md);
  });

  it('plan with a cost delta: the cost table right under the summary; none when nothing changes cost', async () => {
    const { runMarkdown } = await import('../../src/report/run-outputs.js');
    const stacks = planStacks(loadExample('examples/local/platform.yaml'));
    const delta = {
      base: { ref: 'origin/main', commit: 'b'.repeat(40) },
      total: { before: 100, after: 114.42, difference: 14.42 },
      stacks: [{ id: 'app/eu/payments/checkout', before: 10, after: 24.42, difference: 14.42, partial: false, lines: [] }],
    };
    const md = runMarkdown({ ...changedRun(stacks), cost: { delta } }, stacks, { project: 'acme', exitCode: 3 });
    expect(md).toContain('### Cost: +14.42 USD/month on the estimated bill (+14.42%)');
    expect(md).toContain('| `app/eu/payments/checkout` | 10.00 | 24.42 | +14.42 |');
    expect(md.indexOf('### Cost')).toBeGreaterThan(md.indexOf('| **all** |'));
    expect(md.indexOf('### Cost')).toBeLessThan(md.indexOf('```mermaid'));
    const unchanged = runMarkdown(
      { ...changedRun(stacks), cost: { delta: { ...delta, total: { before: 100, after: 100, difference: 0 }, stacks: [] } } },
      stacks,
      { project: 'acme', exitCode: 3 },
    );
    expect(unchanged).not.toContain('### Cost');
  });

  it('609 stacks: under GitHub’s 65,536 characters, failures named, what was cut and where the full report is said', { timeout: 60_000 }, () => {
    const stacks = benchStacks();
    const model = runReportModel(changedRun(stacks), stacks, { project: 'bench', exitCode: 1 });
    const full = reportMarkdown(model, { limit: Number.MAX_SAFE_INTEGER });
    expect(full.length).toBeGreaterThan(4 * GITHUB_COMMENT_LIMIT); // the test is worth something
    const md = reportMarkdown(model, { fullReport: 'the HTML report `plan.html`' });
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(md.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT * 0.8); // shortened only as far as needed
    expect(md.startsWith('## platform plan: 6 failed, 6 skipped, 588 changes')).toBe(true);
    expect(md).toContain('| **all** | **609** | **6** | **6** | **588** | **9** |');
    for (const s of model.stacks.filter((x) => x.status === 'failed')) expect(md).toContain(`\`${s.id}\``);
    expect(md).toMatch(
      /> Shortened to fit GitHub's 65,536-character limit — cut: .*field values of \d+ stack\(s\).* The full report: the HTML report `plan.html`\./,
    );
    expect(md).toContain('609 stacks, grouped per region and layer');
    expect(md).not.toContain(SECRET_VALUE);
    balanced(md);
  });

  it('shortens the largest section first: one huge stack loses its values, small ones keep theirs', () => {
    const stacks = planStacks(loadExample('examples/local/platform.yaml'));
    const run = changedRun(stacks);
    const huge = run.stacks.find((s) => s.id === 'tenant/eu/payments')!;
    huge.resources.push({
      op: 'update',
      type: 'v1:ConfigMap',
      name: 'payments/big',
      diff: Array.from({ length: 400 }, (_, i) => ({ path: `/data/k${i}`, old: 'x'.repeat(40), new: 'y'.repeat(40) })),
    });
    const model = runReportModel(run, stacks, { exitCode: 3 });
    const md = reportMarkdown(model, { limit: 20_000 });
    expect(md.length).toBeLessThanOrEqual(20_000);
    expect(md).toContain('`/data/k0` `/data/k1`'); // the huge stack: paths, no values
    expect(md).not.toContain(`\`"${'y'.repeat(40)}"\``);
    expect(md).toContain('| `/spec/template/spec/containers/0/image` | `"ghcr.io/acme/checkout:0"` |'); // small ones: values kept
    expect(md).toMatch(/cut: field values of 1 stack\(s\)\. Run with `--report report.html` for the full report\./);
  });

  it('never exceeds the limit, even when only one line per stack is left', { timeout: 60_000 }, () => {
    const stacks = benchStacks();
    const model = runReportModel(changedRun(stacks), stacks, { exitCode: 1 });
    for (const limit of [8_000, 30_000]) {
      const md = reportMarkdown(model, { limit });
      expect(Buffer.byteLength(md)).toBeLessThanOrEqual(limit);
      balanced(md);
      if (limit === 8_000) {
        expect(md).toMatch(/Shortened to fit the 8,000-character limit — cut: the graph; .*; \d+ stack\(s\) left out entirely\./);
        expect(md).toContain('`tenant/ap/t42`'); // failures come first, so they are kept
      }
    }
  });

  it('long values are shortened with a count; errors keep their hint', () => {
    const result: StackResult = {
      id: 'app/eu/a/b',
      engine: 'pulumi',
      status: 'failed',
      changes: emptyCounts(),
      resources: [{ op: 'update', type: 'v1:ConfigMap', name: 'a/b', diff: [{ path: '/data/x', old: 'a'.repeat(1300), new: 'b' }] }],
      error: { kind: 'external', message: 'the API server refused it', hint: 'Check the quota.' },
    };
    const md = reportMarkdown(runReportModel({ version: 1, operation: 'apply', stacks: [result] }, [], { exitCode: 1 }));
    expect(md).toContain(`\`"${'a'.repeat(60)}…" (+1,240 chars)\``);
    expect(md).toContain('> the API server refused it\n>\n> Check the quota.');
    expect(md.startsWith('## platform apply: 1 failed')).toBe(true);
  });
});

describe('stacks no longer in platform.yaml in the reports', () => {
  const stacks = planStacks(loadExample('examples/local/platform.yaml'));
  const orphan = (id: string, action: OrphanReport['action'], extra: Partial<OrphanReport> = {}): OrphanReport => ({
    id,
    engine: 'terraform',
    resources: 3,
    reason: 'no longer in platform.yaml',
    action,
    ...extra,
  });

  it('plan: each orphan is a pending change (its resources to delete), in the table and with how to prune', () => {
    const run: RunReport = { ...changedRun(stacks), orphans: [orphan('app/eu/gone/web', 'pending')] };
    const model = runReportModel(run, stacks, { project: 'acme', exitCode: 3 });
    const row = model.stacks.find((s) => s.id === 'app/eu/gone/web')!;
    expect(row).toMatchObject({ layer: 'app', region: 'eu', tenant: 'gone', service: 'web', status: 'changes', changes: { delete: 3 } });
    const md = reportMarkdown(model);
    expect(md).toContain('<details><summary>🟡 `app/eu/gone/web` — changes: -3</summary>');
    expect(md).toContain('*no longer in platform.yaml: to be destroyed — `platform apply --all --prune` destroys every such stack');
    expect(md).toContain(`| eu | ${stacks.filter((s) => s.region.name === 'eu').length + 1} |`);
  });

  it('apply --prune: a destroyed orphan shows its destroy result; one that could not be destroyed, its error', () => {
    const destroyed: StackResult = {
      id: 'app/eu/gone/web',
      engine: 'terraform',
      status: 'ok',
      changes: { ...emptyCounts(), delete: 3 },
      resources: [{ op: 'delete', type: 'apps/v1:Deployment', name: 'gone/web', diff: [] }],
    };
    const run: RunReport = {
      ...changedRun(stacks, 'apply'),
      orphans: [
        orphan('app/eu/gone/web', 'destroyed', { result: destroyed }),
        orphan('tenant/xx/gone', 'failed', {
          blocked: 'its region "xx" is not in platform.yaml any more',
          error: { kind: 'external', message: 'tenant/xx/gone: region gone' },
        }),
      ],
    };
    const md = reportMarkdown(runReportModel(run, stacks, { project: 'acme', exitCode: 1 }));
    expect(md).toContain('*no longer in platform.yaml: destroyed*');
    expect(md).toContain('| - | `apps/v1:Deployment gone/web` |');
    expect(md).toContain('❌ `tenant/xx/gone` — failed: tenant/xx/gone: region gone');
    expect(md).toContain('*no longer in platform.yaml: not destroyed*');
  });
});
