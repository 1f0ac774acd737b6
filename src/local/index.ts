/**
 * The local control plane: one kwokctl cluster (`--runtime binary`: etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler, kwok) per local region, on loopback, with its data under
 * `<projectDir>/.platform/local/`, plus the Prometheus operator on the host when the config enables
 * `observability.prometheus` (operator.ts). `up` is idempotent and does nothing but read files when
 * everything already runs; `down` stops only this project's clusters and keeps their data unless purged.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PlatformConfig } from '../config/schema.js';
import { localKubeconfigPath } from '../kube/access.js';
import { acquireLock } from '../state/lock.js';
import { directoryStore } from '../state/store.js';
import {
  clusterBinaries,
  createCluster,
  deleteCluster,
  existingClusters,
  inspectCluster,
  PortInUseError,
  startCluster,
  stopCluster,
  type ClusterFacts,
  type ClusterState,
  type KwokctlRun,
} from './cluster.js';
import { entryFromCluster, writeLocalKubeconfig, type KubeconfigEntry } from './kubeconfig.js';
import { clusterName, kwokWorkdir, localDir, localRegions } from './names.js';
import { inspectOperator, operatorWanted, startOperator, stopOperator, type OperatorState } from './operator.js';
import { allocatePorts } from './ports.js';

export { clusterName, localRegions, kwokWorkdir } from './names.js';

export interface RegionStatus {
  name: string;
  state: ClusterState;
  /** API server URL; null when the cluster does not exist. */
  server: string | null;
  /** Context in the local kubeconfig (the region name). */
  context: string;
  /** kwok cluster name (project, region and a hash of the project dir). */
  cluster: string;
  /**
   * The Prometheus operator on the host (only when the config enables observability.prometheus, or one
   * still runs): `waiting` until the observability stack has applied its CRDs.
   */
  prometheusOperator?: OperatorState;
}

export interface LocalStatus {
  kubeconfig: string;
  regions: RegionStatus[];
}

export type LocalAction = 'create' | 'start' | 'none' | 'stop' | 'delete';

export type LocalEvent =
  | { type: 'region-started'; region: string; action: LocalAction }
  | { type: 'region-output'; region: string; line: string }
  | { type: 'region-finished'; region: string; action: LocalAction; durationMs: number }
  | { type: 'region-failed'; region: string; action: LocalAction; error: Error };

export interface LocalUpOptions {
  /** Fake nodes per cluster (kwok), default 2. */
  nodes?: number;
  onProgress?: (event: LocalEvent) => void;
  signal?: AbortSignal;
}

export interface LocalDownOptions {
  /** Delete the clusters and their data (etcd, certificates), not just stop them. */
  purge?: boolean;
  /** Only these regions' clusters (default: every cluster of the project). */
  regions?: string[];
  onProgress?: (event: LocalEvent) => void;
  signal?: AbortSignal;
}

const DEFAULT_NODES = 2;

function withProjectLock<T>(projectDir: string, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
  mkdirSync(localDir(projectDir), { recursive: true });
  return acquireLock(directoryStore(localDir(projectDir)), '.lock', 'the local plane', 'local up/down', { wait: true, signal }).then(async (lock) => {
    try {
      return await fn();
    } finally {
      await lock.release();
    }
  });
}

function primaryRegion(config: PlatformConfig): string | undefined {
  return localRegions(config).find((r) => r.role === 'primary')?.name;
}

/** Rewrite the kubeconfig from the clusters that exist (running or stopped: stopped ones keep their ports). */
function refreshKubeconfig(config: PlatformConfig, projectDir: string, facts: Map<string, ClusterFacts>): void {
  const entries: KubeconfigEntry[] = [];
  for (const region of localRegions(config)) {
    const f = facts.get(region.name);
    if (!f || f.state === 'absent' || !f.server) continue;
    const entry = entryFromCluster(region.name, f.dir, f.server);
    if (entry) entries.push(entry);
  }
  writeLocalKubeconfig(projectDir, entries, primaryRegion(config));
}

async function inspectRegions(config: PlatformConfig, projectDir: string): Promise<Map<string, ClusterFacts>> {
  const regions = localRegions(config);
  const facts = await Promise.all(regions.map((r) => inspectCluster(projectDir, clusterName(config.name, r.name, projectDir))));
  return new Map(regions.map((r, i) => [r.name, facts[i]]));
}

function toStatus(config: PlatformConfig, projectDir: string, facts: Map<string, ClusterFacts>): LocalStatus {
  return {
    kubeconfig: localKubeconfigPath(projectDir),
    regions: localRegions(config).map((r) => {
      const f = facts.get(r.name)!;
      const operator = f.state === 'absent' ? 'stopped' : inspectOperator(f.dir).state;
      return {
        name: r.name,
        state: f.state,
        server: f.state === 'absent' ? null : f.server,
        context: r.name,
        cluster: f.name,
        ...(operatorWanted(config) || operator !== 'stopped' ? { prometheusOperator: operator } : {}),
      };
    }),
  };
}

/** The region runs as the config wants it: its cluster, and its operator exactly when the config wants one. */
function regionReady(config: PlatformConfig, f: ClusterFacts): boolean {
  return f.state === 'running' && (inspectOperator(f.dir).supervisorPid !== null) === operatorWanted(config);
}

/** Start or stop the region's operator to match the config (its cluster runs). */
async function reconcileOperator(config: PlatformConfig, projectDir: string, cluster: string, emit: (line: string) => void): Promise<void> {
  const f = await inspectCluster(projectDir, cluster);
  const running = inspectOperator(f.dir).supervisorPid !== null;
  if (operatorWanted(config) && !running && f.apiserverPort) {
    await startOperator(f.dir, f.apiserverPort);
    emit('prometheus-operator started (it waits for its CRDs: the observability stack applies them)');
  } else if (!operatorWanted(config) && running) {
    await stopOperator(f.dir);
    emit('prometheus-operator stopped (observability.prometheus is not enabled)');
  }
}

