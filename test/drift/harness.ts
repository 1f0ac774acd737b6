/**
 * Drift integration harness: a temp Git repository holding platform.yaml, its own local plane
 * (src/local), stacks applied by the real engine through the same path as `platform apply --all`,
 * kubectl for the out-of-band edits, and `platform drift` run as a real process.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import type { PlatformConfig, PlatformInput } from '../../src/config/schema.js';
import type { DriftReport } from '../../src/drift/types.js';
import { kubeAccess } from '../../src/kube/access.js';
import { inspectCluster, stopCluster } from '../../src/local/cluster.js';
import { localDown, localUp } from '../../src/local/index.js';
import { clusterName } from '../../src/local/names.js';
import { prepareOperation } from '../../src/operations.js';
import type { RunReport } from '../../src/orchestrate/run.js';
import { resolveTool } from '../../src/toolchain/index.js';
import { runCli } from '../helpers/cli.js';

export interface DriftProject {
  dir: string;
  configFile: string;
  config: () => PlatformConfig;
  /** Writes platform.yaml (not committed). */
  write: (input: PlatformInput) => void;
  /** Commits everything in the working tree. */
  commit: (message: string) => void;
  apply: () => Promise<RunReport>;
  drift: (args?: string[]) => Promise<{ exitCode: number; report: DriftReport; stderr: string; ms: number }>;
  driftText: (args: string[]) => Promise<{ exitCode: number; stdout: string; stderr: string }>;
  kubectl: (region: string, args: string[]) => string;
  stopRegion: (region: string) => Promise<void>;
  down: () => Promise<void>;
}

export async function createDriftProject(input: PlatformInput): Promise<DriftProject> {
  const dir = mkdtempSync(join(tmpdir(), 'platform-drift-'));
  const configFile = join(dir, 'platform.yaml');
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=drift@example.com', '-c', 'user.name=drift', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  writeFileSync(join(dir, '.gitignore'), '.platform/\n');
  const kubectlBin = resolveTool('kubectl');
  const project: DriftProject = {
    dir,
    configFile,
    config: () => loadConfig(configFile).config,
    write: (config) => writeFileSync(configFile, stringify(config)),
    commit: (message) => {
      git('add', '-A');
      git('commit', '-qm', message);
    },
    apply: async () => {
      const op = await prepareOperation({ operation: 'apply', configFile, all: true, yes: true, parallel: 2 });
      return op.run('apply', () => {});
    },
    drift: async (args = []) => {
      const started = performance.now();
      const r = await runCli(['drift', '--json', '-c', configFile, ...args], { cwd: dir });
      const ms = performance.now() - started;
      let report: DriftReport;
      try {
        report = JSON.parse(r.stdout) as DriftReport;
      } catch {
        throw new Error(`drift printed no JSON (exit ${r.exitCode}): ${r.stdout}\n${r.stderr}`);
      }
      return { exitCode: r.exitCode, report, stderr: r.stderr, ms };
    },
    driftText: (args) => runCli(['drift', '-c', configFile, ...args], { cwd: dir }),
    kubectl: (regionName, args) => {
      const region = project.config().regions.find((r) => r.name === regionName)!;
      const access = kubeAccess(project.config(), region, dir);
      return execFileSync(kubectlBin, ['--kubeconfig', access.kubeconfig, '--context', access.context, ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    },
    stopRegion: async (regionName) => {
      const facts = await inspectCluster(dir, clusterName(project.config().name, regionName, dir));
      await stopCluster(facts, { projectDir: dir, onLine: () => {} });
    },
    down: async () => {
      try {
        await localDown(project.config(), dir, { purge: true });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  project.write(input);
  project.commit('initial estate');
  await localUp(project.config(), dir);
  return project;
}

/** Findings as `stack class Kind ns/name path…` lines: easy to compare as a set. */
export function findingLines(report: DriftReport): string[] {
  const lines: string[] = [];
  for (const s of report.stacks) {
    for (const f of s.findings) {
      const what = `${s.id} ${f.class} ${f.kind} ${f.namespace ? `${f.namespace}/` : ''}${f.name}`;
      lines.push(f.paths.length ? `${what} ${f.paths.map((p) => p.path).join(',')}` : what);
    }
  }
  return lines.sort();
}
