/** Stacks whose state outlived their place in platform.yaml: found, ordered, pruned, counted (fake state and engine). */
import { readFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { orphanLines, renderRun } from '../../src/cli/render/run.js';
import { parseConfig } from '../../src/config/load.js';
import { emptyCounts, type StackResult, type StackState, type StateReader } from '../../src/engines/types.js';
import { findOrphans, orphanInstances, pruneOrphans, type OrphanStack } from '../../src/orchestrate/orphans.js';
import { exitCodeOf, runStacks, type RunReport } from '../../src/orchestrate/run.js';
import { resolveStateLocation } from '../../src/state/location.js';
import { planStacks } from '../../src/stacks/plan.js';
import type { StackInstance } from '../../src/stacks/types.js';

const config = parseConfig(readFileSync('examples/local/platform.yaml', 'utf8'), 'platform.yaml');
const planned = new Set(planStacks(config).map((s) => s.id));

/** A state reader over a fixed map of stack ID → resource count. */
function reader(resources: Record<string, number>): StateReader {
  return {
    stackIds: () => Promise.resolve(Object.keys(resources)),
    read: (id: string): Promise<StackState> => Promise.resolve({ exists: true, objects: [], resources: resources[id] ?? 0 }),
    output: () => Promise.resolve(undefined),
  };
}

const orphan = (id: string, extra: Partial<OrphanStack> = {}): OrphanStack => ({
  id,
  engine: 'terraform',
  resources: 3,
  reason: 'no longer in platform.yaml',
  action: 'pending',
  ...extra,
});

describe('findOrphans', () => {
  it('lists the stacks with resources in state that the config no longer plans, with their counts; not the planned ones, not emptied ones', async () => {
    expect(planned.has('app/eu/payments/checkout')).toBe(true);
    const found = await findOrphans(
      reader({ 'app/eu/payments/checkout': 12, 'app/us/payments/api': 7, 'app/us/search/gone': 0, 'tenant/us/old': 4 }),
      planned,
      'terraform',
      config,
    );
    expect(found).toEqual([
      { id: 'app/us/payments/api', engine: 'terraform', resources: 7, reason: 'no longer in platform.yaml', action: 'pending' },
      { id: 'tenant/us/old', engine: 'terraform', resources: 4, reason: 'no longer in platform.yaml', action: 'pending' },
    ]);
  });

  it('marks an orphan whose region is gone as blocked: no engine knows its cluster', async () => {
    const [found] = await findOrphans(reader({ 'app/ap/payments/checkout': 5 }), planned, 'pulumi', config);
    expect(found.blocked).toMatch(/region "ap" is not in platform.yaml any more/);
  });
});

describe('orphanInstances', () => {
  it('builds destroyable stacks (no objects, the config’s region) with dependencies among the orphans only', () => {
    const stacks = orphanInstances(
      [
        orphan('app/us/old/a'),
        orphan('app/us/old/b'),
        orphan('tenant/us/old'),
        orphan('tenant/us/other'),
        orphan('mesh/us'),
        orphan('app/ap/x/y', { blocked: 'gone' }),
      ],
      config,
    );
    const byId = new Map(stacks.map((s) => [s.id, s]));
    expect([...byId.keys()].sort()).toEqual(['app/us/old/a', 'app/us/old/b', 'mesh/us', 'tenant/us/old', 'tenant/us/other']);
    expect(byId.get('app/us/old/a')!.dependsOn.sort()).toEqual(['mesh/us', 'tenant/us/old']);
    expect(byId.get('tenant/us/other')!.dependsOn).toEqual(['mesh/us']);
    expect(byId.get('mesh/us')!.dependsOn).toEqual([]);
    const app = byId.get('app/us/old/a')!;
    expect(app).toMatchObject({ layer: 'app', tenant: 'old', service: 'a', objects: [], cloud: [], label: 'app.us.old.a', engine: config.engine });
    expect(app.region.name).toBe('us');
  });

  it('runStacks destroys them dependents first', async () => {
    const order: string[] = [];
    const stacks = orphanInstances([orphan('tenant/us/old'), orphan('app/us/old/a'), orphan('mesh/us')], config);
    await runStacks({
      operation: 'destroy',
      stacks,
      engine: {
        name: 'terraform',
        run: (op, s) => {
          order.push(s.id);
          return Promise.resolve({ id: s.id, engine: 'terraform', status: 'ok', changes: emptyCounts(), resources: [] });
        },
      },
      context: { projectDir: '/tmp', config, state: resolveStateLocation(undefined, '/tmp') },
      parallel: 4,
      onEvent: () => {},
    });
    expect(order).toEqual(['app/us/old/a', 'tenant/us/old', 'mesh/us']);
  });
});

describe('pruneOrphans', () => {
  const result = (s: StackInstance, status: StackResult['status']): StackResult => ({
    id: s.id,
    engine: 'terraform',
    status,
    changes: { ...emptyCounts(), delete: 3 },
    resources: [],
    ...(status === 'failed' ? { error: { kind: 'external' as const, message: 'tofu said no' } } : {}),
  });

  it('destroys each destroyable orphan once and says what happened to every one', async () => {
    const asked: string[][] = [];
    const pruned = await pruneOrphans(
      [orphan('app/us/a/x'), orphan('app/us/a/y'), orphan('app/ap/b/z', { blocked: 'its region "ap" is gone' })],
      config,
      (stacks) => {
        asked.push(stacks.map((s) => s.id));
        return Promise.resolve({ stacks: stacks.map((s) => result(s, s.id.endsWith('y') ? 'failed' : 'ok')) });
      },
    );
    expect(asked).toEqual([['app/us/a/x', 'app/us/a/y']]);
    expect(pruned.map((o) => [o.id, o.action])).toEqual([
      ['app/us/a/x', 'destroyed'],
      ['app/us/a/y', 'failed'],
      ['app/ap/b/z', 'failed'],
    ]);
    expect(pruned[2].error).toMatchObject({ kind: 'external', message: 'app/ap/b/z: its region "ap" is gone' });
  });

  it('runs no destroy when every orphan is blocked', async () => {
    let called = false;
    await pruneOrphans([orphan('app/ap/b/z', { blocked: 'gone' })], config, () => {
      called = true;
      return Promise.resolve({ stacks: [] });
    });
    expect(called).toBe(false);
  });
});

describe('orphans in the report', () => {
  const ok: StackResult = { id: 'app/eu/payments/checkout', engine: 'terraform', status: 'ok', changes: { ...emptyCounts(), same: 4 }, resources: [] };
  const report = (action: OrphanStack['action'], operation: RunReport['operation'] = 'plan'): RunReport => ({
    version: 1,
    operation,
    stacks: [ok],
    orphans: [orphan('app/us/payments/api', { action, resources: 5 })],
  });

  it('a pending orphan is a pending change: exit 3 with --detailed-exitcode, 0 without', () => {
    expect(exitCodeOf(report('pending'), true)).toBe(3);
    expect(exitCodeOf(report('pending'), false)).toBe(0);
    expect(exitCodeOf({ ...report('pending'), orphans: [] }, true)).toBe(0);
  });

  it('left or destroyed is 0; one --prune could not destroy is 1', () => {
    expect(exitCodeOf(report('left', 'apply'), true)).toBe(0);
    expect(exitCodeOf(report('destroyed', 'apply'), false)).toBe(0);
    expect(exitCodeOf(report('failed', 'apply'), false)).toBe(1);
    expect(exitCodeOf(report('skipped', 'apply'), false)).toBe(1);
  });

  it('plan lists each orphan with its resource count and how to remove it; the summary counts it', () => {
    const text = stripVTControlCharacters(renderRun(report('pending'), { diff: false }));
    expect(text).toContain('app/us/payments/api  to be destroyed (no longer in platform.yaml)  -5 resources');
    expect(text).toContain('`platform apply --all --prune` destroys every such stack (dependents first)');
    expect(text).toMatch(/plan: 1 stack — 1 ok, .*; 1 stack no longer in platform\.yaml: 1 to be destroyed$/m);
  });

  it('apply says what it left, and what --prune destroyed', () => {
    expect(stripVTControlCharacters(orphanLines(report('left', 'apply')).join('\n'))).toMatch(
      /left in place \(no longer in platform.yaml\)[\s\S]*left in place: `platform apply --all --prune`/,
    );
    const destroyed = stripVTControlCharacters(orphanLines(report('destroyed', 'apply')).join('\n'));
    expect(destroyed).toContain('app/us/payments/api  destroyed (no longer in platform.yaml)  -5 resources');
    expect(destroyed).not.toContain('--prune');
  });
});
