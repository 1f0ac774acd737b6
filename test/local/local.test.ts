import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { kwokctlConfigYaml, kwokLogMessage } from '../../src/local/cluster.js';
import { localStatus, localUp } from '../../src/local/index.js';
import { ExternalError } from '../../src/errors.js';
import { forgetResolvedTools } from '../../src/toolchain/discover.js';
import { kubeconfigYaml } from '../../src/local/kubeconfig.js';
import { clusterName, kwokWorkdir, localRegions } from '../../src/local/names.js';
import { allocatePorts, isPortFree, reservePort } from '../../src/local/ports.js';

const CONFIG = parseConfig(
  [
    'apiVersion: platform.dev/v1',
    'name: acme',
    'regions:',
    '  - { name: eu, cloud: local, location: local-eu, role: primary }',
    '  - { name: us, cloud: local, location: local-us, role: dr }',
    '  - { name: aws1, cloud: aws, location: us-east-2, role: dr, cluster: { kubeconfig: /k, context: c } }',
    'dr: { rpoMinutes: 60, rtoMinutes: 30, backupSchedule: "*/30 * * * *", failover: dns }',
  ].join('\n'),
  'platform.yaml',
);

describe('local plane names', () => {
  it('serves only cloud: local regions without a cluster of their own', () => {
    expect(localRegions(CONFIG).map((r) => r.name)).toEqual(['eu', 'us']);
  });

  it('names clusters per project dir, so equal region names never collide', () => {
    const a = clusterName('acme', 'eu', '/tmp/project-a');
    expect(a).toMatch(/^acme-eu-[0-9a-f]{6}$/);
    expect(clusterName('acme', 'eu', '/tmp/project-a/')).toBe(a); // same dir, same name
    expect(clusterName('acme', 'eu', '/tmp/project-b')).not.toBe(a);
    expect(clusterName('acme', 'us', '/tmp/project-a')).not.toBe(a);
    expect(kwokWorkdir('/tmp/project-a')).toBe('/tmp/project-a/.platform/local/kwok');
  });

  it('keeps long names within a DNS label', () => {
    const name = clusterName('a'.repeat(63), 'b'.repeat(63), '/p');
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });
});

describe('ports', () => {
  it('reserves a port machine-wide for a while, then lets it go', () => {
    const port = 1_000_000 + process.pid; // a name only: never bound
    const file = join(tmpdir(), 'platform-local-ports', String(port));
    rmSync(file, { force: true });
    try {
      expect(reservePort(port)).toBe(true);
      expect(reservePort(port)).toBe(false); // another project asking now
      const old = new Date(Date.now() - 10 * 60_000);
      utimesSync(file, old, old);
      expect(reservePort(port)).toBe(true); // expired
    } finally {
      rmSync(file, { force: true });
    }
  });

  it('hands out distinct free ports outside kwokctl and kernel ranges', async () => {
    const ports = await allocatePorts(12);
    expect(new Set(ports).size).toBe(12);
    for (const p of ports) {
      expect(p).toBeGreaterThanOrEqual(20_000);
      expect(p).toBeLessThan(30_000);
      expect(await isPortFree(p)).toBe(true);
    }
  });
});

