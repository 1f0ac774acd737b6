/**
 * The real local plane: kwokctl clusters from the toolchain cache (`npm test`'s pretest installs it),
 * driven through src/local and reached through @kubernetes/client-node with the kubeconfig it writes.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiException, AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ExternalError } from '../../src/errors.js';
import { localDown, localStatus, localUp } from '../../src/local/index.js';
import { forgetResolvedTools } from '../../src/toolchain/discover.js';

function project(name: string, regions: string[]): { dir: string; config: ReturnType<typeof loadConfig>['config'] } {
  const dir = mkdtempSync(join(tmpdir(), `platform-local-it-${name}-`));
  const lines = ['apiVersion: platform.dev/v1', `name: ${name}`, 'regions:'];
  regions.forEach((r, i) => lines.push(`  - { name: ${r}, cloud: local, location: local-${r}, role: ${i === 0 ? 'primary' : 'dr'} }`));
  if (regions.length > 1) lines.push('dr: { rpoMinutes: 60, rtoMinutes: 30, backupSchedule: "*/30 * * * *", failover: dns }');
  writeFileSync(join(dir, 'platform.yaml'), `${lines.join('\n')}\n`);
  return { dir, config: loadConfig(join(dir, 'platform.yaml')).config };
}

function client(kubeconfig: string, context: string): { apps: AppsV1Api; core: CoreV1Api } {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  kc.setCurrentContext(context);
  return { apps: kc.makeApiClient(AppsV1Api), core: kc.makeApiClient(CoreV1Api) };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const notFound = (e: unknown): boolean => e instanceof ApiException && e.code === 404;

const deployment = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, labels: { app: name } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }] } },
  },
});

