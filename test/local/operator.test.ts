/**
 * The local plane's Prometheus operator supervisor (src/local/operator.ts), with the real shell script and
 * fake `kubectl`/operator binaries in a temp toolchain: it waits for every CRD of the bundle, runs the
 * operator, stops it when the CRDs are deleted, and `stopOperator` ends the whole process group.
 * The real operator against a real API server is in test/engines/pulumi/example.int.test.ts.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as wait } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlatformConfig } from '../../src/config/schema.js';
import { inspectOperator, operatorArgs, operatorLogFile, operatorWanted, startOperator, stopOperator } from '../../src/local/operator.js';
import { cachedToolPath, crdBundleDir } from '../../src/toolchain/layout.js';
import { useTempToolchain } from '../helpers/fake-tools.js';

const CRDS = ['prometheuses.monitoring.coreos.com', 'alertmanagers.monitoring.coreos.com'];

function script(file: string, body: string): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, `#!/bin/sh\n${body}`);
  chmodSync(file, 0o755);
}

/** kubectl whose "cluster" is a folder: a CRD exists while a file of its name is in `<kubeconfig dir>/served`. */
const FAKE_KUBECTL = `served="$(dirname "$2")/served"
case "$3 $4" in
  "get crd")
    name=\${7#metadata.name=}
    until [ -e "$served/$name" ]; do sleep 0.1; done
    echo "customresourcedefinition.apiextensions.k8s.io/$name"
    while :; do sleep 1; done ;;
  "wait --for=condition=Established") exit 0 ;;
  "wait --for=delete")
    name=\${6#crd/}
    while [ -e "$served/$name" ]; do sleep 0.1; done ;;
  *) echo "fake kubectl: unexpected $*" >&2; exit 2 ;;
esac
`;

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await wait(50);
  }
}

describe('the local plane’s Prometheus operator', () => {
  const tmp = useTempToolchain();
  let clusterDir = '';
  afterEach(async () => {
    if (clusterDir) await stopOperator(clusterDir);
  });

  it('runs only when the config enables observability.prometheus', () => {
    expect(operatorWanted({ observability: { prometheus: { enabled: true, retention: '15d' } } } as PlatformConfig)).toBe(true);
    expect(operatorWanted({ observability: { grafana: { enabled: true } } } as PlatformConfig)).toBe(false);
    expect(operatorWanted({} as PlatformConfig)).toBe(false);
  });

  it('talks to the region’s API server with the cluster’s certificate; no kubelet service, metrics on a loopback port the kernel picks', () => {
    const args = operatorArgs('/p/cluster', 24123);
    expect(args).toEqual([
      '--apiserver=https://127.0.0.1:24123',
      '--ca-file=/p/cluster/pki/ca.crt',
      '--cert-file=/p/cluster/pki/admin.crt',
      '--key-file=/p/cluster/pki/admin.key',
      '--web.listen-address=127.0.0.1:0',
    ]);
    expect(args.some((a) => a.startsWith('--kubelet-service'))).toBe(false);
  });

  it('waits for every CRD, runs the operator, stops it when the CRDs go, and stops as one process group', async () => {
    clusterDir = join(tmp(), 'cluster');
    const served = join(clusterDir, 'served');
    mkdirSync(served, { recursive: true });
    writeFileSync(join(clusterDir, 'kubeconfig.yaml'), 'apiVersion: v1\nkind: Config\n');
    script(cachedToolPath('kubectl'), FAKE_KUBECTL);
    script(cachedToolPath('prometheus-operator'), 'echo "operator started: $*"\nwhile :; do sleep 0.2; done\n');
    mkdirSync(crdBundleDir('prometheus-operator'), { recursive: true });
    writeFileSync(
      join(crdBundleDir('prometheus-operator'), 'crds.yaml'),
      CRDS.map((name) => `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: ${name}\n`).join('---\n'),
    );

    expect((await startOperator(clusterDir, 24123)).state).toBe('waiting');
    writeFileSync(join(served, CRDS[0]), '');
    await wait(500);
    expect(inspectOperator(clusterDir).state).toBe('waiting'); // one CRD of two: the operator would start without the other's controller

    writeFileSync(join(served, CRDS[1]), '');
    await until('operator running', () => inspectOperator(clusterDir).state === 'running');
    const { supervisorPid, operatorPid } = inspectOperator(clusterDir);
    expect(readFileSync(`/proc/${operatorPid}/cmdline`, 'utf8').split('\0')).toContain('--apiserver=https://127.0.0.1:24123');
    expect((await startOperator(clusterDir, 24123)).supervisorPid).toBe(supervisorPid); // idempotent

    rmSync(join(served, CRDS[0])); // a destroy removed the CRDs
    await until('operator stopped, supervisor waiting', () => inspectOperator(clusterDir).state === 'waiting');
    expect(readFileSync(operatorLogFile(clusterDir), 'utf8')).toMatch(/operator started: --apiserver[\s\S]*was deleted: stopping the operator/);

    await stopOperator(clusterDir);
    expect(inspectOperator(clusterDir).state).toBe('stopped');
    const group = (): string[] =>
      readdirSync('/proc')
        .filter((pid) => /^\d+$/.test(pid))
        .filter((pid) => {
          try {
            const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
            const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
            return fields[0] !== 'Z' && Number(fields[2]) === supervisorPid;
          } catch {
            return false; // exited
          }
        });
    expect(group()).toEqual([]);
    expect(existsSync(join(clusterDir, 'pids', 'prometheus-operator.pid'))).toBe(false);
  }, 30_000);
});
