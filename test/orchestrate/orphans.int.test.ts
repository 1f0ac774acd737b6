/**
 * A service removed from platform.yaml (#20, the gap the soak found): its stacks' state outlives the
 * config. Real OpenTofu against the local plane: plan lists them (exit 3), apply without --prune leaves
 * them and says so, apply --prune destroys them, then plan and drift are clean.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaultProject, type FaultProject } from '../faults/harness.js';

interface OrphanDoc {
  id: string;
  resources: number;
  reason: string;
  action: string;
}

const deployments = (p: FaultProject, region: string): string => p.kubectl(region, ['get', 'deployments', '-A', '-o', 'name']);

describe('stacks no longer in platform.yaml (terraform)', () => {
  let p: FaultProject;
  beforeAll(async () => {
    p = await createFaultProject('orphans', 'terraform', { tenants: ['core'], services: { core: ['web', 'api'] } });
  }, 300_000);
  afterAll(async () => {
    await p.down();
  });

  it('plan shows them (exit 3), apply leaves them unless --prune, --prune destroys them, drift is clean', async () => {
    const first = await p.apply();
    expect(first.exitCode, first.stderr).toBe(0);
    expect(deployments(p, 'us')).toContain('deployment.apps/api');

    p.write({ tenants: ['core'], services: { core: ['web'] } });
    p.commit('api removed');
    const orphanIds = ['app/eu/core/api', 'app/us/core/api'];

    const plan = await p.plan();
    expect(plan.exitCode, plan.stderr).toBe(3);
    const pending = (plan.doc as unknown as { orphans: OrphanDoc[] }).orphans;
    expect(pending.map((o) => [o.id, o.action, o.reason])).toEqual(orphanIds.map((id) => [id, 'pending', 'no longer in platform.yaml']));
    for (const o of pending) expect(o.resources).toBeGreaterThan(0);
    expect(plan.doc.stacks.every((s) => s.status === 'ok')).toBe(true);

    const left = await p.apply();
    expect(left.exitCode, left.stderr).toBe(0);
    expect((left.doc as unknown as { orphans: OrphanDoc[] }).orphans.map((o) => o.action)).toEqual(['left', 'left']);
    expect(left.stderr).toMatch(/2 stack\(s\) no longer in platform.yaml left in place: app\/eu\/core\/api, app\/us\/core\/api/);
    expect(deployments(p, 'us')).toContain('deployment.apps/api');
    expect((await p.plan()).exitCode).toBe(3);

    const pruned = await p.apply(['--prune']);
    expect(pruned.exitCode, pruned.stderr).toBe(0);
    expect((pruned.doc as unknown as { orphans: OrphanDoc[] }).orphans.map((o) => [o.id, o.action])).toEqual(orphanIds.map((id) => [id, 'destroyed']));
    for (const region of ['eu', 'us']) {
      expect(deployments(p, region)).not.toContain('deployment.apps/api');
      expect(deployments(p, region)).toContain('deployment.apps/web');
    }

    const clean = await p.plan();
    expect(clean.exitCode, JSON.stringify(clean.doc)).toBe(0);
    expect((clean.doc as unknown as { orphans?: OrphanDoc[] }).orphans).toBeUndefined();
    const drift = await p.cli(['drift', '--json']);
    expect(drift.exitCode, drift.stdout.slice(0, 2000)).toBe(0);
  }, 600_000);
});