describe('kwokctl config', () => {
  it('binds to loopback and names every binary by path (no download fallbacks)', () => {
    const binaries = {
      etcd: '/b/etcd',
      kubeApiserver: '/b/kas',
      kubeControllerManager: '/b/kcm',
      kubeScheduler: '/b/ks',
      kwokController: '/b/kwok',
      kubectl: '/b/kubectl',
    };
    const ports = { etcdPeer: 1, etcd: 2, kubeApiserver: 3, kwokController: 4, kubeControllerManager: 5, kubeScheduler: 6 };
    const doc = parse(kwokctlConfigYaml(binaries, ports)) as { kind: string; options: Record<string, unknown> };
    expect(doc.kind).toBe('KwokctlConfiguration');
    expect(doc.options).toMatchObject({ runtime: 'binary', bindAddress: '127.0.0.1', kubeApiserverPort: 3, etcdPeerPort: 1, kubectlBinary: '/b/kubectl' });
    const binaryValues = Object.entries(doc.options)
      .filter(([k]) => k.endsWith('Binary'))
      .map(([, v]) => String(v));
    expect(binaryValues).toHaveLength(6);
    for (const v of binaryValues) expect(v.startsWith('/b/')).toBe(true);
  });

  it('turns kwokctl JSON log lines into their message', () => {
    expect(kwokLogMessage('{"time":"t","level":"INFO","msg":"Cluster is ready","cluster":"x"}')).toBe('Cluster is ready');
    expect(kwokLogMessage('{"level":"ERROR","msg":"Failed to start","err":"port in use"}')).toBe('Failed to start: port in use');
    expect(kwokLogMessage('plain text')).toBe('plain text');
    expect(kwokLogMessage('  ')).toBeNull();
  });
});

describe('local kubeconfig', () => {
  const entry = (region: string, port: number) => ({
    region,
    server: `https://127.0.0.1:${port}`,
    caPem: `CA ${region}`,
    clientCertPem: `CERT ${region}`,
    clientKeyPem: `KEY ${region}`,
  });

  it('has one context per region, named after it, and loads in client-node', () => {
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfigYaml([entry('eu', 1001), entry('us', 1002)], 'us'));
    expect(kc.getContexts().map((c) => c.name)).toEqual(['eu', 'us']);
    expect(kc.getCurrentContext()).toBe('us');
    kc.setCurrentContext('eu');
    expect(kc.getCurrentCluster()?.server).toBe('https://127.0.0.1:1001');
    expect(Buffer.from(kc.getCurrentUser()?.keyData ?? '', 'base64').toString()).toBe('KEY eu');
  });

  it('falls back to the first region when the wanted current context is absent', () => {
    const doc = parse(kubeconfigYaml([entry('eu', 1)], 'us')) as Record<string, unknown>;
    expect(doc['current-context']).toBe('eu');
  });
});

describe('localStatus', () => {
  let dir: string | undefined;
  const saved = { PATH: process.env.PATH, PLATFORM_TOOLCHAIN_DIR: process.env.PLATFORM_TOOLCHAIN_DIR };
  afterEach(() => {
    process.env.PATH = saved.PATH;
    if (saved.PLATFORM_TOOLCHAIN_DIR === undefined) delete process.env.PLATFORM_TOOLCHAIN_DIR;
    else process.env.PLATFORM_TOOLCHAIN_DIR = saved.PLATFORM_TOOLCHAIN_DIR;
    forgetResolvedTools();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('up without the toolchain says to install it, and starts nothing', async () => {
    dir = mkdtempSync(join(tmpdir(), 'platform-local-'));
    process.env.PLATFORM_TOOLCHAIN_DIR = join(dir, 'empty-cache');
    process.env.PATH = join(dir, 'no-bin');
    forgetResolvedTools();
    const error = await localUp(CONFIG, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExternalError);
    expect((error as ExternalError).hint).toContain('platform toolchain install');
    expect((await localStatus(CONFIG, dir)).regions.every((r) => r.state === 'absent')).toBe(true);
  });

  it('reports absent regions in the documented JSON shape without running anything', async () => {
    dir = mkdtempSync(join(tmpdir(), 'platform-local-'));
    const status = await localStatus(CONFIG, dir);
    expect(status.kubeconfig).toBe(join(dir, '.platform/local/kubeconfig'));
    expect(status.regions).toEqual([
      { name: 'eu', state: 'absent', server: null, context: 'eu', cluster: clusterName('acme', 'eu', dir) },
      { name: 'us', state: 'absent', server: null, context: 'us', cluster: clusterName('acme', 'us', dir) },
    ]);
  });
});
