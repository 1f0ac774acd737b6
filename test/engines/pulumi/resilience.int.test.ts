/**
 * Interrupted and concurrent runs on the local plane: lock contention, SIGINT (abort) mid-apply, and
 * kill -9 of the whole process tree mid-apply — each followed by an apply that must converge with no
 * orphaned or duplicated objects.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PulumiEngine } from '../../../src/engines/pulumi/engine.js';
import type { KubeClient } from '../../../src/kube/client.js';
import type { StackInstance } from '../../../src/stacks/types.js';
import { smallStack } from './fixtures.js';
import { clientFor, createProject, planeDown, planeUp, REPO, type Project } from './harness.js';

const CONFIGMAPS = 150;

describe('PulumiEngine: locks, SIGINT and kill -9', () => {
  let project: Project;
  let client: KubeClient;
  const engine = new PulumiEngine();
  const projectName = `res${randomBytes(3).toString('hex')}`;
  const stackFor = (namespace: string): StackInstance => smallStack({ project: projectName, namespace, configMaps: CONFIGMAPS, id: `tenant/eu/${namespace}` });

  /** Live ConfigMaps of the stack, by name (labels tell ours from the namespace's own). */
  const liveConfigMaps = async (namespace: string): Promise<string[]> =>
    (await client.list('v1', 'ConfigMap', namespace, `platform.dev/project=${projectName}`)).map((o) => o.metadata.name).sort();
  const desiredConfigMaps = (s: StackInstance): string[] =>
    s.objects
      .filter((o) => o.manifest.kind === 'ConfigMap')
      .map((o) => o.manifest.metadata.name)
      .sort();

  /** After an interruption: apply converges, then the plan is clean and live == desired. */
  const expectConverges = async (s: StackInstance): Promise<void> => {
    const apply = await engine.run('apply', s, project.ctx());
    expect(apply.error).toBeUndefined();
    expect(apply.status).toBe('ok');
    const plan = await engine.run('plan', s, project.ctx());
    expect(plan.status).toBe('ok');
    expect(await liveConfigMaps(s.tenant!)).toEqual(desiredConfigMaps(s));
  };

  beforeAll(async () => {
    project = createProject({ name: projectName });
    await planeUp(project);
    client = await clientFor(project, project.config.regions[0]);
  });
  afterAll(async () => {
    // Unset when beforeAll failed early.
    (client as KubeClient | undefined)?.close();
    const started = project as Project | undefined;
    if (started) await planeDown(started);
  });

  it('two concurrent applies of one stack: one wins, the other fails at once naming the lock holder', async () => {
    const s = stackFor('locks');
    const [a, b] = await Promise.all([
      engine.run('apply', s, project.ctx()),
      new Promise((r) => setTimeout(r, 300)).then(() => engine.run('apply', s, project.ctx())),
    ]);
    const results = [a, b];
    const winners = results.filter((r) => r.status === 'ok');
    const losers = results.filter((r) => r.status === 'failed');
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    expect(losers[0].error?.message).toMatch(/^stack tenant\/eu\/locks is locked: a pulumi update by .+@.+ \(pid \d+, since .+\)$/);
    expect(losers[0].changes.create).toBe(0);
    // State stayed valid: a plan is clean and the cluster holds exactly the desired objects.
    expect((await engine.run('plan', s, project.ctx())).status).toBe('ok');
    expect(await liveConfigMaps('locks')).toEqual(desiredConfigMaps(s));
  });

  it('SIGINT (abort) mid-apply cancels cleanly; the next apply converges', async () => {
    const s = stackFor('sigint');
    const controller = new AbortController();
    let done = 0;
    const ctx = project.ctx({
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'resource' && e.phase === 'done' && ++done === 20) controller.abort();
      },
    });
    const interrupted = await engine.run('apply', s, ctx);
    expect(interrupted.status).toBe('failed');
    expect(interrupted.error?.message).toMatch(/cancelled/);
    const live = await liveConfigMaps('sigint');
    expect(live.length).toBeLessThan(CONFIGMAPS);
    await expectConverges(s);
  });

  it('kill -9 of the whole process tree mid-apply; the next apply converges (stale lock removed)', async () => {
    const s = stackFor('killed');
    const stackFile = join(project.dir, 'killed-stack.json');
    writeFileSync(stackFile, JSON.stringify(s));
    const child = spawn(process.execPath, [join(REPO, 'test/engines/pulumi/driver.mjs'), 'apply', project.configFile, stackFile], {
      detached: true, // its own process group: driver, pulumi and the provider plugin
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let dots = 0;
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        dots += chunk.toString().split('.').length - 1;
        if (dots >= 30) resolve();
      });
      child.on('exit', () => reject(new Error('the driver finished before it could be killed')));
    });
    process.kill(-child.pid!, 'SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const live = await liveConfigMaps('killed');
    expect(live.length).toBeGreaterThan(0);
    expect(live.length).toBeLessThan(CONFIGMAPS);
    const events: string[] = [];
    const apply = await engine.run('apply', s, project.ctx({ onEvent: (e) => e.type === 'diagnostic' && events.push(e.message) }));
    expect(apply.error).toBeUndefined();
    expect(events.join('\n')).toMatch(/removed a stale Pulumi lock of a pulumi update by .+ \(pid \d+/);
    const plan = await engine.run('plan', s, project.ctx());
    expect(plan.status).toBe('ok');
    expect(await liveConfigMaps('killed')).toEqual(desiredConfigMaps(s));
  });

  it('destroy after all that leaves nothing of ours', async () => {
    for (const ns of ['locks', 'sigint', 'killed']) {
      const r = await engine.run('destroy', stackFor(ns), project.ctx());
      expect(r.error).toBeUndefined();
      expect((await client.list('v1', 'Namespace', undefined, `platform.dev/project=${projectName}`)).map((o) => o.metadata.name)).not.toContain(ns);
    }
  });
});
