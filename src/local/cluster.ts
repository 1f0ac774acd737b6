/**
 * One kwokctl cluster (`--runtime binary`): what state it is in, judged from its own files (pid files,
 * ports in kwok.yaml) without running kwokctl, and the kwokctl calls that change it. Every binary is
 * given by path and kwokctl gets a dead proxy, so it can never start a download (that would hang).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, dirname, join } from 'node:path';
import { setTimeout as wait } from 'node:timers/promises';
import { parseAllDocuments, stringify } from 'yaml';
import { ExternalError } from '../errors.js';
import { isOurDaemon, isProcessAlive, readPidFile } from '../process.js';
import { resolveTool } from '../toolchain/index.js';
import { KUBERNETES_VERSION } from '../toolchain/versions.js';
import { clusterDir, kwokWorkdir, localDir } from './names.js';

export type ClusterState = 'running' | 'stopped' | 'absent';

/** What each kwok node reports as allocatable ephemeral storage (a node's disk, as a kubelet would). */
export const NODE_EPHEMERAL_STORAGE = '100Gi';

export const COMPONENTS = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok-controller'] as const;

export interface ClusterFacts {
  name: string;
  dir: string;
  state: ClusterState;
  /** `https://127.0.0.1:<port>` of the API server (null when absent). */
  server: string | null;
  apiserverPort: number | null;
  /** Every host port the cluster's components listen on. */
  ports: Array<{ component: string; port: number }>;
  /** pids of components that are alive now. */
  alivePids: number[];
  /** Components that should run but do not. */
  deadComponents: string[];
  /** Pid files naming processes that are gone or are not ours (pid reused, e.g. after a reboot). */
  stalePidFiles: string[];
}

interface KwokComponent {
  name: string;
  ports?: Array<{ port?: number; hostPort?: number }>;
}

