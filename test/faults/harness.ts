/**
 * Fault-injection harness (#20): a temp project with its own local plane (two local regions), the built
 * CLI run as a real process in its own process group (so a test can signal it, or kill -9 the group),
 * and the checks every fault ends with: what plan shows, that apply converges, what locks are left.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { stringify } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import type { PlatformConfig } from '../../src/config/schema.js';
import type { EngineName } from '../../src/engines/registry.js';
import { kubeAccess } from '../../src/kube/access.js';
import { localDown, localUp } from '../../src/local/index.js';
import { isProcessAlive } from '../../src/process.js';
import { resolveTool } from '../../src/toolchain/index.js';
import { repoRoot, runCli, type CliResult } from '../helpers/cli.js';

export interface Estate {
  tenants: string[];
  /** tenant → services */
  services?: Record<string, string[]>;
  replicas?: number;
  state?: string;
}

export interface FaultProject {
  dir: string;
  configFile: string;
  engine: EngineName;
  config: () => PlatformConfig;
  write: (estate: Estate) => void;
  /** Commits the working tree (drift compares with the config at a Git ref). */
  commit: (message: string) => void;
  cli: (args: string[]) => Promise<CliResult>;
  /** `apply --all --yes --json`, parsed. */
  apply: (extra?: string[]) => Promise<{ exitCode: number; doc: RunDoc; stderr: string }>;
  /** `plan --all --detailed-exitcode --json`, parsed. */
  plan: (extra?: string[]) => Promise<{ exitCode: number; doc: RunDoc; stderr: string }>;
  /** Starts the CLI in its own process group; resolves when it exits. */
  spawnCli: (args: string[]) => SpawnedCli;
  kubectl: (region: string, args: string[]) => string;
  /** Files under the project named like a lock (ours, Pulumi's, OpenTofu's). */
  locks: () => string[];
  down: () => Promise<void>;
}

export interface StackDoc {
  id: string;
  status: string;
  reason?: string;
  error?: { kind: string; message: string; hint?: string };
  changes: Record<string, number>;
}
export interface RunDoc {
  version: 1;
  operation: string;
  stacks: StackDoc[];
  /** plan/apply over every stack: stacks no longer in platform.yaml (docs/state.md). */
  orphans?: Array<{ id: string; resources: number; reason: string; action: string }>;
  error?: { kind: string; message: string; hint?: string };
}

