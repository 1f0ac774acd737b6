/** The terminal rendering of plan/apply: grouped per stack in dependency order, never interleaved. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { plainRenderer, renderRun } from '../../../src/cli/render/run.js';
import { emptyCounts, type StackResult } from '../../../src/engines/types.js';
import type { RunReport } from '../../../src/orchestrate/run.js';
import type { CostDelta } from '../../../src/cost/types.js';
import { planStacks } from '../../../src/stacks/plan.js';
import { loadExample } from '../../stacks/helpers.js';
import { changedRun, SECRET_VALUE } from '../../report/fixtures.js';

const stacks = planStacks(loadExample('examples/local/platform.yaml'));

/** Which stack each line belongs to: its header line starts a block, indented lines follow it. */
function blocks(text: string): Array<{ id: string; lines: string[] }> {
  const out: Array<{ id: string; lines: string[] }> = [];
  for (const line of text.split('\n').slice(0, -1)) {
    if (!line.startsWith(' ')) out.push({ id: line.split(/\s+/)[0], lines: [line] });
    else out.at(-1)!.lines.push(line);
  }
  return out;
}

describe('renderRun', () => {
  it('one block per stack, in dependency order, summary line first, field diffs under it with --diff', () => {
    const run = changedRun(stacks);
    const text = renderRun(run, { diff: true });
    const b = blocks(text);
    expect(b.map((x) => x.id)).toEqual(stacks.map((s) => s.id)); // the planner's order is a dependency order
    const checkout = b.find((x) => x.id === 'app/eu/payments/checkout')!;
    expect(checkout.lines[0]).toMatch(/^app\/eu\/payments\/checkout\s+changes\s+~3 \(6 unchanged\)$/);
    expect(checkout.lines).toContain('  ~ apps/v1:Deployment payments/checkout');
    expect(checkout.lines).toContain('      /spec/template/spec/containers/0/image: "ghcr.io/acme/checkout:0" → "ghcr.io/acme/checkout:1.4.2"');
    expect(text.split('\n').at(-1)).toBe('plan: 15 stacks — 4 ok, 11 with changes, 0 failed, 0 skipped');
    expect(text).not.toContain('/spec/hard/pods'.repeat(2));
  });

  it("with a cost delta: the stack's monthly difference beside its outcome, the total in the summary", () => {
    const run = changedRun(stacks);
    const delta: CostDelta = {
      base: { ref: 'origin/main', commit: 'a'.repeat(40) },
      total: { before: 100, after: 114.42, difference: 14.42 },
      stacks: [{ id: 'app/eu/payments/checkout', before: 10, after: 24.42, difference: 14.42, partial: false, lines: [] }],
    };
    const text = renderRun({ ...run, cost: { delta } }, { diff: false });
    const b = blocks(text);
    expect(b.find((x) => x.id === 'app/eu/payments/checkout')!.lines[0]).toMatch(/~3 \(\d+ unchanged\) {2}\+14\.42 USD\/month$/);
    expect(b.find((x) => x.id === 'app/eu/payments/ledger')!.lines[0]).not.toContain('USD');
    expect(text.split('\n').at(-1)).toBe('plan: 15 stacks — 4 ok, 11 with changes, 0 failed, 0 skipped; cost +14.42 USD/month against origin/main');
    // Nothing priced differently: no cost text at all.
    const same = renderRun({ ...run, cost: { delta: { ...delta, total: { before: 100, after: 100, difference: 0 }, stacks: [] } } }, { diff: false });
    expect(same).not.toContain('USD');
  });

  it('cost asked for but not possible: one line that says why, before the summary', () => {
    const text = renderRun({ ...changedRun(stacks), cost: { unavailable: 'not a Git repository' } }, { diff: false });
    expect(text.split('\n').slice(-2)).toEqual([
      'cost not estimated: not a Git repository (--no-cost leaves it out)',
      'plan: 15 stacks — 4 ok, 11 with changes, 0 failed, 0 skipped',
    ]);
  });

  it('without --diff: resources, no field values', () => {
    const text = renderRun(changedRun(stacks), { diff: false });
    expect(text).toContain('  ~ apps/v1:Deployment payments/checkout');
    expect(text).not.toContain('/spec/template/spec/containers/0/image');
  });

  it('long values shortened with a count; failures with the rest of their message and their hint; skipped with why', () => {
    const long: StackResult = {
      id: 'observability/eu',
      engine: 'pulumi',
      status: 'changes',
      changes: { ...emptyCounts(), update: 1 },
      resources: [{ op: 'update', type: 'v1:ConfigMap', name: 'monitoring/d', diff: [{ path: '/data/d.json', old: 'x'.repeat(2000), new: 'y' }] }],
    };
    const failed = {
      id: 'tenant/eu/payments',
      engine: 'pulumi',
      status: 'failed',
      changes: emptyCounts(),
      resources: [],
      error: { kind: 'external', message: 'quota refused\nat line 2', hint: 'Raise the quota.' },
    } satisfies StackResult;
    const skipped: StackResult = {
      id: 'app/eu/payments/checkout',
      engine: 'pulumi',
      status: 'skipped',
      changes: emptyCounts(),
      resources: [],
      reason: 'dependency tenant/eu/payments failed',
    };
    const report: RunReport = { version: 1, operation: 'apply', stacks: [long, failed, skipped] };
    const text = renderRun(report, { diff: true });
    expect(text).toContain(`/data/d.json: "${'x'.repeat(80)}…" (+1,920 chars) → "y"`);
    expect(text).toMatch(/^tenant\/eu\/payments\s+failed\s+quota refused\n {2}at line 2\n {2}Raise the quota\.$/m);
    expect(text).toMatch(/^app\/eu\/payments\/checkout\s+skipped\s+dependency tenant\/eu\/payments failed$/m);
    expect(text).not.toContain(SECRET_VALUE);
  });
});

describe('plainRenderer (CI logs while the run goes)', () => {
  const lines: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    lines.length = 0;
  });

  it('one line when a stack starts and one when it finishes; details wait for the grouped result', () => {
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const r = changedRun(stacks).stacks.find((s) => s.id === 'app/eu/payments/checkout')!;
    const display = plainRenderer({ operation: 'plan' });
    display.onEvent({ type: 'started', stack: r.id, operation: 'plan' });
    display.onEvent({ type: 'resource', stack: r.id, change: r.resources[0], phase: 'planned' });
    display.onEvent({ type: 'finished', stack: r.id, result: r });
    expect(lines).toEqual(['[app/eu/payments/checkout] plan started\n', '[app/eu/payments/checkout] changes ~3 (6 unchanged)\n']);
  });
});
