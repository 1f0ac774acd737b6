/**
 * Team-state integration harness: one local plane per test file (checkouts reach it through
 * KUBECONFIG, as a CI runner would), object servers from the toolchain, and checkouts — Git
 * repositories holding only platform.yaml — that run the real `platform` CLI with the team's
 * environment (the servers' variables, KUBECONFIG, one shared PLATFORM_PASSPHRASE).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Engine } from '../../src/config/schema.js';
import { platformSchema } from '../../src/config/schema.js';
import { localKubeconfigPath } from '../../src/kube/access.js';
import { localDown, localUp } from '../../src/local/index.js';
import { resolveTool } from '../../src/toolchain/index.js';
import type { ObjectServer } from '../../src/local/object-servers.js';
import { runCli, type CliResult } from '../helpers/cli.js';

export interface Team {
  /** Short random suffix: names of this file's projects, tenants and prefixes. */
  run: string;
  env: Record<string, string>;
  /** A Git repository with only platform.yaml committed (what a teammate or a CI runner checks out). */
  checkout(config: object): string;
  /** `git clone` of a checkout: platform.yaml only, no `.platform/`. */
  clone(from: string): string;
  cli(dir: string, args: string[]): Promise<CliResult>;
  kubectl(args: string[]): string;
  down(): Promise<void>;
}

/** An estate of one local region reached through KUBECONFIG (context `eu`) and one tenant, no services. */
export const teamEstate = (opts: { name: string; engine: Engine; tenant: string; state?: string }) => ({
  apiVersion: 'platform.dev/v1',
  name: opts.name,
  engine: opts.engine,
  ...(opts.state ? { state: opts.state } : {}),
  regions: [{ name: 'eu', cloud: 'local', location: 'local-eu', role: 'primary', cluster: { context: 'eu' } }],
  tenants: [{ name: opts.tenant, plan: 'starter', owners: ['ana@example.com'] }],
  services: [],
});

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });

export async function startTeam(servers: ObjectServer[]): Promise<Team> {
  const run = randomBytes(2).toString('hex');
  const temps: string[] = [];
  const plane = mkdtempSync(join(tmpdir(), 'platform-team-plane-'));
  const planeConfig = platformSchema.parse({
    apiVersion: 'platform.dev/v1',
    name: `tp${run}`,
    regions: [{ name: 'eu', cloud: 'local', location: 'local-eu', role: 'primary' }],
  });
  writeFileSync(join(plane, 'platform.yaml'), stringify(planeConfig));
  await localUp(planeConfig, plane);
  const env: Record<string, string> = {
    ...Object.assign({}, ...servers.map((s) => s.env)),
    KUBECONFIG: localKubeconfigPath(plane),
    PLATFORM_PASSPHRASE: randomBytes(24).toString('base64url'),
  };
  const mkdir = (prefix: string): string => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    temps.push(dir);
    return dir;
  };
  return {
    run,
    env,
    checkout: (config) => {
      const dir = mkdir('platform-team-');
      git(dir, 'init', '-q', '-b', 'main');
      writeFileSync(join(dir, '.gitignore'), '.platform/\n');
      writeFileSync(join(dir, 'platform.yaml'), stringify(config));
      git(dir, 'add', '-A');
      git(dir, 'commit', '-qm', 'estate');
      return dir;
    },
    clone: (from) => {
      const dir = mkdir('platform-team-clone-');
      git(tmpdir(), 'clone', '-q', from, dir);
      return dir;
    },
    cli: (dir, args) => runCli(args, { cwd: dir, env }),
    kubectl: (args) =>
      execFileSync(resolveTool('kubectl'), ['--kubeconfig', env.KUBECONFIG, '--context', 'eu', ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    down: async () => {
      try {
        await localDown(planeConfig, plane, { purge: true });
      } finally {
        for (const s of servers) await s.stop();
        for (const dir of [plane, ...temps]) rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The one JSON document a command printed. */
export function json(r: CliResult): unknown {
  try {
    return JSON.parse(r.stdout);
  } catch {
    throw new Error(`no JSON (exit ${r.exitCode}): ${r.stdout}\n${r.stderr}`);
  }
}
