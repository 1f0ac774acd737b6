/**
 * The Prometheus operator of a local region, run on the host. kwok runs no containers, so the
 * operator Deployment the observability stack applies never runs a process; without this one the
 * `Prometheus` and `Alertmanager` CRs would never become StatefulSets. The real operator (the pinned
 * module's cmd/operator, from the toolchain cache) talks to the region's API server with the cluster's
 * admin credentials; kwok then runs the pods of the StatefulSets it makes.
 *
 * The operator checks its CRDs once, at start, and exits when none is served (or runs without the
 * controllers whose CRD is missing). The CRDs arrive with the observability stack's apply, after the
 * plane is up, so a small shell supervisor waits (a `kubectl wait` watch, no polling) until every CRD
 * of the bundle is established, runs the operator, and waits again when it exits. The supervisor leads
 * its own process group: stopping the group stops both. Pid file and log sit beside kwokctl's, in the
 * cluster folder (`pids/`, `logs/`), so a purge removes them with the cluster.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as wait } from 'node:timers/promises';
import type { PlatformConfig } from '../config/schema.js';
import { ExternalError } from '../errors.js';
import { isOurDaemon, isProcessAlive, readPidFile } from '../process.js';
import { loadCrdBundle } from '../toolchain/crds.js';
import { resolveTool } from '../toolchain/index.js';

export const OPERATOR_COMPONENT = 'prometheus-operator';

/**
 * running: the operator process runs; waiting: its supervisor waits for the operator's CRDs (applied
 * by the observability stack); stopped: neither runs.
 */
export type OperatorState = 'running' | 'waiting' | 'stopped';

/** The operator is part of the plane only when the config installs it (observability.prometheus). */
export const operatorWanted = (config: PlatformConfig): boolean => !!config.observability?.prometheus?.enabled;

export const operatorPidFile = (clusterDir: string): string => join(clusterDir, 'pids', `${OPERATOR_COMPONENT}.pid`);
const operatorChildPidFile = (clusterDir: string): string => join(clusterDir, 'pids', `${OPERATOR_COMPONENT}.child.pid`);
export const operatorLogFile = (clusterDir: string): string => join(clusterDir, 'logs', `${OPERATOR_COMPONENT}.log`);

/**
 * $1 kubectl, $2 kubeconfig, $3 the child pid file, $4 the CRD names, then the operator's command line.
 * Waiting is a watch (`kubectl get --watch`, read through a FIFO: idle, no CPU), not `kubectl wait
 * --for=create`, which polls every second (~1 % of a core per region) and takes one name at a time.
 */
export const SUPERVISOR_SCRIPT = `kubectl=$1 kubeconfig=$2 childpid=$3 crds=$4
shift 4
fifo="$childpid.fifo"
rm -f "$fifo" && mkfifo "$fifo" || exit 1
# Returns once CRD $1 exists: the first line of a watch (the object itself, or its creation later).
appears() {
  "$kubectl" --kubeconfig "$kubeconfig" get crd --watch --field-selector "metadata.name=$1" -o name >"$fifo" &
  watch=$!
  read -r line <"$fifo"
  found=$?
  kill $watch 2>/dev/null
  wait $watch 2>/dev/null
  return $found
}
served() {
  for crd in $crds; do
    appears "$crd" || return 1
  done
  "$kubectl" --kubeconfig "$kubeconfig" wait --for=condition=Established --timeout=60s $(for crd in $crds; do echo "crd/$crd"; done) >/dev/null
}
first=\${crds%% *}
while :; do
  if served; then
    echo "supervisor: every CRD of the operator is established: starting it"
    "$@" &
    operator=$!
    echo $operator >"$childpid"
    # A destroy removes the CRDs: the operator would only log failed watches until they return.
    (trap 'kill $waiter 2>/dev/null; exit 0' TERM
    while kill -0 $operator 2>/dev/null; do
      "$kubectl" --kubeconfig "$kubeconfig" wait --for=delete --timeout=1h "crd/$first" >/dev/null 2>&1 &
      waiter=$!
      if wait $waiter; then
        echo "supervisor: $first was deleted: stopping the operator until its CRDs are served again"
        kill $operator
        break
      fi
      sleep 5
    done) &
    watcher=$!
    wait $operator
    echo "supervisor: the operator exited (status $?)"
    kill $watcher 2>/dev/null
    rm -f "$childpid"
  fi
  sleep 5
done
`;

export interface OperatorFacts {
  state: OperatorState;
  /** The supervisor: leader of the process group that stopping kills. */
  supervisorPid: number | null;
  operatorPid: number | null;
  log: string;
}

export function inspectOperator(clusterDir: string): OperatorFacts {
  const supervisor = readPidFile(operatorPidFile(clusterDir));
  const operator = readPidFile(operatorChildPidFile(clusterDir));
  const supervisorPid = isOurDaemon(supervisor, clusterDir) ? supervisor : null;
  const operatorPid = supervisorPid !== null && isOurDaemon(operator, clusterDir) ? operator : null;
  const state: OperatorState = operatorPid !== null ? 'running' : supervisorPid !== null ? 'waiting' : 'stopped';
  return { state, supervisorPid, operatorPid, log: operatorLogFile(clusterDir) };
}