function tcpAccepts(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The cluster as its files describe it (no kwokctl call: this is what keeps `local up` fast when running). */
export async function inspectCluster(projectDir: string, name: string): Promise<ClusterFacts> {
  const dir = clusterDir(projectDir, name);
  const configFile = join(dir, 'kwok.yaml');
  if (!existsSync(configFile))
    return { name, dir, state: 'absent', server: null, apiserverPort: null, ports: [], alivePids: [], deadComponents: [], stalePidFiles: [] };
  // kwok.yaml holds several documents (the KwokctlConfiguration, then resource templates).
  const kwokctlDoc = parseAllDocuments(readFileSync(configFile, 'utf8'))
    .map((d) => d.toJS() as { kind?: string; components?: KwokComponent[] } | null)
    .find((d) => d?.kind === 'KwokctlConfiguration');
  const components = (kwokctlDoc?.components ?? []).filter((c) => c.name);
  const ports = components.flatMap((c) => (c.ports ?? []).map((p) => ({ component: c.name, port: p.hostPort || p.port || 0 })).filter((p) => p.port > 0));
  const apiserverPort = ports.find((p) => p.component === 'kube-apiserver')?.port ?? null;
  const alivePids: number[] = [];
  const deadComponents: string[] = [];
  const stalePidFiles: string[] = [];
  for (const c of components) {
    const pidFile = join(dir, 'pids', `${c.name}.pid`);
    const pid = readPidFile(pidFile);
    if (isOurDaemon(pid, dir)) alivePids.push(pid);
    else {
      deadComponents.push(c.name);
      if (existsSync(pidFile)) stalePidFiles.push(pidFile);
    }
  }
  const running = components.length > 0 && deadComponents.length === 0 && apiserverPort !== null && (await tcpAccepts(apiserverPort));
  return {
    name,
    dir,
    state: running ? 'running' : 'stopped',
    server: apiserverPort ? `https://127.0.0.1:${apiserverPort}` : null,
    apiserverPort,
    ports,
    alivePids,
    deadComponents,
    stalePidFiles,
  };
}

/** kwokctl trusts any live pid in a pid file: drop the ones that are not ours before it acts. */
function removeStalePidFiles(facts: ClusterFacts): void {
  for (const file of facts.stalePidFiles) rmSync(file, { force: true });
}

/** Cluster names that exist in this project's kwok workdir (including regions since removed from config). */
export function existingClusters(projectDir: string): string[] {
  try {
    return readdirSync(join(kwokWorkdir(projectDir), 'clusters')).filter((n) => existsSync(join(clusterDir(projectDir, n), 'kwok.yaml')));
  } catch {
    return [];
  }
}

// ---- kwokctl ------------------------------------------------------------------------------------

/** Nothing listens on port 9 of loopback: any download kwokctl might attempt fails at once instead of hanging. */
const NO_NETWORK_ENV = { HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9', NO_PROXY: '127.0.0.1,localhost,::1' };

export interface KwokctlRun {
  projectDir: string;
  signal?: AbortSignal;
  onLine?: (line: string) => void;
  timeoutMs?: number;
}

interface KwokctlResult {
  ok: boolean;
  output: string;
  command: string;
  /** Component log tails seen while kwokctl ran (kwokctl deletes a cluster it failed to create, logs and all). */
  componentLogs: Map<string, string[]>;
  /** A component that exited while kwokctl was starting the cluster (kwokctl was stopped then). */
  exitedEarly?: string;
}

/** PATH for kwokctl: it waits for readiness with `kubectl` from PATH, so ours comes first. */
function kwokctlPath(): string {
  try {
    return [dirname(resolveTool('kubectl')), process.env.PATH ?? ''].join(delimiter);
  } catch {
    return process.env.PATH ?? ''; // stop/delete do not need kubectl
  }
}

async function kwokctl(args: string[], run: KwokctlRun, watchLogsOf?: string): Promise<KwokctlResult> {
  const binary = resolveTool('kwokctl');
  const { execa } = await import('execa'); // not needed (nor loaded) when everything already runs
  const child = execa(binary, args, {
    env: { KWOK_WORKDIR: kwokWorkdir(run.projectDir), PATH: kwokctlPath(), ...NO_NETWORK_ENV },
    all: true,
    reject: false,
    stdin: 'ignore',
    cancelSignal: run.signal,
    timeout: run.timeoutMs ?? 180_000,
  });
  child.all.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      const msg = kwokLogMessage(line);
      if (msg) run.onLine?.(msg);
    }
  });
  const componentLogs = new Map<string, string[]>();
  const deadSince = new Map<string, number>();
  let exitedEarly: string | undefined;
  const snapshot = () => {
    if (!watchLogsOf) return;
    for (const c of COMPONENTS) {
      const lines = readTail(join(watchLogsOf, 'logs', `${c}.log`), 15);
      if (lines.length) componentLogs.set(c, lines);
      // A component that died stays dead: kwokctl would wait out its whole timeout for it. Stop early.
      const pid = readPidFile(join(watchLogsOf, 'pids', `${c}.pid`));
      if (pid === null || isProcessAlive(pid)) deadSince.delete(c);
      else if (!deadSince.has(c)) deadSince.set(c, Date.now());
      else if (!exitedEarly && Date.now() - deadSince.get(c)! > 2_000) {
        exitedEarly = c;
        child.kill('SIGTERM');
      }
    }
  };
  const watcher = watchLogsOf ? setInterval(snapshot, 250) : undefined;
  try {
    const result = await child;
    snapshot();
    return { ok: !result.failed && !exitedEarly, output: result.all, command: `kwokctl ${args.join(' ')}`, componentLogs, exitedEarly };
  } finally {
    if (watcher) clearInterval(watcher);
  }
}

function readTail(file: string, n: number): string[] {
  try {
    return lastLines(readFileSync(file, 'utf8'), n);
  } catch {
    return [];
  }
}

/** kwokctl logs JSON lines; keep the human part (`msg` plus an `err` if any). */
export function kwokLogMessage(line: string): string | null {
  const trimmed = line.trim();
  if (!trimmed) return null;
  try {
    const entry = JSON.parse(trimmed) as { msg?: string; err?: string };
    return entry.msg ? `${entry.msg}${entry.err ? `: ${entry.err}` : ''}` : null;
  } catch {
    return trimmed;
  }
}

function lastLines(text: string, n: number): string[] {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter(Boolean)
    .slice(-n);
}

/** Last log lines of the given components, from their log files or from what was seen while kwokctl ran. */
export function componentLogTail(dir: string, components: readonly string[], seen: Map<string, string[]> = new Map(), n = 15): string {
  const parts: string[] = [];
  for (const c of components) {
    const file = join(dir, 'logs', `${c}.log`);
    const lines = existsSync(file) ? readTail(file, n) : (seen.get(c) ?? []);
    if (lines.length) parts.push(`--- ${c} log (last ${lines.length} lines)\n${lines.map((l) => `  ${l}`).join('\n')}`);
  }
  return parts.join('\n');
}

