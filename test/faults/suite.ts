/**
 * The fault suite (#20), the same for every engine: signals to the real CLI process (SIGINT, SIGTERM, a
 * second SIGINT, kill -9 of its process group) during `apply --all`, a corrupted state file, a region's
 * API server killed mid-apply, a full disk under the state. After each: plan shows what is left, apply
 * converges, nothing is duplicated, no lock is left behind. One local plane (two regions) per engine.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineName } from '../../src/engines/registry.js';
import { inspectCluster } from '../../src/local/cluster.js';
import { localUp } from '../../src/local/index.js';
import { clusterName } from '../../src/local/names.js';
import { isProcessAlive } from '../../src/process.js';
import { aliveInGroup, createFaultProject, findFiles, processesIn, statusOf, type Estate, type FaultProject, type SpawnedCli } from './harness.js';

const CANCELLED = 'cancelled before it started';
const STACK_TRACE = /^\s+at .*:\d+:\d+\)?$/m;

/** Every fault the suite injects; a short run (`npm test`) names the ones it runs. */
export const FAULTS = [
  'SIGINT',
  'SIGTERM',
  'second SIGINT',
  'kill -9',
  'truncated state',
  'hand-edited state',
  'removed from config',
  'API server killed',
  'full disk',
] as const;
export type Fault = (typeof FAULTS)[number];