/** The operator's flags: the region's API server with the cluster's admin certificate, nothing in-cluster. */
export function operatorArgs(clusterDir: string, apiserverPort: number): string[] {
  const pki = join(clusterDir, 'pki');
  return [
    `--apiserver=https://127.0.0.1:${apiserverPort}`,
    `--ca-file=${join(pki, 'ca.crt')}`,
    `--cert-file=${join(pki, 'admin.crt')}`,
    `--key-file=${join(pki, 'admin.key')}`,
    // Metrics and health on a port the kernel picks (nothing scrapes them here); no TLS, no webhooks.
    '--web.listen-address=127.0.0.1:0',
    // No --kubelet-service: kwok's nodes have no kubelet endpoints to publish.
  ];
}

/** The name of every CRD in the operator's bundle: what it must find served before it starts. */
export function operatorCrds(): string[] {
  return loadCrdBundle('prometheus-operator').map((crd) => crd.metadata.name);
}

/** Start the supervisor (and through it the operator) unless it already runs. */
export async function startOperator(clusterDir: string, apiserverPort: number): Promise<OperatorFacts> {
  const before = inspectOperator(clusterDir);
  if (before.supervisorPid !== null) return before;
  const operator = resolveTool('prometheus-operator');
  const kubectl = resolveTool('kubectl');
  const kubeconfig = join(clusterDir, 'kubeconfig.yaml');
  if (!existsSync(kubeconfig))
    throw new ExternalError(`cannot start the Prometheus operator: ${kubeconfig} is missing`, 'Run `platform local down --purge` then `platform local up`.');
  rmSync(operatorChildPidFile(clusterDir), { force: true });
  mkdirSync(join(clusterDir, 'logs'), { recursive: true });
  mkdirSync(join(clusterDir, 'pids'), { recursive: true });
  const log = openSync(operatorLogFile(clusterDir), 'a');
  try {
    const child = spawn(
      '/bin/sh',
      [
        '-c',
        SUPERVISOR_SCRIPT,
        `${OPERATOR_COMPONENT}-supervisor`,
        kubectl,
        kubeconfig,
        operatorChildPidFile(clusterDir),
        operatorCrds().join(' '),
        operator,
        ...operatorArgs(clusterDir, apiserverPort),
      ],
      // The script's own tools (mkfifo, rm, sleep) wherever PATH points.
      { detached: true, stdio: ['ignore', log, log], env: { ...process.env, PATH: [process.env.PATH, '/usr/bin', '/bin'].filter(Boolean).join(':') } },
    );
    child.unref();
    if (!child.pid) throw new ExternalError(`cannot start the Prometheus operator's supervisor (/bin/sh)`);
    writeFileSync(operatorPidFile(clusterDir), String(child.pid));
  } finally {
    closeSync(log);
  }
  // A supervisor that dies at once (a broken kubectl, an unreadable kubeconfig) is an error of `up`.
  await wait(300);
  const after = inspectOperator(clusterDir);
  if (after.supervisorPid === null)
    throw new ExternalError(
      `the Prometheus operator's supervisor exited at start:\n${tail(operatorLogFile(clusterDir))}`,
      `Its log is ${operatorLogFile(clusterDir)}.`,
    );
  return after;
}

function tail(file: string, n = 15): string {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .slice(-n)
      .map((l) => `  ${l}`)
      .join('\n');
  } catch {
    return '';
  }
}

/** Processes of a process group (Linux: /proc; elsewhere only whether the leader lives). */
function groupMembers(pgid: number): number[] {
  if (process.platform !== 'linux') return isProcessAlive(pgid) ? [pgid] : [];
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // fields[0] is the state, fields[2] the process group; zombies are gone.
      if (fields[0] !== 'Z' && Number(fields[2]) === pgid) out.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** Stop the supervisor's process group (the operator finishes its work on SIGTERM) and wait until it is gone. */
export async function stopOperator(clusterDir: string, timeoutMs = 10_000): Promise<void> {
  const { supervisorPid } = inspectOperator(clusterDir);
  if (supervisorPid !== null) {
    const signal = (sig: NodeJS.Signals): void => {
      try {
        process.kill(-supervisorPid, sig);
      } catch {
        // the group is gone
      }
    };
    signal('SIGTERM');
    const deadline = Date.now() + timeoutMs;
    while (groupMembers(supervisorPid).length && Date.now() < deadline) await wait(50);
    if (groupMembers(supervisorPid).length) {
      signal('SIGKILL');
      for (const killedBy = Date.now() + 5_000; groupMembers(supervisorPid).length && Date.now() < killedBy;) await wait(50);
    }
  }
  rmSync(operatorPidFile(clusterDir), { force: true });
  rmSync(operatorChildPidFile(clusterDir), { force: true });
  rmSync(`${operatorChildPidFile(clusterDir)}.fifo`, { force: true });
}
