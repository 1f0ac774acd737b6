/**
 * Many stacks at once, for real: the API server rejects one tenant's objects (a ValidatingAdmissionPolicy
 * denies them), so that tenant stack fails, its app stack is skipped with the reason, the other tenant's
 * stacks still apply, and the run exits 1 with every stack's own status in the JSON.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { kubeAccess } from '../../src/kube/access.js';
import { KubeClient } from '../../src/kube/client.js';
import { localDown, localUp } from '../../src/local/index.js';
import { freezeQuotas } from '../helpers/admission.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'platform-dagfail-'));
const file = join(dir, 'platform.yaml');
writeFileSync(
  file,
  `apiVersion: platform.dev/v1
name: dagfail
regions:
  - { name: eu, cloud: local, location: local-eu, role: primary }
tenants:
  - { name: alpha, plan: starter, owners: [a@example.com] }
  - { name: beta, plan: starter, owners: [b@example.com] }
services:
  - { name: web, tenant: alpha, image: ghcr.io/acme/web:1, port: 8080, replicas: 1 }
  - { name: api, tenant: beta, image: ghcr.io/acme/api:1, port: 8080, replicas: 1 }
`,
);
const { config } = loadConfig(file);

describe('a failed stack in a parallel DAG run (real engine, real API server)', () => {
  beforeAll(async () => {
    await localUp(config, dir);
    const kube = await KubeClient.connect(kubeAccess(config, config.regions[0], dir));
    try {
      // The cluster's policy: no ResourceQuota may be created in namespace beta.
      await freezeQuotas(kube, { name: 'frozen-quota', namespace: 'beta', message: 'quotas in beta are frozen by the cluster admins' });
    } finally {
      kube.close();
    }
  });

  afterAll(async () => {
    await localDown(config, dir, { purge: true }).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails tenant/eu/beta, skips its app, applies everything else, exits 1', async () => {
    const r = await runCli(['apply', '--all', '--yes', '--json', '--parallel', '2', '-c', file]);
    expect(r.exitCode, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ version: 1, operation: 'apply' });
    const status = Object.fromEntries(doc.stacks.map((s: { id: string; status: string }) => [s.id, s.status]));
    expect(status).toEqual({ 'cluster/eu': 'ok', 'tenant/eu/alpha': 'ok', 'app/eu/alpha/web': 'ok', 'tenant/eu/beta': 'failed', 'app/eu/beta/api': 'skipped' });
    const beta = doc.stacks.find((s: { id: string }) => s.id === 'tenant/eu/beta');
    expect(beta.error).toMatchObject({ kind: 'external', message: expect.stringMatching(/frozen by the cluster admins/) });
    expect(doc.stacks.find((s: { id: string }) => s.id === 'app/eu/beta/api').reason).toBe('dependency tenant/eu/beta failed');
    const kube = await KubeClient.connect(kubeAccess(config, config.regions[0], dir));
    try {
      await kube.waitForDeploymentAvailable('alpha', 'web', { timeoutMs: 60_000 });
      expect(await kube.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', namespace: 'beta' })).toBeUndefined();
    } finally {
      kube.close();
    }
  });

  it('plan and destroy through the CLI: one JSON document in the fixed shape, exit codes per docs/config.md', async () => {
    const counts = ['create', 'delete', 'replace', 'same', 'update'];
    const stacks = ['--stack', 'tenant/eu/alpha', '--stack', 'app/eu/alpha/web'];
    const plan = await runCli(['plan', ...stacks, '--json', '--detailed-exitcode', '-c', file]);
    expect(plan.exitCode, plan.stderr).toBe(0); // applied above: nothing would change
    const planned = JSON.parse(plan.stdout);
    expect(Object.keys(planned).sort()).toEqual(['cost', 'operation', 'policy', 'stacks', 'version']);
    expect(planned.operation).toBe('plan');
    // The fixture is not a Git repository, so there is no base to price against; the plan says why and still passes.
    expect(planned.cost).toEqual({ unavailable: expect.any(String) });
    // The policy gate ran first: the two images are pinned by tag, not digest (advisory), nothing mandatory.
    expect(planned.policy.waived).toEqual([]);
    expect(planned.policy.violations.map((v: { policy: string; level: string }) => `${v.level} ${v.policy}`)).toEqual(['advisory image_digest']);
    for (const s of planned.stacks) {
      expect(s).toMatchObject({ engine: 'pulumi', status: 'ok' });
      expect(Object.keys(s.changes).sort()).toEqual(counts);
      expect(s.changes.same).toBeGreaterThan(0);
      expect(Array.isArray(s.resources)).toBe(true);
    }
    const destroy = await runCli(['destroy', '--stack', 'app/eu/alpha/web', '--yes', '--confirm', 'app/eu/alpha/web', '--json', '-c', file]);
    expect(destroy.exitCode, destroy.stderr).toBe(0);
    const destroyed = JSON.parse(destroy.stdout);
    expect(destroyed).toMatchObject({ version: 1, operation: 'destroy', stacks: [{ id: 'app/eu/alpha/web', status: 'ok' }] });
    expect(destroyed.stacks[0].changes.delete).toBeGreaterThan(0);
    for (const r of destroyed.stacks[0].resources) expect(Object.keys(r).sort()).toEqual(['diff', 'name', 'op', 'type']);
    const replan = await runCli(['plan', '--stack', 'app/eu/alpha/web', '--json', '--detailed-exitcode', '-c', file]);
    expect(replan.exitCode).toBe(3); // destroyed: it would be created again
    expect(JSON.parse(replan.stdout).stacks[0]).toMatchObject({ status: 'changes', changes: { create: expect.any(Number) } });
  });
});