export function faultSuite(engine: EngineName, faults: readonly Fault[] = FAULTS): void {
  // A fault not in the run is not registered at all (a skipped test would read as a result).
  const fault = (name: Fault, title: string, body: () => Promise<void>): void => {
    if (faults.includes(name)) it(title, body);
  };
  describe(`faults during real runs (${engine}, real CLI process, local plane${faults.length < FAULTS.length ? `: ${faults.join(', ')}` : ''})`, () => {
    let p: FaultProject;
    let estate: Estate = { tenants: ['alpha'], services: { alpha: ['web'] } };
    const grow = (tenant: string): void => {
      estate = { ...estate, tenants: [...estate.tenants, tenant] };
      p.write(estate);
      p.commit(`add ${tenant}`);
    };

    beforeAll(async () => {
      p = await createFaultProject(`flt${engine.slice(0, 2)}`, engine, estate);
      const first = await p.apply();
      expect(first.exitCode, first.stderr).toBe(0);
    });
    afterAll(async () => {
      await p.down();
    });

    /** Starts `apply --all --parallel 1`, signals it once the first stack with changes has started. */
    async function interruptedApply(
      tenant: string,
      signals: NodeJS.Signals[],
    ): Promise<{ cli: SpawnedCli; exit: Awaited<SpawnedCli['exited']>; afterSignal: string[] }> {
      const cli = p.spawnCli(['apply', '--all', '--yes', '--json', '--parallel', '1']);
      await cli.waitFor(new RegExp(`\\[tenant/eu/${tenant}\\] apply started`));
      await new Promise((r) => setTimeout(r, 1500)); // inside the engine run, not between stacks
      for (const [i, signal] of signals.entries()) {
        if (i > 0) await new Promise((r) => setTimeout(r, 100));
        try {
          process.kill(cli.pid, signal);
        } catch (e) {
          // A run whose cancel was quicker than the next signal (pulumi's can be) has already left.
          if (i === 0 || (e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
        }
      }
      const exit = await cli.exited;
      const at = cli.stderrLines.findIndex((l) => l.includes('interrupted: cancelling'));
      return { cli, exit, afterSignal: at < 0 ? [] : cli.stderrLines.slice(at + 1) };
    }

    async function converges(): Promise<void> {
      const applied = await p.apply();
      expect(applied.exitCode, applied.stderr).toBe(0);
      // Nothing duplicated: each resource once per stack.
      for (const s of applied.doc.stacks as Array<{ id: string; resources?: Array<{ name: string; type?: string }> }>) {
        const names = (s.resources ?? []).map((r) => `${r.type ?? ''} ${r.name}`);
        expect(new Set(names).size, `${s.id} has a resource twice`).toBe(names.length);
      }
      const clean = await p.plan();
      expect(clean.exitCode, JSON.stringify(statusOf(clean.doc))).toBe(0);
      expect(p.locks()).toEqual([]);
    }

    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      fault(
        signal,
        `${signal} during apply --all: running stack stops cleanly, none starts after, exit 130; plan shows the rest; apply converges`,
        async () => {
          const tenant = signal === 'SIGINT' ? 'beta' : 'gamma';
          grow(tenant);
          const { exit, afterSignal } = await interruptedApply(tenant, [signal]);
          expect(exit.code, exit.stderr).toBe(130);
          expect(exit.stderr).not.toMatch(STACK_TRACE);
          expect(afterSignal.filter((l) => / apply started$/.test(l))).toEqual([]);
          const doc = JSON.parse(exit.stdout) as { stacks: Array<{ id: string; status: string; reason?: string }> };
          const cancelled = doc.stacks.filter((s) => s.reason === CANCELLED).map((s) => s.id);
          expect(cancelled).toContain(`tenant/us/${tenant}`);
          expect(p.locks(), 'locks left after a clean cancel').toEqual([]);
          // What was not applied is what plan shows.
          const plan = await p.plan();
          expect(plan.exitCode, plan.stderr).toBe(3);
          const pending = plan.doc.stacks.filter((s) => s.status === 'changes').map((s) => s.id);
          expect(pending).toContain(`tenant/us/${tenant}`);
          expect(p.kubectl('us', ['get', 'namespaces', '-o', 'name'])).not.toContain(`namespace/${tenant}`);
          await converges();
        },
      );
    }

    fault('second SIGINT', 'a second SIGINT leaves at once (exit 130); the next apply converges with no manual unlock', async () => {
      grow('delta');
      const started = performance.now();
      const { exit } = await interruptedApply('delta', ['SIGINT', 'SIGINT']);
      expect(exit.code, exit.stderr).toBe(130);
      expect(performance.now() - started).toBeLessThan(120_000);
      await converges();
    });

    fault('kill -9', 'kill -9 of the whole process group mid-apply: no process left in the group; the next apply converges', async () => {
      grow('epsilon');
      const cli = p.spawnCli(['apply', '--all', '--yes', '--json', '--parallel', '1']);
      await cli.waitFor(/\[tenant\/eu\/epsilon\] apply started/);
      await new Promise((r) => setTimeout(r, 2500));
      process.kill(-cli.pid, 'SIGKILL');
      const exit = await cli.exited;
      expect(exit.signal).toBe('SIGKILL');
      await new Promise((r) => setTimeout(r, 500));
      expect(aliveInGroup(cli.pid)).toEqual([]);
      // Nor anywhere else: an engine process in a group of its own (tofu's) stops too, within seconds (it
      // saves its state first), rather than running on unsupervised with the state lock.
      for (const deadline = Date.now() + 30_000; processesIn(p.dir).length && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 250));
      expect(processesIn(p.dir).map((x) => x.args)).toEqual([]);
      await converges();
      // A run killed before its cleanup leaves a plan file with secret values in clear: the next run removes it.
      expect(findFiles(join(p.dir, '.platform'), (f) => f.endsWith('.tfplan'))).toEqual([]);
    });

    fault(
      'truncated state',
      'a truncated state file: plan exits 1 naming the file, what is wrong and the recovery; drift marks that stack error and checks the others; restoring the copy recovers',
      async () => {
        const id = 'tenant/eu/alpha';
        const file = stateFileOf(p, id);
        const saved = readFileSync(file);
        writeFileSync(file, saved.subarray(0, Math.floor(saved.length / 2)));
        try {
          const plan = await p.plan();
          expect(plan.exitCode, plan.stderr).toBe(1);
          expect(plan.stderr).not.toMatch(STACK_TRACE);
          const broken = plan.doc.stacks.find((s) => s.id === id)!;
          expect(broken.status).toBe('failed');
          expect(broken.error?.message).toContain(file);
          expect(broken.error?.message).not.toMatch(/locked/);
          expect(`${broken.error?.hint}`).toMatch(/backup|restore|previous/i);
          for (const other of plan.doc.stacks.filter((s) => s.id !== id && !s.id.startsWith('app/eu/alpha'))) expect(other.status, other.id).toBe('ok');

          const drift = await p.cli(['drift', '--json']);
          expect(drift.stderr).not.toMatch(STACK_TRACE);
          const report = JSON.parse(drift.stdout) as { stacks: Array<{ id: string; status: string; error?: string }> };
          const stacks = Object.fromEntries(report.stacks.map((s) => [s.id, s]));
          expect(stacks[id].status).toBe('error');
          expect(stacks[id].error).toContain(file);
          expect(Object.values(stacks).filter((s) => s.id !== id && s.status !== 'clean')).toEqual([]);
          expect(drift.exitCode).toBe(1);
        } finally {
          writeFileSync(file, saved); // the recovery the hint names: the previous copy
        }
        const plan = await p.plan();
        expect(plan.exitCode, plan.stderr).toBe(0);
      },
    );

    fault('hand-edited state', 'a hand-edited state file (valid JSON, wrong shape): exit 1 with the file, no stack trace, nothing written', async () => {
      const id = 'tenant/us/alpha';
      const file = stateFileOf(p, id);
      const saved = readFileSync(file);
      writeFileSync(file, JSON.stringify({ version: 4, resources: 42, checkpoint: 'edited by hand' }));
      try {
        const r = await p.cli(['apply', '--stack', id, '--yes', '--json']);
        expect(r.exitCode, r.stderr).toBe(1);
        expect(r.stderr).not.toMatch(STACK_TRACE);
        expect(r.stdout).toContain(file.replace(/\\/g, '\\\\'));
        expect(readFileSync(file, 'utf8')).toContain('edited by hand'); // not overwritten with an empty state
      } finally {
        writeFileSync(file, saved);
      }
      expect((await p.plan()).exitCode).toBe(0);
    });

    fault(
      'removed from config',
      'a tenant removed from platform.yaml: plan lists its stacks (exit 3), apply leaves them unless --prune, --prune destroys them dependents first; plan and drift are clean',
      async () => {
        const before = estate;
        estate = { ...estate, tenants: [...estate.tenants, 'omega'], services: { ...estate.services, omega: ['web'] } };
        p.write(estate);
        p.commit('add omega');
        const added = await p.apply();
        expect(added.exitCode, added.stderr).toBe(0);
        expect(p.kubectl('us', ['get', 'deployments', '-n', 'omega', '-o', 'name'])).toContain('deployment.apps/web');

        estate = before;
        p.write(estate);
        p.commit('omega removed');
        const orphanIds = ['app/eu/omega/web', 'app/us/omega/web', 'tenant/eu/omega', 'tenant/us/omega'];
        const plan = await p.plan();
        expect(plan.exitCode, plan.stderr).toBe(3);
        expect(plan.doc.orphans?.map((o) => [o.id, o.action, o.reason])).toEqual(orphanIds.map((id) => [id, 'pending', 'no longer in platform.yaml']));
        for (const o of plan.doc.orphans ?? []) expect(o.resources, o.id).toBeGreaterThan(0);
        // The only other change: the primary region's backup schedule no longer includes the tenant's namespace.
        expect(plan.doc.stacks.filter((s) => s.status !== 'ok').map((s) => [s.id, s.status])).toEqual([['cluster/eu', 'changes']]);

        const left = await p.apply();
        expect(left.exitCode, left.stderr).toBe(0);
        expect(left.doc.orphans?.map((o) => o.action)).toEqual(orphanIds.map(() => 'left'));
        expect(left.stderr).toContain(`4 stack(s) no longer in platform.yaml left in place: ${orphanIds.join(', ')}`);
        expect(p.kubectl('us', ['get', 'namespaces', '-o', 'name'])).toContain('namespace/omega');

        const pruned = await p.apply(['--prune']);
        expect(pruned.exitCode, pruned.stderr).toBe(0);
        expect(pruned.doc.orphans?.map((o) => [o.id, o.action])).toEqual(orphanIds.map((id) => [id, 'destroyed']));
        // Dependents first: each app's destroy finished before its tenant's started.
        const order = pruned.stderr.split('\n');
        for (const region of ['eu', 'us']) {
          const appDone = order.findIndex((l) => l.startsWith(`[app/${region}/omega/web] `) && !l.endsWith(' started'));
          const tenantStart = order.findIndex((l) => l.startsWith(`[tenant/${region}/omega] `) && l.endsWith(' started'));
          expect(appDone, pruned.stderr).toBeGreaterThanOrEqual(0);
          expect(appDone, pruned.stderr).toBeLessThan(tenantStart);
        }
        for (const region of ['eu', 'us']) expect(p.kubectl(region, ['get', 'namespaces', '-o', 'name'])).not.toContain('namespace/omega');

        const clean = await p.plan();
        expect(clean.exitCode, JSON.stringify(statusOf(clean.doc))).toBe(0);
        expect(clean.doc.orphans).toBeUndefined();
        const drift = await p.cli(['drift', '--json']);
        expect(drift.exitCode, drift.stdout.slice(0, 2000)).toBe(0);
        expect(p.locks()).toEqual([]);
      },
    );

    fault(
      'API server killed',
      "a region's API server killed mid-apply: that region's stacks fail naming it, the other region finishes; after a restart the re-run converges",
      async () => {
        estate = { ...estate, services: { ...estate.services, alpha: ['web', 'api', 'jobs'] } };
        p.write(estate);
        p.commit('more services');
        const us = await inspectCluster(p.dir, clusterName(p.config().name, 'us', p.dir));
        const cli = p.spawnCli(['apply', '--all', '--yes', '--json', '--parallel', '2']);
        await cli.waitFor(/\[app\/us\/alpha\/\w+\] apply started/);
        const apiserver = apiserverPid(us.dir);
        process.kill(apiserver, 'SIGKILL');
        const exit = await cli.exited;
        expect(exit.code, exit.stderr).toBe(1);
        expect(exit.stderr).not.toMatch(STACK_TRACE);
        const doc = JSON.parse(exit.stdout) as { stacks: Array<{ id: string; status: string; error?: { message: string } }> };
        for (const s of doc.stacks.filter((x) => x.id.includes('/eu'))) expect(s.status, `${s.id}: ${s.error?.message}`).toMatch(/ok|changes/);
        const failedUs = doc.stacks.filter((s) => s.id.includes('/us') && s.status === 'failed');
        expect(failedUs.length).toBeGreaterThan(0);
        for (const s of failedUs) expect(s.error?.message, s.id).toMatch(new RegExp(`us|127\\.0\\.0\\.1:${us.apiserverPort}`));
        expect(isProcessAlive(apiserver)).toBe(false);
        await localUp(p.config(), p.dir);
        await converges();
      },
    );

    fault(
      'full disk',
      'a full disk under the state: a clear error, the previous state intact and nothing half-written; with space again apply converges',
      async () => {
        if (process.getuid?.() !== 0) return expect.fail('needs root to mount a tmpfs (mount -t tmpfs)');
        const stateDir = join(p.dir, '.platform', 'state');
        const saved = mkdtempSync(join(tmpdir(), 'platform-faults-state-'));
        cpSync(stateDir, saved, { recursive: true });
        // Room for the state as it is (Pulumi keeps backups and history: megabytes) and a little more.
        const sizeMiB = Math.ceil(Number(execFileSync('du', ['-sb', saved], { encoding: 'utf8' }).split('\t')[0]) / 2 ** 20) + 8;
        execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m`, 'tmpfs', stateDir]);
        try {
          cpSync(saved, stateDir, { recursive: true });
          const before = snapshot(stateDir);
          // Fill the rest of the disk: the next state write cannot complete.
          try {
            execFileSync('dd', ['if=/dev/zero', `of=${join(stateDir, 'filler')}`, 'bs=64k'], { stdio: 'ignore' });
          } catch {
            // dd stops with ENOSPC: the disk is full
          }
          grow('zeta');
          const r = await p.cli(['apply', '--all', '--yes', '--json']);
          expect(r.exitCode, r.stderr).toBe(1);
          expect(`${r.stdout}\n${r.stderr}`).not.toMatch(STACK_TRACE);
          expect(`${r.stdout}\n${r.stderr}`).toMatch(/ENOSPC|no space left/i);
          // Every state file that existed is still whole and parses.
          const after = snapshot(stateDir);
          for (const file of Object.keys(before)) {
            if (file.startsWith('locks/')) continue;
            expect(after[file], `${file} was lost`).toBeDefined();
            if (file.endsWith('.json') || file.endsWith('.tfstate')) expect(() => JSON.parse(after[file]), `${file} is half-written`).not.toThrow();
          }
          expect(Object.keys(after).filter((f) => /\.tmp|\.partial/.test(f))).toEqual([]);
          rmSync(join(stateDir, 'filler'));
          await converges();
        } finally {
          cpSync(stateDir, saved, { recursive: true });
          execFileSync('umount', [stateDir]);
          cpSync(saved, stateDir, { recursive: true });
          rmSync(saved, { recursive: true, force: true });
        }
      },
    );
  });
}

/** The state file of a stack (whichever engine wrote it). */
function stateFileOf(p: FaultProject, stackId: string): string {
  const root = join(p.dir, '.platform', 'state');
  const candidates =
    p.engine === 'terraform'
      ? [join(root, 'tf', ...stackId.split('/'), 'terraform.tfstate')]
      : [join(root, '.pulumi', 'stacks', p.config().name, `${stackId.replace(/\//g, '.')}.json`)];
  const found = candidates.find((f) => existsSync(f));
  if (!found) throw new Error(`no state file for ${stackId} among ${candidates.join(', ')}: ${listFiles(root).join(', ')}`);
  return found;
}

function listFiles(root: string, prefix = ''): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((e) => (statSync(join(root, e)).isDirectory() ? listFiles(join(root, e), `${prefix}${e}/`) : [`${prefix}${e}`]));
}

function snapshot(root: string): Record<string, string> {
  return Object.fromEntries(
    listFiles(root)
      .filter((f) => f !== 'filler')
      .map((f) => [f, readFileSync(join(root, f), 'utf8')]),
  );
}

function apiserverPid(clusterDir: string): number {
  return Number(readFileSync(join(clusterDir, 'pids', 'kube-apiserver.pid'), 'utf8').trim());
}
