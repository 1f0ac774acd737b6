/**
 * A real failover drill on two local regions: unmanaged data objects in the primary's tenant namespace
 * survive the primary's control plane going away, the report has both measured times, and --revert
 * brings the original roles back.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { drill, drillStateFile, revertDrill } from '../../src/dr/drill.js';
import { kubeAccess } from '../../src/kube/access.js';
import { KubeClient } from '../../src/kube/client.js';
import { localDown, localUp } from '../../src/local/index.js';

const dir = mkdtempSync(join(tmpdir(), 'platform-drill-'));
writeFileSync(
  join(dir, 'platform.yaml'),
  `apiVersion: platform.dev/v1
name: drill
regions:
  - { name: eu, cloud: local, location: local-eu, role: primary }
  - { name: us, cloud: local, location: local-us, role: dr }
tenants:
  - { name: payments, plan: starter, owners: [ana@example.com] }
dr: { rpoMinutes: 60, rtoMinutes: 30, backupSchedule: "*/30 * * * *" }
`,
);
const { config } = loadConfig(join(dir, 'platform.yaml'));
const region = (name: string) => config.regions.find((r) => r.name === name)!;
const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ledger-seed', namespace: 'payments' }, data: { rows: '42' } };
const secret = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'ledger-key', namespace: 'payments' },
  type: 'Opaque',
  data: { key: Buffer.from('s3cr3t').toString('base64') },
};
const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'ledger', namespace: 'payments' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'ledger' } },
    template: { metadata: { labels: { app: 'ledger' } }, spec: { containers: [{ name: 'app', image: 'registry.example/ledger:1' }] } },
  },
};

describe('dr drill on local regions', () => {
  let eu: KubeClient;
  let us: KubeClient;

  beforeAll(async () => {
    await localUp(config, dir);
    eu = await KubeClient.connect(kubeAccess({ name: 'x' }, region('eu'), dir));
    us = await KubeClient.connect(kubeAccess({ name: 'x' }, region('us'), dir));
    // The tenant namespace exists in both regions (the tenant stacks' job); the data only in the primary.
    for (const c of [eu, us]) await c.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'payments' } });
    for (const o of [cm, secret, deployment]) await eu.apply(o, { fieldManager: 'someone-else' });
    await eu.waitForDeploymentAvailable('payments', 'ledger', { timeoutMs: 60_000 });
  });

  afterAll(async () => {
    // Unset when beforeAll failed before connecting.
    (eu as KubeClient | undefined)?.close();
    (us as KubeClient | undefined)?.close();
    await localDown(config, dir, { purge: true }).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails over with every object, reports RTO and RPO, and reverts', async () => {
    const report = await drill(config, dir, 'eu', 'us');
    expect(report).toMatchObject({ version: 1, from: 'eu', to: 'us', rtoMinutes: 30, rpoMinutes: 60, rtoMet: true, rpoMet: true });
    expect(report.timeToRecoverySeconds).toBeGreaterThan(0);
    expect(report.backupAgeSeconds).toBeGreaterThanOrEqual(0);
    expect(report.restored.created).toBeGreaterThanOrEqual(3);
    expect(existsSync(join(report.backup.dir, 'resources', 'configmaps', 'namespaces', 'payments', 'ledger-seed.json'))).toBe(true);
    expect(existsSync(join(report.backup.dir, 'resources', 'deployments.apps', 'namespaces', 'payments', 'ledger.json'))).toBe(true);

    // The DR region serves every object of the primary, data included; the primary is down.
    expect((await us.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'ledger-seed', namespace: 'payments' }))?.data).toEqual({ rows: '42' });
    expect((await us.get({ apiVersion: 'v1', kind: 'Secret', name: 'ledger-key', namespace: 'payments' }))?.data).toEqual(secret.data);
    const live = await us.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'ledger', namespace: 'payments' });
    expect((live?.status as { availableReplicas?: number }).availableReplicas).toBe(1);
    await expect(eu.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'ledger-seed', namespace: 'payments' })).rejects.toThrow(/cannot reach the API server/);

    const reverted = await revertDrill(config, dir);
    expect(reverted).toMatchObject({ from: 'eu', to: 'us', removed: report.restored.created });
    expect(existsSync(drillStateFile(dir))).toBe(false);
    expect(await us.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'ledger-seed', namespace: 'payments' })).toBeUndefined();
    eu.close();
    eu = await KubeClient.connect(kubeAccess({ name: 'x' }, region('eu'), dir));
    expect((await eu.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'ledger-seed', namespace: 'payments' }))?.data).toEqual({ rows: '42' });
  });
});