const PORT_IN_USE = /address already in use|bind: .*in use/i;

/** A component could not bind its port (someone took it between our check and its start). */
export class PortInUseError extends ExternalError {}

async function failure(
  what: string,
  projectDir: string,
  name: string,
  result: Pick<KwokctlResult, 'output' | 'command'> & Partial<KwokctlResult>,
): Promise<ExternalError> {
  const facts = await inspectCluster(projectDir, name);
  const suspects = result.exitedEarly ? [result.exitedEarly] : facts.deadComponents.length && facts.state !== 'absent' ? facts.deadComponents : [...COMPONENTS];
  const logs = componentLogTail(facts.dir, suspects, result.componentLogs);
  const kwokTail = lastLines(result.output, 8)
    .map((l) => kwokLogMessage(l) ?? l)
    .map((l) => `  ${l}`)
    .join('\n');
  const portProblem = PORT_IN_USE.test(logs) || PORT_IN_USE.test(result.output);
  const dead = result.exitedEarly
    ? ` (${result.exitedEarly} exited early)`
    : facts.deadComponents.length
      ? ` (${facts.deadComponents.join(', ')} not running)`
      : '';
  return new (portProblem ? PortInUseError : ExternalError)(
    `${what} cluster ${name} failed${dead}: \`${result.command}\`\n${kwokTail}${logs ? `\n${logs}` : ''}`,
    portProblem
      ? `A port the cluster needs is in use. Free it, or run \`platform local down --purge\` then \`platform local up\` to recreate the cluster on new ports (its data is lost).`
      : `Component logs are in ${join(facts.dir, 'logs')}. \`platform local down --purge\` then \`platform local up\` recreates the cluster (its data is lost).`,
  );
}

export interface ClusterBinaries {
  etcd: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kwokController: string;
  kubectl: string;
}

/** Every binary kwokctl could want, by path (throws "run platform toolchain install" if one is missing). */
export function clusterBinaries(): ClusterBinaries {
  return {
    etcd: resolveTool('etcd'),
    kubeApiserver: resolveTool('kube-apiserver'),
    kubeControllerManager: resolveTool('kube-controller-manager'),
    kubeScheduler: resolveTool('kube-scheduler'),
    kwokController: resolveTool('kwok'),
    kubectl: resolveTool('kubectl'),
  };
}

export interface ClusterPorts {
  etcdPeer: number;
  etcd: number;
  kubeApiserver: number;
  kwokController: number;
  kubeControllerManager: number;
  kubeScheduler: number;
}

/** The KwokctlConfiguration we create clusters from: loopback only, our binaries, our ports. */
export function kwokctlConfigYaml(binaries: ClusterBinaries, ports: ClusterPorts): string {
  return stringify({
    apiVersion: 'config.kwok.x-k8s.io/v1alpha1',
    kind: 'KwokctlConfiguration',
    options: {
      runtime: 'binary',
      bindAddress: '127.0.0.1',
      kubeVersion: KUBERNETES_VERSION,
      etcdBinary: binaries.etcd,
      kubeApiserverBinary: binaries.kubeApiserver,
      kubeControllerManagerBinary: binaries.kubeControllerManager,
      kubeSchedulerBinary: binaries.kubeScheduler,
      kwokControllerBinary: binaries.kwokController,
      kubectlBinary: binaries.kubectl,
      etcdPeerPort: ports.etcdPeer,
      etcdPort: ports.etcd,
      kubeApiserverPort: ports.kubeApiserver,
      kwokControllerPort: ports.kwokController,
      kubeControllerManagerPort: ports.kubeControllerManager,
      kubeSchedulerPort: ports.kubeScheduler,
    },
  });
}

