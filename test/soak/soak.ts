/**
 * The soak (#20): cycles of a random config edit (replicas, canary weight, a tenant added or removed, a
 * service moved between regions) → plan → apply → plan must be clean → drift must be clean, per engine,
 * on one local plane per engine. Prints cycles passed, false positives, leaked processes and ports, and
 * the CLI's peak RSS per cycle. `npm run test:soak` runs 30 cycles per engine; `npm test` runs
 * SOAK_CYCLES (default 1) so the loop itself stays tested. One file (one plane) per engine.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { EngineName } from '../../src/engines/registry.js';
import { repoRoot } from '../helpers/cli.js';
import { createFaultProject, estateConfig, type FaultProject } from '../faults/harness.js';

const CYCLES = Number(process.env.SOAK_CYCLES ?? 1);
const SEED = Number(process.env.SOAK_SEED ?? 20);

interface SoakEstate {
  tenants: string[];
  /** service → [tenant, regions, replicas, canary weight] */
  services: Array<{ name: string; tenant: string; regions: Array<'eu' | 'us'>; replicas: number; weight: number }>;
}

const edit = fc.oneof(
  fc.record({ kind: fc.constant('replicas' as const), service: fc.nat(), replicas: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('weight' as const), service: fc.nat(), weight: fc.integer({ min: 0, max: 50 }) }),
  fc.record({ kind: fc.constant('tenant' as const), add: fc.boolean(), index: fc.nat() }),
  fc.record({ kind: fc.constant('move' as const), service: fc.nat(), to: fc.constantFrom<Array<'eu' | 'us'>>(['eu'], ['us'], ['eu', 'us']) }),
);

type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

function applyEdit(e: SoakEstate, m: Edit): string {
  const s = e.services.length ? e.services[('service' in m ? m.service : 0) % e.services.length] : undefined;
  if (m.kind === 'replicas' && s) s.replicas = m.replicas;
  else if (m.kind === 'weight' && s) s.weight = m.weight;
  else if (m.kind === 'move' && s) s.regions = m.to;
  else if (m.kind === 'tenant') {
    const pool = ['t1', 't2', 't3'];
    const extra = e.tenants.filter((t) => t !== 'core');
    if (m.add && extra.length < pool.length) e.tenants.push(pool.find((t) => !e.tenants.includes(t))!);
    else if (!m.add && extra.length) {
      const gone = extra[m.index % extra.length];
      e.tenants = e.tenants.filter((t) => t !== gone);
    }
  }
  return JSON.stringify(m);
}

function configOf(name: string, engine: EngineName, e: SoakEstate): Record<string, unknown> {
  const base = estateConfig(name, engine, { tenants: e.tenants });
  return {
    ...base,
    services: e.services.map((s) => ({
      name: s.name,
      tenant: s.tenant,
      image: `ghcr.io/acme/${s.name}:1`,
      port: 8080,
      replicas: s.replicas,
      regions: s.regions,
      // Moved to the primary alone, it deliberately has no DR copy (else the DR check refuses the config, exit 2).
      ...(s.regions.includes('us') ? {} : { dr: 'none' }),
      ...(s.weight > 0 ? { canary: { image: `ghcr.io/acme/${s.name}:2`, weight: s.weight } } : {}),
    })),
  };
}

/** The CLI under /usr/bin/time: its exit code, output and peak RSS (KiB). */
function timedCli(p: FaultProject, args: string[]): { exitCode: number; stdout: string; rssKb: number } {
  const rssFile = join(p.dir, '.rss');
  let stdout: string;
  let exitCode = 0;
  try {
    stdout = execFileSync('/usr/bin/time', ['-f', '%M', '-o', rssFile, process.execPath, join(repoRoot, 'bin', 'run.js'), ...args, '-c', p.configFile], {
      cwd: p.dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, NO_COLOR: '1' },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    const err = e as { status: number; stdout: string };
    exitCode = err.status;
    stdout = err.stdout;
  }
  const rssKb = Number(execFileSync('tail', ['-n', '1', rssFile], { encoding: 'utf8' }).trim());
  return { exitCode, stdout, rssKb };
}

/** Processes whose command line mentions the project (engines, providers) other than its local plane. */
function leakedProcesses(dir: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes(dir) && !l.includes('/.platform/local/'));
}

