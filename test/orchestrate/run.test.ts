import { resolveStateLocation } from '../../src/state/location.js';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { emptyCounts, type Operation, type StackEngine, type StackResult } from '../../src/engines/types.js';
import { exitCodeOf, runStacks } from '../../src/orchestrate/run.js';
import { planStacks } from '../../src/stacks/plan.js';
import type { StackInstance } from '../../src/stacks/types.js';
import { readFileSync } from 'node:fs';

const config = parseConfig(readFileSync('examples/local/platform.yaml', 'utf8'), 'platform.yaml');
const stacks = planStacks(config);

/** An engine that records the order it ran stacks in and fails the ones named. */
function fakeEngine(fail: string[] = [], delayMs = 5) {
  const order: string[] = [];
  let running = 0;
  let maxRunning = 0;
  const run = async (_operation: Operation, s: StackInstance): Promise<StackResult> => {
    running++;
    maxRunning = Math.max(maxRunning, running);
    order.push(s.id);
    await new Promise((r) => setTimeout(r, delayMs));
    running--;
    return {
      id: s.id,
      engine: 'fake',
      status: fail.includes(s.id) ? 'failed' : 'changes',
      changes: emptyCounts(),
      resources: [],
      ...(fail.includes(s.id) ? { error: { kind: 'external' as const, message: 'boom' } } : {}),
    };
  };
  // (the runner only passes the engine's name through to results)
  const engine: StackEngine = { name: 'fake' as StackEngine['name'], run };
  return { engine, order, maxRunning: () => maxRunning };
}

const base = { context: { projectDir: '/tmp', config, state: resolveStateLocation(undefined, '/tmp') }, onEvent: () => {} };

describe('runStacks', () => {
  it('runs dependencies first on apply and dependents first on destroy', async () => {
    for (const operation of ['apply', 'destroy'] as const) {
      const f = fakeEngine();
      await runStacks({ ...base, operation, stacks, engine: f.engine, parallel: 2 });
      const at = (id: string) => f.order.indexOf(id);
      for (const s of stacks) {
        for (const d of s.dependsOn) {
          if (operation === 'apply') expect(at(d), `${d} before ${s.id}`).toBeLessThan(at(s.id));
          else expect(at(s.id), `${s.id} before ${d}`).toBeLessThan(at(d));
        }
      }
    }
  });

  it('skips the dependents of a failed stack, runs unrelated ones, exits 1', async () => {
    const f = fakeEngine(['tenant/eu/payments']);
    const report = await runStacks({ ...base, operation: 'apply', stacks, engine: f.engine, parallel: 2 });
    const status = Object.fromEntries(report.stacks.map((s) => [s.id, s.status]));
    expect(status['tenant/eu/payments']).toBe('failed');
    expect(status['app/eu/payments/checkout']).toBe('skipped');
    expect(report.stacks.find((s) => s.id === 'app/eu/payments/checkout')?.reason).toBe('dependency tenant/eu/payments failed');
    expect(status['tenant/eu/search']).toBe('changes');
    expect(status['app/eu/search/indexer']).toBe('changes');
    expect(status['tenant/us/payments']).toBe('changes');
    expect(exitCodeOf(report, false)).toBe(1);
  });

  it("exit codes keep each failure's kind: usage 2 over 1 over 3 over 0", () => {
    const r = (status: StackResult['status'], kind?: 'usage' | 'external' | 'bug'): StackResult => ({
      id: status,
      engine: 'fake',
      status,
      changes: emptyCounts(),
      resources: [],
      ...(kind ? { error: { kind, message: 'x' } } : {}),
    });
    const report = (...stacks: StackResult[]) => ({ version: 1 as const, operation: 'apply' as const, stacks });
    expect(exitCodeOf(report(r('ok'), r('changes')), false)).toBe(0);
    expect(exitCodeOf(report(r('ok'), r('changes')), true)).toBe(3);
    expect(exitCodeOf(report(r('changes'), r('skipped')), true)).toBe(1);
    expect(exitCodeOf(report(r('failed', 'external'), r('changes')), true)).toBe(1);
    expect(exitCodeOf(report(r('failed', 'bug')), false)).toBe(1);
    expect(exitCodeOf(report(r('failed', 'external'), r('failed', 'usage')), false)).toBe(2);
  });

  it('never runs more than --parallel stacks at once, and uses the parallelism it has', async () => {
    const f = fakeEngine([], 20);
    await runStacks({ ...base, operation: 'plan', stacks, engine: f.engine, parallel: 2 });
    expect(f.maxRunning()).toBe(2);
    const serial = fakeEngine([], 1);
    await runStacks({ ...base, operation: 'plan', stacks, engine: serial.engine, parallel: 1 });
    expect(serial.maxRunning()).toBe(1);
  });

  it('an abort stops starting stacks; those report skipped', async () => {
    const controller = new AbortController();
    const f = fakeEngine([], 10);
    const started = runStacks({ ...base, operation: 'apply', stacks, engine: f.engine, parallel: 1, signal: controller.signal });
    setTimeout(() => controller.abort(), 15);
    const report = await started;
    expect(f.order.length).toBeLessThan(stacks.length);
    expect(
      report.stacks.filter((s) => s.status === 'skipped').every((s) => s.reason === 'cancelled before it started' || s.reason?.startsWith('dependency')),
    ).toBe(true);
    expect(exitCodeOf(report, false)).toBe(1);
  });

  it('exit code: 3 for changes only with --detailed-exitcode, else 0', async () => {
    const f = fakeEngine();
    const report = await runStacks({ ...base, operation: 'plan', stacks, engine: f.engine, parallel: 2 });
    expect(exitCodeOf(report, true)).toBe(3);
    expect(exitCodeOf(report, false)).toBe(0);
  });
});