export interface SpawnedCli {
  pid: number;
  stderrLines: string[];
  /** Resolves with the first stderr line matching. */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

const bin = join(repoRoot, 'bin', 'run.js');

export async function createFaultProject(name: string, engine: EngineName, estate: Estate): Promise<FaultProject> {
  const dir = mkdtempSync(join(tmpdir(), `platform-faults-${engine}-`));
  const configFile = join(dir, 'platform.yaml');
  const kubectlBin = resolveTool('kubectl');
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=faults@example.com', '-c', 'user.name=faults', '-c', 'commit.gpgsign=false', ...args], {
      cwd: dir,
      encoding: 'utf8',
    });
  git('init', '-q', '-b', 'main');
  writeFileSync(join(dir, '.gitignore'), '.platform/\n');
  const parseRun = (r: CliResult): { exitCode: number; doc: RunDoc; stderr: string } => {
    try {
      return { exitCode: r.exitCode, doc: JSON.parse(r.stdout) as RunDoc, stderr: r.stderr };
    } catch {
      throw new Error(`no JSON on stdout (exit ${r.exitCode}):\n${r.stdout}\n${r.stderr}`);
    }
  };
  const project: FaultProject = {
    dir,
    configFile,
    engine,
    config: () => loadConfig(configFile).config,
    write: (e) => writeFileSync(configFile, stringify(estateConfig(name, engine, e))),
    commit: (message) => {
      git('add', '-A');
      git('commit', '-qm', message);
    },
    cli: (args) => runCli([...args, '-c', configFile], { cwd: dir }),
    apply: async (extra = []) => parseRun(await project.cli(['apply', '--all', '--yes', '--json', ...extra])),
    plan: async (extra = []) => parseRun(await project.cli(['plan', '--all', '--detailed-exitcode', '--json', ...extra])),
    spawnCli: (args) => spawnCli([...args, '-c', configFile], dir),
    kubectl: (regionName, args) => {
      const config = project.config();
      const access = kubeAccess(
        config,
        config.regions.find((r) => r.name === regionName)!,
        dir,
      );
      return execFileSync(kubectlBin, ['--kubeconfig', access.kubeconfig, '--context', access.context, ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    },
    locks: () => findFiles(dir, (path) => /(^|\/)locks\/.+\.json$|\.lock\.info$|\.pulumi\/locks\/.+\.json$/.test(path)),
    down: async () => {
      try {
        await localDown(project.config(), dir, { purge: true });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  project.write(estate);
  project.commit('initial estate');
  try {
    await localUp(project.config(), dir);
  } catch (e) {
    await project.down().catch(() => {}); // a half-started plane is not left running
    throw e;
  }
  return project;
}

/** Two local regions (eu primary, us dr), the tenants and services asked for. */
export function estateConfig(name: string, engine: EngineName, e: Estate): Record<string, unknown> {
  return {
    apiVersion: 'platform.dev/v1',
    name,
    engine,
    ...(e.state ? { state: e.state } : {}),
    regions: [
      { name: 'eu', cloud: 'local', location: 'local-eu', role: 'primary' },
      { name: 'us', cloud: 'local', location: 'local-us', role: 'dr' },
    ],
    tenants: e.tenants.map((t) => ({ name: t, plan: 'starter', owners: [`${t}@example.com`] })),
    services: Object.entries(e.services ?? {}).flatMap(([tenant, names]) =>
      names.map((s) => ({ name: s, tenant, image: `ghcr.io/acme/${s}:1`, port: 8080, replicas: e.replicas ?? 1 })),
    ),
    dr: { rpoMinutes: 60, rtoMinutes: 30, backupSchedule: '*/30 * * * *' },
  };
}

function spawnCli(args: string[], cwd: string): SpawnedCli {
  // detached: its own process group, as a shell job is; a test sends signals to it or kill -9s the group.
  const child = spawn(process.execPath, [bin, ...args], {
    cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
  });
  const stderrLines: string[] = [];
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  let partial = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    partial += d.toString();
    const lines = partial.split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      stderrLines.push(line);
      for (const w of [...waiters]) {
        if (w.pattern.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return {
    pid: child.pid!,
    stderrLines,
    exited,
    waitFor: (pattern, timeoutMs = 300_000) => {
      const seen = stderrLines.find((l) => pattern.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no stderr line matching ${pattern} in ${timeoutMs} ms:\n${stderr}`)), timeoutMs);
        void exited.then(() => reject(new Error(`the CLI exited before printing ${pattern}:\n${stderr}`)));
        waiters.push({
          pattern,
          resolve: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
        });
      });
    },
  };
}

export function findFiles(root: string, match: (relativePath: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d)) {
      const full = join(d, entry);
      if (entry === 'node_modules' || entry === 'local') continue;
      const st = statSync(full, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) walk(full);
      else if (match(relative(root, full))) out.push(relative(root, full));
    }
  };
  if (existsSync(root)) walk(root);
  return out.sort();
}

/** Processes (not zombies) working in `dir`, its local plane left out: what a run left behind. */
export function processesIn(dir: string): Array<{ pid: number; args: string }> {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .map(Number)
    .flatMap((pid) => {
      try {
        const cwd = readlinkSync(`/proc/${pid}/cwd`);
        if (!(cwd === dir || cwd.startsWith(`${dir}/`)) || cwd.includes('/.platform/local') || !isProcessAlive(pid)) return [];
        return [{ pid, args: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim() }];
      } catch {
        return []; // gone meanwhile, or not ours to read
      }
    });
}

/** Processes of a process group still alive (the CLI's, and anything it started in its group). */
export function aliveInGroup(pgid: number): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .map(Number)
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        // Fields after the command name "(…)": state ppid pgrp …
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(fields[2]) === pgid && isProcessAlive(pid) && fields[0] !== 'Z';
      } catch {
        return false;
      }
    });
}

/** Lines "[stack] apply started" seen after index `from`. */
export const startedAfter = (lines: string[], from: number): string[] => lines.slice(from).filter((l) => / (apply|plan|destroy) started$/.test(l));

export const statusOf = (doc: RunDoc): Record<string, string> => Object.fromEntries(doc.stacks.map((s) => [s.id, s.status]));