/** State of every local region's cluster (reads files and pings the API server port; no kwokctl call). */
export async function localStatus(config: PlatformConfig, projectDir: string): Promise<LocalStatus> {
  return toStatus(config, projectDir, await inspectRegions(config, projectDir));
}

/** Bring every local region's cluster up (create, or start a stopped one) and write the kubeconfig. */
export async function localUp(config: PlatformConfig, projectDir: string, opts: LocalUpOptions = {}): Promise<LocalStatus> {
  const emit = opts.onProgress ?? (() => {});
  const before = await inspectRegions(config, projectDir);
  const allRunning = [...before.values()].every((f) => regionReady(config, f));
  if (allRunning) {
    // The fast path: nothing to start, no lock, no kwokctl. The kubeconfig is rewritten (cheap) in case it was removed.
    for (const r of localRegions(config)) emit({ type: 'region-finished', region: r.name, action: 'none', durationMs: 0 });
    refreshKubeconfig(config, projectDir, before);
    return toStatus(config, projectDir, before);
  }
  return withProjectLock(projectDir, opts.signal, async () => {
    const facts = await inspectRegions(config, projectDir); // again, under the lock
    const needsBinaries = [...facts.values()].some((f) => f.state === 'absent');
    const binaries = needsBinaries ? clusterBinaries() : undefined;
    const results = await Promise.allSettled(
      localRegions(config).map(async (region) => {
        const f = facts.get(region.name)!;
        const action: LocalAction = f.state === 'running' ? 'none' : f.state === 'stopped' ? 'start' : 'create';
        const started = Date.now();
        const onLine = (line: string): void => emit({ type: 'region-output', region: region.name, line });
        const run: KwokctlRun = { projectDir, signal: opts.signal, onLine };
        emit({ type: 'region-started', region: region.name, action });
        try {
          if (action === 'start') await startCluster(f, run);
          if (action === 'create') {
            for (let attempt = 1; ; attempt++) {
              const [etcdPeer, etcd, kubeApiserver, kwokController, kubeControllerManager, kubeScheduler] = await allocatePorts(6);
              const ports = { etcdPeer, etcd, kubeApiserver, kwokController, kubeControllerManager, kubeScheduler };
              try {
                await createCluster(f.name, binaries!, ports, opts.nodes ?? DEFAULT_NODES, run);
                break;
              } catch (e) {
                // Lost a race for a port (the half-made cluster is already deleted): once more, on new ports.
                if (!(e instanceof PortInUseError) || attempt >= 2) throw e;
                emit({ type: 'region-output', region: region.name, line: 'a port was taken meanwhile; retrying on new ports' });
              }
            }
          }
          await reconcileOperator(config, projectDir, f.name, onLine);
          emit({ type: 'region-finished', region: region.name, action, durationMs: Date.now() - started });
        } catch (e) {
          const error = e instanceof Error ? e : new Error(String(e));
          emit({ type: 'region-failed', region: region.name, action, error });
          throw error;
        }
      }),
    );
    const after = await inspectRegions(config, projectDir);
    refreshKubeconfig(config, projectDir, after);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return toStatus(config, projectDir, after);
  });
}

/**
 * Stop (or with `purge`, delete) this project's clusters: every cluster in the project's own kwok
 * workdir, including those of regions since removed from the config. Other projects' clusters live in
 * other workdirs and are never touched.
 */
export async function localDown(config: PlatformConfig, projectDir: string, opts: LocalDownOptions = {}): Promise<LocalStatus> {
  const emit = opts.onProgress ?? (() => {});
  return withProjectLock(projectDir, opts.signal, async () => {
    const regionByCluster = new Map(localRegions(config).map((r) => [clusterName(config.name, r.name, projectDir), r.name]));
    const only = opts.regions && new Set(opts.regions.map((r) => clusterName(config.name, r, projectDir)));
    const clusters = existingClusters(projectDir).filter((name) => !only || only.has(name));
    const results = await Promise.allSettled(
      clusters.map(async (name) => {
        const label = regionByCluster.get(name) ?? name;
        const facts = await inspectCluster(projectDir, name);
        const anyAlive = facts.alivePids.length > 0 || inspectOperator(facts.dir).supervisorPid !== null;
        const action: LocalAction = opts.purge ? 'delete' : anyAlive ? 'stop' : 'none';
        const started = Date.now();
        const run: KwokctlRun = { projectDir, signal: opts.signal, onLine: (line) => emit({ type: 'region-output', region: label, line }) };
        emit({ type: 'region-started', region: label, action });
        try {
          // The operator first: it would log its API server's absence until stopped.
          await stopOperator(facts.dir);
          if (action === 'delete') await deleteCluster(facts, run);
          if (action === 'stop') await stopCluster(facts, run);
          emit({ type: 'region-finished', region: label, action, durationMs: Date.now() - started });
        } catch (e) {
          const error = e instanceof Error ? e : new Error(String(e));
          emit({ type: 'region-failed', region: label, action, error });
          throw error;
        }
      }),
    );
    if (opts.purge) {
      const remaining = existingClusters(projectDir);
      for (const name of clusters) if (!remaining.includes(name)) rmSync(join(localDir(projectDir), `${name}.kwokctl.yaml`), { force: true });
      // With `regions`, other clusters survive a purge: the workdir goes only when it holds none.
      if (remaining.length === 0) rmSync(kwokWorkdir(projectDir), { recursive: true, force: true });
      refreshKubeconfig(config, projectDir, await inspectRegions(config, projectDir));
    }
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return localStatus(config, projectDir);
  });
}
