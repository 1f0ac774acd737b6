/**
 * A team on shared S3 state, for each engine: real `platform` processes in separate checkouts (two
 * working directories = two machines, each a Git clone with only platform.yaml; KUBECONFIG, the
 * passphrase and the AWS variables in the environment, as in CI), against one S3 server (moto) and
 * one local plane started here. Apply leaves nothing under .platform/state; another checkout drifts
 * clean, then finds an out-of-band change; two applies at once: one refused naming the holder; a
 * holder killed with -9: `state unlock`, then apply works; `state migrate` file:// → s3:// → no changes.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as wait } from 'node:timers/promises';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/config/schema.js';
import type { DriftReport } from '../../src/drift/types.js';
import { engineDescriptor } from '../../src/engines/registry.js';
import type { RunReport } from '../../src/orchestrate/run.js';
import type { StateListResult, StateMigrateResult, StateUnlockResult } from '../../src/state-admin.js';
import { resolveStateLocation } from '../../src/state/location.js';
import { readHolder, stackLockKey } from '../../src/state/lock.js';
import { openStateStore } from '../../src/state/store.js';
import { startS3Server } from '../../src/local/object-servers.js';
import { repoRoot } from '../helpers/cli.js';
import { json, startTeam, teamEstate, type Team } from './harness.js';

const ENGINES: Engine[] = (process.env.PLATFORM_TEAM_ENGINES?.split(',') as Engine[] | undefined) ?? ['pulumi', 'terraform'];
const BUCKET = 'team';

let team: Team | undefined;
let run = '';
let env: Record<string, string> = {};

beforeAll(async () => {
  const s3 = await startS3Server();
  await s3.createBucket(BUCKET);
  team = await startTeam([s3]);
  ({ run, env } = team);
});

afterAll(async () => {
  await team?.down();
});

const cli = (dir: string, args: string[]) => team!.cli(dir, args);
const kubectl = (args: string[]) => team!.kubectl(args);

/** Every descendant of a process (tofu runs in its own process group, so a group kill would miss it). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // exited meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

describe.each(ENGINES)('a team on S3 state with the %s engine', (engine) => {
  // Names need this file's run suffix, known once the plane is up (beforeAll).
  let tenant: string;
  let stackId: string;
  let project: string;
  let stateUrl: string;
  let a: string;
  let b: string;
  let resources: number;
  const apply = (dir: string) => cli(dir, ['apply', '--stack', stackId, '--yes', '--json']);

  beforeAll(() => {
    tenant = `t${engine.slice(0, 2)}${run}`;
    stackId = `tenant/eu/${tenant}`;
    project = `team${engine.slice(0, 2)}${run}`;
    stateUrl = `s3://${BUCKET}/${engine}-${run}`;
    a = team!.checkout(teamEstate({ name: project, engine, tenant, state: stateUrl }));
    b = team!.clone(a);
  });

  it('apply keeps the state in the bucket: nothing under .platform/state; state list names the stack from anywhere', async () => {
    const r = await apply(a);
    expect((json(r) as RunReport).stacks.map((s) => [s.id, s.status, s.error?.message])).toEqual([[stackId, 'ok', undefined]]);
    expect(r.exitCode).toBe(0);
    expect(existsSync(join(a, '.platform', 'state'))).toBe(false);

    const listed = json(await cli(b, ['state', 'list', '--json'])) as StateListResult;
    expect(listed.backend).toBe(stateUrl);
    const entry = listed.stacks.find((s) => s.id === stackId)!;
    expect(entry).toMatchObject({ engine, backend: stateUrl, lockedBy: null });
    expect(entry.key).toBe(engine === 'pulumi' ? `${engine}-${run}/.pulumi/stacks/${project}/tenant.eu.${tenant}.json` : `${engine}-${run}/${stackId}.tfstate`);
    expect(entry.resources).toBeGreaterThan(3);
    expect(Date.now() - Date.parse(entry.updated!)).toBeLessThan(600_000);
    resources = entry.resources!;
  });

  it('a second checkout with no .platform/ drifts clean, then finds an out-of-band change', async () => {
    expect(existsSync(join(b, '.platform'))).toBe(false);
    const clean = await cli(b, ['drift', '--stack', stackId, '--json']);
    const report = json(clean) as DriftReport;
    expect(report.stacks.map((s) => [s.id, s.status, s.error])).toEqual([[stackId, 'clean', undefined]]);
    expect(clean.exitCode).toBe(0);

    kubectl(['label', 'namespace', tenant, 'team=blue']);
    const drifted = await cli(b, ['drift', '--stack', stackId, '--json']);
    const findings = (json(drifted) as DriftReport).stacks[0].findings.map((f) => `${f.class} ${f.kind} ${f.name} ${f.paths.map((p) => p.path).join(',')}`);
    expect(findings).toEqual([`drifted Namespace ${tenant} /metadata/labels/team`]);
    expect(drifted.exitCode).toBe(3);
    kubectl(['label', 'namespace', tenant, 'team-']);
  });

  it('two applies at once from two checkouts: one is refused naming the holder; the state stays valid; the next apply converges', async () => {
    const [ra, rb] = await Promise.all([apply(a), apply(b)]);
    const results = [ra, rb].map((r) => ({ code: r.exitCode, stack: (json(r) as RunReport).stacks[0] }));
    expect(results.map((r) => r.code).sort()).toEqual([0, 1]);
    const refused = results.find((r) => r.code === 1)!.stack;
    expect(refused.status).toBe('failed');
    expect(refused.error?.message).toMatch(new RegExp(`^stack ${stackId} is locked: apply by \\S+@\\S+ \\(pid \\d+, since \\d{4}-`));
    expect(refused.error?.hint).toContain(`platform state unlock ${stackId} --yes`);
    expect(results.find((r) => r.code === 0)!.stack.status).toBe('ok');

    const listed = (json(await cli(a, ['state', 'list', '--json'])) as StateListResult).stacks.find((s) => s.id === stackId)!;
    expect(listed).toMatchObject({ resources, lockedBy: null });
    expect(listed.error).toBeUndefined();
    expect((await apply(b)).exitCode).toBe(0);
    const plan = await cli(a, ['plan', '--stack', stackId, '--detailed-exitcode', '--json']);
    expect((json(plan) as RunReport).stacks[0].status).toBe('ok');
    expect(plan.exitCode).toBe(0);
  });

  it('kill -9 of an apply holding the stack: its locks stay; state unlock removes them; the next apply works', async () => {
    const store = await openStateStore(resolveStateLocation(stateUrl, a), { ...process.env, ...env });
    const descriptor = await engineDescriptor(engine);
    const ctx = { projectDir: a, project, state: resolveStateLocation(stateUrl, a) };
    const withEnv = async <T>(fn: () => Promise<T>): Promise<T> => {
      const saved = { ...process.env };
      Object.assign(process.env, env);
      try {
        return await fn();
      } finally {
        for (const k of Object.keys(env)) if (saved[k] === undefined) Reflect.deleteProperty(process.env, k);
        Object.assign(process.env, saved);
      }
    };
    const child = execa(process.execPath, [join(repoRoot, 'bin', 'run.js'), 'apply', '--stack', stackId, '--yes'], {
      cwd: a,
      env: { ...env, NO_COLOR: '1' },
      reject: false,
      stdin: 'ignore',
    });
    // Wait until the engine itself holds its lock (platform's is taken first), then kill the whole tree.
    const deadline = Date.now() + 180_000;
    while ((await withEnv(() => descriptor.engineLocks(store, ctx, stackId))).length === 0) {
      if (child.exitCode !== null) throw new Error('apply finished before it could be killed');
      if (Date.now() > deadline) throw new Error('the engine never took its lock');
      await wait(100);
    }
    const tree = [child.pid!, ...descendants(child.pid!)];
    for (const pid of tree) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    await child;
    const holder = await withEnv(() => readHolder(store, stackLockKey(stackId)));
    expect(holder?.pid).toBe(child.pid);

    const listed = (json(await cli(b, ['state', 'list', '--json'])) as StateListResult).stacks.find((s) => s.id === stackId)!;
    expect(listed.lockedBy).toMatchObject({ pid: child.pid, operation: 'apply' });

    if (engine === 'terraform') {
      // Platform's own lock of a holder that died on this host is taken over; OpenTofu's is not: refused, naming it.
      const refused = (json(await apply(b)) as RunReport).stacks[0];
      expect(refused.status).toBe('failed');
      expect(refused.error?.message).toMatch(
        new RegExp(`^stack ${stackId} is locked by OpenTofu: tofu (plan|apply) by \\S+@\\S+ \\(since \\d{4}-[^,]+, lock ID [\\w-]+\\)$`),
      );
      expect(refused.error?.hint).toContain(`platform state unlock ${stackId} --yes`);
    }

    const unlocked = json(await cli(b, ['state', 'unlock', stackId, '--yes', '--json'])) as StateUnlockResult;
    const owners = unlocked.stacks[0].removed.map((r) => r.owner);
    expect(owners).toContain(engine);
    expect(await withEnv(() => descriptor.engineLocks(store, ctx, stackId))).toEqual([]);
    expect((await cli(b, ['state', 'unlock', stackId, '--json'])).exitCode).toBe(2); // --yes is required

    const after = await apply(b);
    expect((json(after) as RunReport).stacks[0].status).toBe('ok');
    expect(after.exitCode).toBe(0);
    expect((await cli(a, ['plan', '--stack', stackId, '--detailed-exitcode'])).exitCode).toBe(0);
  });

  it('state migrate file:// → s3://: every stack moves, platform.yaml switches, and plan shows no changes', async () => {
    const moved = `t${engine.slice(0, 2)}m${run}`;
    const c = team!.checkout(teamEstate({ name: `mig${engine.slice(0, 2)}${run}`, engine, tenant: moved }));
    const id = `tenant/eu/${moved}`;
    expect((await cli(c, ['apply', '--stack', id, '--yes', '--json'])).exitCode).toBe(0);
    const target = `s3://${BUCKET}/migrated-${engine}-${run}`;
    const r = await cli(c, ['state', 'migrate', '--to', target, '--json']);
    const result = json(r) as StateMigrateResult;
    expect(r.exitCode).toBe(0);
    expect(result.stacks.map((s) => [s.id, s.engine])).toEqual([[id, engine]]);
    expect(result.copied).toBeGreaterThan(0);
    expect(readFileSync(join(c, 'platform.yaml'), 'utf8')).toContain(`state: ${target}`);
    expect(existsSync(join(c, '.platform', 'state'))).toBe(true); // the old state is left in place

    const listed = json(await cli(c, ['state', 'list', '--json'])) as StateListResult;
    expect(listed.backend).toBe(target);
    expect(listed.stacks.map((s) => s.id)).toEqual([id]);
    const plan = await cli(c, ['plan', '--stack', id, '--detailed-exitcode', '--json']);
    expect((json(plan) as RunReport).stacks[0]).toMatchObject({ id, status: 'ok' });
    expect(plan.exitCode).toBe(0);
    // platform.yaml names it now: migrating to it again is a usage error.
    expect((await cli(c, ['state', 'migrate', '--to', target, '--json'])).exitCode).toBe(2);
  });
});