/** Listening TCP addresses of processes of the project other than its local plane (`ss -p` names the owners). */
const listening = (dir: string): Set<string> =>
  new Set(
    execFileSync('ss', ['-ltnpH'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => [...l.matchAll(/pid=(\d+)/g)].some(([, pid]) => ofProject(Number(pid), dir)))
      .map((l) => l.split(/\s+/)[3])
      .filter(Boolean),
  );

/** A process started for the project (its command line or working directory is in it), not its plane. */
function ofProject(pid: number, dir: string): boolean {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    return !args.includes('/.platform/local/') && (args.includes(dir) || readlinkSync(`/proc/${pid}/cwd`).startsWith(dir));
  } catch {
    return false; // gone since ss listed it
  }
}

export function soakSuite(engine: EngineName): void {
  describe(`soak (${engine}): edit → plan → apply → plan clean → drift clean`, () => {
    let p: FaultProject;
    const estate: SoakEstate = {
      tenants: ['core'],
      services: [
        { name: 'web', tenant: 'core', regions: ['eu', 'us'], replicas: 1, weight: 0 },
        { name: 'api', tenant: 'core', regions: ['eu'], replicas: 1, weight: 0 },
      ],
    };
    beforeAll(async () => {
      p = await createFaultProject(`soak${engine.slice(0, 2)}`, engine, { tenants: ['core'] });
    });
    afterAll(async () => {
      await p.down();
    });

    it(
      `${CYCLES} cycles: no false positive, no leaked process or port, RSS does not grow`,
      () => {
        const edits = fc.sample(edit, { numRuns: CYCLES, seed: SEED + engine.length });
        const figures: Array<{ cycle: number; edit: string; stacks: number; rssKb: number; ms: number }> = [];
        let falsePositives = 0;
        let leaks = 0;
        const portsBefore = listening(p.dir);
        for (const [i, m] of edits.entries()) {
          const started = performance.now();
          const what = applyEdit(estate, m);
          writeFileSync(p.configFile, stringify(configOf(`soak${engine.slice(0, 2)}`, engine, estate)));
          p.commit(`cycle ${i}: ${what}`);
          const plan = timedCli(p, ['plan', '--all', '--json']);
          expect(plan.exitCode, `cycle ${i} plan`).toBe(0);
          const stacks = (JSON.parse(plan.stdout) as { stacks: unknown[] }).stacks.length;
          // --prune: a service moved out of a region leaves its old stack's state behind, which apply destroys only when asked.
          const apply = timedCli(p, ['apply', '--all', '--prune', '--yes', '--json']);
          expect(apply.exitCode, `cycle ${i} apply ${what}: ${apply.stdout.slice(0, 2000)}`).toBe(0);
          const clean = timedCli(p, ['plan', '--all', '--detailed-exitcode', '--json']);
          const drift = timedCli(p, ['drift', '--json']);
          if (clean.exitCode !== 0) falsePositives++;
          if (drift.exitCode !== 0) falsePositives++;
          const leaked = leakedProcesses(p.dir);
          leaks += leaked.length;
          figures.push({ cycle: i, edit: what, stacks, rssKb: Math.max(apply.rssKb, clean.rssKb, drift.rssKb), ms: Math.round(performance.now() - started) });
          expect(clean.exitCode, `cycle ${i}: plan after apply is not clean: ${clean.stdout.slice(0, 2000)}`).toBe(0);
          expect(drift.exitCode, `cycle ${i}: drift after apply: ${drift.stdout.slice(0, 2000)}`).toBe(0);
          expect(leaked, `cycle ${i}: processes left`).toEqual([]);
        }
        const newPorts = [...listening(p.dir)].filter((a) => !portsBefore.has(a));
        const rss = figures.map((f) => f.rssKb);
        console.log(
          `soak ${engine}: ${figures.length}/${CYCLES} cycles passed, ${falsePositives} false positives, ${leaks} leaked processes, ${newPorts.length} new listening ports; peak RSS per cycle (MiB): ${rss.map((k) => (k / 1024).toFixed(0)).join(' ')}; stacks per cycle: ${figures.map((f) => f.stacks).join(' ')}; ms per cycle: ${figures.map((f) => f.ms).join(' ')}`,
        );
        expect(newPorts).toEqual([]);
        // No growth: the CLI's memory follows the estate (a tenant more, a few stacks more), so each
        // cycle is compared with the first cycle that planned as many stacks; 25 % over it is growth.
        const firstAtSize = new Map<number, number>();
        for (const f of figures) {
          const first = firstAtSize.get(f.stacks) ?? f.rssKb;
          firstAtSize.set(f.stacks, first);
          expect(f.rssKb, `cycle ${f.cycle} (${f.stacks} stacks): peak RSS against the first cycle of that size`).toBeLessThan(1.25 * first);
        }
      },
      CYCLES * 600_000,
    );
  });
}