export async function createCluster(name: string, binaries: ClusterBinaries, ports: ClusterPorts, nodes: number, run: KwokctlRun): Promise<void> {
  mkdirSync(localDir(run.projectDir), { recursive: true });
  const configFile = join(localDir(run.projectDir), `${name}.kwokctl.yaml`);
  writeFileSync(configFile, kwokctlConfigYaml(binaries, ports));
  // Flags repeat the binaries: kwokctl's flag defaults are download URLs, and flags win over config.
  const created = await kwokctl(
    [
      '--config',
      configFile,
      'create',
      'cluster',
      '--name',
      name,
      '--runtime',
      'binary',
      '--kubeconfig',
      '',
      '--etcd-binary',
      binaries.etcd,
      '--kube-apiserver-binary',
      binaries.kubeApiserver,
      '--kube-controller-manager-binary',
      binaries.kubeControllerManager,
      '--kube-scheduler-binary',
      binaries.kubeScheduler,
      '--kwok-controller-binary',
      binaries.kwokController,
      // --timeout bounds starting (without it kwokctl waits forever for an API server that died);
      // --wait bounds readiness, but kwokctl only logs a readiness failure: we check below.
      '--timeout',
      '60s',
      '--wait',
      '60s',
    ],
    run,
    clusterDir(run.projectDir, name),
  );
  const ready = created.ok && (await inspectCluster(run.projectDir, name)).state === 'running';
  if (!ready) {
    const error = await failure('creating', run.projectDir, name, created);
    await kwokctl(['delete', 'cluster', '--name', name], run); // leave nothing half-made behind
    throw error;
  }
  // A kubelet reports its node's ephemeral storage; kwok's default node does not, and a pod that requests
  // it (every app pod: docs/policy.md, `resources`; every hardened control-plane pod: docs/installs.md)
  // would never be scheduled.
  const scaled = await kwokctl(
    ['scale', 'node', '--replicas', String(nodes), '--name', name, '--param', `.allocatable."ephemeral-storage"="${NODE_EPHEMERAL_STORAGE}"`],
    run,
  );
  if (!scaled.ok) throw await failure('adding nodes to', run.projectDir, name, scaled);
}

export async function startCluster(facts: ClusterFacts, run: KwokctlRun): Promise<void> {
  removeStalePidFiles(facts);
  if (facts.alivePids.length) await stopCluster(facts, run); // half-running: restart cleanly
  // A component stopped a moment ago (its API server killed, the rest stopped above) may still hold its
  // port for a few seconds under load: wait that out before calling the port someone else's.
  const busyPorts = async (): Promise<number[]> => {
    const out: number[] = [];
    for (const { port } of facts.ports) if (await tcpAccepts(port, 200)) out.push(port);
    return out;
  };
  let busy = await busyPorts();
  for (const until = Date.now() + 10_000; busy.length && Date.now() < until; busy = await busyPorts()) await wait(250);
  if (busy.length) {
    throw new ExternalError(
      `cannot start cluster ${facts.name}: port${busy.length > 1 ? 's' : ''} ${busy.join(', ')} ${busy.length > 1 ? 'are' : 'is'} in use by another process`,
      'Stop what listens there, or run `platform local down --purge` then `platform local up` to recreate the cluster on new ports (its data is lost).',
    );
  }
  const started = await kwokctl(['start', 'cluster', '--name', facts.name, '--timeout', '60s', '--wait', '60s'], run, facts.dir);
  if (!started.ok || (await inspectCluster(run.projectDir, facts.name)).state !== 'running')
    throw await failure('starting', run.projectDir, facts.name, started);
}

/** Stop the components and wait until they are gone (etcd flushes its data on the way out). */
export async function stopCluster(facts: ClusterFacts, run: KwokctlRun): Promise<void> {
  removeStalePidFiles(facts);
  const stopped = await kwokctl(['stop', 'cluster', '--name', facts.name], run);
  await waitForExit(facts.alivePids, 15_000);
  if (!stopped.ok && facts.alivePids.some(isProcessAlive)) throw await failure('stopping', run.projectDir, facts.name, stopped);
}

export async function deleteCluster(facts: ClusterFacts, run: KwokctlRun): Promise<void> {
  removeStalePidFiles(facts);
  const deleted = await kwokctl(['delete', 'cluster', '--name', facts.name], run);
  await waitForExit(facts.alivePids, 15_000);
  if (!deleted.ok) throw await failure('deleting', run.projectDir, facts.name, deleted);
}

async function waitForExit(pids: number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isProcessAlive)) {
    if (Date.now() > deadline) {
      for (const pid of pids.filter(isProcessAlive)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      }
      // Killed, but its ports are free only once it is gone: a restart right after found them busy.
      for (const killedBy = Date.now() + 5_000; pids.some(isProcessAlive) && Date.now() < killedBy;) await wait(50);
      return;
    }
    await wait(50);
  }
}