describe('local control plane (real kwokctl clusters)', () => {
  const main = project('acme', ['eu', 'us']);
  const other = project('acme', ['eu']); // same project and region names, other dir: must not collide
  const kubeconfig = join(main.dir, '.platform/local/kubeconfig');
  const timings: Record<string, number> = {};

  beforeAll(() => {
    // Fail early with the real reason if the toolchain is not there (pretest installs it).
    expect(statSync(main.dir).isDirectory()).toBe(true);
  });

  afterAll(async () => {
    await localDown(main.config, main.dir, { purge: true }).catch(() => {});
    await localDown(other.config, other.dir, { purge: true }).catch(() => {});
    rmSync(main.dir, { recursive: true, force: true });
    rmSync(other.dir, { recursive: true, force: true });
    console.log('local plane timings (ms):', timings);
  });

  it('brings two regions up with a context each', async () => {
    const started = Date.now();
    const status = await localUp(main.config, main.dir);
    timings.coldUp = Date.now() - started;
    expect(status.regions.map((r) => [r.name, r.state, r.context])).toEqual([
      ['eu', 'running', 'eu'],
      ['us', 'running', 'us'],
    ]);
    expect(status.kubeconfig).toBe(kubeconfig);
    expect(statSync(kubeconfig).mode & 0o077).toBe(0); // holds a private key
    const servers = status.regions.map((r) => r.server);
    expect(new Set(servers).size).toBe(2);
  });

  it('runs a Deployment to Available in each region, then deletes it', async () => {
    for (const region of ['eu', 'us']) {
      const { apps, core } = client(kubeconfig, region);
      const nodes = await core.listNode();
      expect(nodes.items.length).toBe(2); // kwok nodes
      // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- client-node's models are classes only in its typings; its API serializes plain objects
      await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'survives-restart' }, data: { region } } });
      const started = Date.now();
      // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- client-node serializes plain objects (as above)
      await apps.createNamespacedDeployment({ namespace: 'default', body: deployment('web') });
      const available = await until(`web Available in ${region}`, async () => {
        const d = await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
        const ok = d.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True') && d.status.availableReplicas === 2;
        return ok ? d : undefined;
      });
      timings[`deploymentAvailable.${region}`] = Date.now() - started;
      expect(available.status?.readyReplicas).toBe(2);
      await apps.deleteNamespacedDeployment({ name: 'web', namespace: 'default' });
      await until(`web deleted in ${region}`, async () => {
        try {
          await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
          return undefined;
        } catch (e) {
          if (notFound(e)) return true;
          throw e;
        }
      });
    }
  });

  it('is idempotent and fast when already running', async () => {
    const before = await localStatus(main.config, main.dir);
    const started = Date.now();
    const events: string[] = [];
    const after = await localUp(main.config, main.dir, { onProgress: (e) => events.push(`${e.type}:${'action' in e ? e.action : ''}`) });
    timings.warmUp = Date.now() - started;
    expect(after).toEqual(before);
    expect(events).toEqual(['region-finished:none', 'region-finished:none']);
    expect(timings.warmUp).toBeLessThan(2_000); // no kwokctl call: starting even one cluster takes seconds
  });

  it("stops only this project's clusters", async () => {
    const otherUp = await localUp(other.config, other.dir);
    expect(otherUp.regions[0].state).toBe('running');
    expect(otherUp.regions[0].cluster).not.toBe((await localStatus(main.config, main.dir)).regions[0].cluster);
    expect(otherUp.regions[0].server).not.toBe((await localStatus(main.config, main.dir)).regions[0].server);

    const started = Date.now();
    const down = await localDown(main.config, main.dir);
    timings.down = Date.now() - started;
    expect(down.regions.map((r) => r.state)).toEqual(['stopped', 'stopped']);
    expect((await localStatus(other.config, other.dir)).regions[0].state).toBe('running');
    await localDown(other.config, other.dir, { purge: true });
    expect((await localStatus(other.config, other.dir)).regions[0].state).toBe('absent');
  });

  it('says which port is in use when a stopped cluster cannot get its port back', async () => {
    const eu = (await localStatus(main.config, main.dir)).regions[0];
    const port = Number(new URL(eu.server!).port);
    const squatter: Server = createServer();
    await new Promise<void>((r) => squatter.listen(port, '127.0.0.1', r));
    try {
      const error = await localUp(main.config, main.dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExternalError);
      expect((error as ExternalError).message).toContain(String(port));
      expect((error as ExternalError).hint).toContain('local down --purge');
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  });

  it('comes back up with the objects it had', async () => {
    const started = Date.now();
    const status = await localUp(main.config, main.dir);
    timings.restartUp = Date.now() - started;
    expect(status.regions.map((r) => r.state)).toEqual(['running', 'running']);
    for (const region of ['eu', 'us']) {
      const { apps, core } = client(kubeconfig, region);
      const cm = await core.readNamespacedConfigMap({ name: 'survives-restart', namespace: 'default' });
      expect(cm.data?.region).toBe(region);
      await expect(apps.readNamespacedDeployment({ name: 'web', namespace: 'default' })).rejects.toSatisfy(notFound);
      expect((await core.listNode()).items.length).toBe(2);
    }
  });

  it('purges one region without touching the other, then everything it made', async () => {
    const one = await localDown(main.config, main.dir, { purge: true, regions: ['us'] });
    expect(one.regions.map((r) => r.state)).toEqual(['running', 'absent']);
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    expect(kc.getContexts().map((c) => c.name)).toEqual(['eu']);
    expect((await client(kubeconfig, 'eu').core.listNode()).items.length).toBe(2);

    await localDown(main.config, main.dir, { purge: true });
    const status = await localStatus(main.config, main.dir);
    expect(status.regions.map((r) => r.state)).toEqual(['absent', 'absent']);
    expect(() => statSync(kubeconfig)).toThrow();
  });
});

describe('a component that exits early', () => {
  const broken = project('broken', ['eu']);
  const fakeBin = mkdtempSync(join(tmpdir(), 'platform-fake-apiserver-'));
  const savedPath = process.env.PATH;

  afterAll(async () => {
    process.env.PATH = savedPath;
    forgetResolvedTools();
    await localDown(broken.config, broken.dir, { purge: true }).catch(() => {});
    rmSync(broken.dir, { recursive: true, force: true });
    rmSync(fakeBin, { recursive: true, force: true });
  });

  it('fails fast with its last log lines, and leaves nothing behind', async () => {
    // Reports the pinned version (so it is taken from PATH), then dies like a misconfigured API server.
    writeFileSync(
      join(fakeBin, 'kube-apiserver'),
      '#!/bin/sh\n[ "$1" = --version ] && { echo "Kubernetes v1.34.2"; exit 0; }\necho "E1121 fake-apiserver: refusing to serve" >&2\nexit 1\n',
      { mode: 0o755 },
    );
    process.env.PATH = `${fakeBin}:${savedPath}`;
    forgetResolvedTools();
    const started = Date.now();
    const error = await localUp(broken.config, broken.dir).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(ExternalError);
    expect((error as ExternalError).message).toContain('kube-apiserver exited early');
    expect((error as ExternalError).message).toContain('E1121 fake-apiserver: refusing to serve');
    expect(elapsed).toBeLessThan(30_000); // not kwokctl's minute-long wait
    expect((await localStatus(broken.config, broken.dir)).regions[0].state).toBe('absent');
  });
});
