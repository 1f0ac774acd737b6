/**
 * The Terraform engine for real: CDKTF-synthesized JSON run by the real tofu against a real local
 * kwok cluster. One stack (namespace, ConfigMap, Deployment, Secret from secretEnv) goes through
 * plan → apply → re-plan → change → drift → lock contention → SIGINT → destroy.
 */
import { decryptTofuState } from '../../../src/engines/terraform/encryption.js';
import { ensurePassphrase } from '../../../src/engines/passphrase.js';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { stackWorkDir, TerraformEngine } from '../../../src/engines/terraform/engine.js';
import { runStacks } from '../../../src/orchestrate/run.js';
import { stackLocker } from '../../../src/state/lock.js';
import { openStateStore } from '../../../src/state/store.js';
import { TERRAFORM_FIELD_MANAGER } from '../../../src/engines/terraform/index.js';
import { terraformStateKey } from '../../../src/engines/terraform/state.js';
import { startHarness, type Harness } from './harness.js';
import { testStack } from './fixtures.js';
import type { DesiredObject, KubeObject } from '../../../src/objects/model.js';
import { widgetCrd } from '../../helpers/crd.js';

const SECRET_VARIABLE = 'TF_INT_DB_PASSWORD';
const SECRET_VALUE = `pw-${Math.random().toString(36).slice(2)}-do-not-print`;
const NS = 'tf-int';
const engine = new TerraformEngine();
let h: Harness;

const stackWith = (opts: { replicas?: number; configValue?: string; extra?: DesiredObject[] } = {}) =>
  testStack({ namespace: NS, project: 'tftest', secretVariable: SECRET_VARIABLE, ...opts });

beforeAll(async () => {
  vi.stubEnv(SECRET_VARIABLE, SECRET_VALUE);
  h = await startHarness({ name: 'tftest', engine: 'terraform', regions: [{ name: 'eu', cloud: 'local', location: 'local-eu', role: 'primary' }] });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await (h as typeof h | undefined)?.down(); // unset when the start failed
});

describe('TerraformEngine against the local plane', () => {
  test('plan of a new stack: every object would be created, nothing is applied', async () => {
    const result = await engine.run('plan', stackWith(), h.ctx());
    expect(result).toMatchObject({ id: `tenant/eu/${NS}`, engine: 'terraform', status: 'changes' });
    expect(result.error).toBeUndefined();
    expect(result.changes).toEqual({ create: 4, update: 0, replace: 0, delete: 0, same: 0 });
    expect(result.resources.map((r) => `${r.op} ${r.type} ${r.name}`).sort()).toEqual([
      `create apps/v1:Deployment ${NS}/web`,
      `create v1:ConfigMap ${NS}/settings`,
      `create v1:Namespace ${NS}`,
      `create v1:Secret ${NS}/db`,
    ]);
    expect(h.get('eu', 'namespace', NS)).toBeUndefined();
    const types = h.events.map((e) => e.type);
    expect(types[0]).toBe('started');
    expect(types.at(-1)).toBe('finished');
  });

  test('apply makes the objects live with server-side apply; the Deployment is Available; the secret comes from the environment', async () => {
    const result = await engine.run('apply', stackWith(), h.ctx());
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('ok');
    expect(result.changes.create).toBe(4);

    const deployment = h.get('eu', 'deployment', 'web', NS)!;
    expect(deployment.metadata.labels).toMatchObject({ 'platform.dev/project': 'tftest', 'platform.dev/stack': `tenant.eu.${NS}` });
    const status = deployment.status as { conditions?: Array<{ type: string; status: string }> };
    expect(status.conditions?.find((c) => c.type === 'Available')?.status).toBe('True');
    const withManagers = JSON.parse(h.kubectl('eu', ['get', 'deployment', 'web', '-n', NS, '-o', 'json', '--show-managed-fields'])) as KubeObject;
    const appliers = (withManagers.metadata.managedFields as Array<{ manager: string; operation: string }>).filter((f) => f.operation === 'Apply');
    expect(appliers.map((m) => m.manager)).toEqual([TERRAFORM_FIELD_MANAGER]);

    const config = h.get('eu', 'configmap', 'settings', NS)!;
    expect((config.data as Record<string, string>).TEMPLATE).toBe('literal ${not_a_var} and %{ not_a_directive }');
    const secret = h.get('eu', 'secret', 'db', NS)!;
    expect(Buffer.from((secret.data as Record<string, string>).DB_PASSWORD, 'base64').toString()).toBe(SECRET_VALUE);

    // Resource events reached 'done' for each created object.
    expect(h.events.filter((e) => e.type === 'resource' && e.phase === 'done').length).toBeGreaterThanOrEqual(4);
  });

  test('a plan right after apply shows no changes', async () => {
    const result = await engine.run('plan', stackWith(), h.ctx());
    expect(result.status).toBe('ok');
    expect(result.changes).toEqual({ create: 0, update: 0, replace: 0, delete: 0, same: 4 });
    expect(result.resources.every((r) => r.op === 'same' && r.diff.length === 0)).toBe(true);
  });

  test('changing replicas and a config value shows exactly those two fields, and apply makes them live', async () => {
    const changed = stackWith({ replicas: 3, configValue: 'debug' });
    const plan = await engine.run('plan', changed, h.ctx());
    expect(plan.status).toBe('changes');
    const updates = plan.resources.filter((r) => r.op !== 'same');
    expect(updates).toEqual([
      { op: 'update', type: 'v1:ConfigMap', name: `${NS}/settings`, diff: [{ path: '/data/LOG_LEVEL', old: 'info', new: 'debug' }] },
      { op: 'update', type: 'apps/v1:Deployment', name: `${NS}/web`, diff: [{ path: '/spec/replicas', old: 1, new: 3 }] },
    ]);
    const applied = await engine.run('apply', changed, h.ctx());
    expect(applied.status).toBe('ok');
    expect((h.get('eu', 'deployment', 'web', NS)!.spec as { replicas: number }).replicas).toBe(3);
    expect((await engine.run('plan', changed, h.ctx())).status).toBe('ok');
  });

  test('a change made in the cluster (kubectl scale) shows as an update; apply hits the SSA conflict, --force takes the field back', async () => {
    const stack = stackWith({ replicas: 3, configValue: 'debug' });
    h.kubectl('eu', ['scale', 'deployment/web', '-n', NS, '--replicas=5']);
    const before = h.events.length;
    const plan = await engine.run('plan', stack, h.ctx());
    expect(plan.status).toBe('changes');
    expect(plan.resources.filter((r) => r.op !== 'same').map((r) => `${r.op} ${r.name}`)).toEqual([`update ${NS}/web`]);
    expect(h.events.slice(before).some((e) => e.type === 'diagnostic' && /changed in the cluster/.test(e.message))).toBe(true);

    // `kubectl scale` now owns .spec.replicas: server-side apply refuses to take it without force.
    const refused = await engine.run('apply', stack, h.ctx());
    expect(refused.status).toBe('failed');
    expect(refused.error?.message).toMatch(
      /^tf-int\/web failed to run apply: conflict with "kubectl" with subresource "scale".*\.spec\.replicas; another field manager owns these fields$/,
    );
    expect(refused.error).toMatchObject({ kind: 'external', hint: 'Re-run with --force to take them over.' });
    expect((h.get('eu', 'deployment', 'web', NS)!.spec as { replicas: number }).replicas).toBe(5);

    expect((await engine.run('apply', stack, h.ctx({ force: true }))).status).toBe('ok');
    expect((h.get('eu', 'deployment', 'web', NS)!.spec as { replicas: number }).replicas).toBe(3);
    // Back without --force: nothing to report (only our force_conflicts bookkeeping moves), apply is clean.
    const after = await engine.run('plan', stack, h.ctx());
    expect(after.resources.every((r) => r.op === 'same')).toBe(true);
    expect((await engine.run('apply', stack, h.ctx())).status).toBe('ok');
  });

  test('two concurrent applies on one stack (the runner holds the stack lock): one wins, the other fails at once naming the holder; state stays valid', async () => {
    const stack = stackWith({ replicas: 2, configValue: 'warn' });
    const started = Date.now();
    const lock = stackLocker(await openStateStore(h.ctx().state));
    const run = async () =>
      (await runStacks({ operation: 'apply', stacks: [stack], engine, context: h.ctx(), parallel: 1, onEvent: () => {}, lock })).stacks[0];
    const [a, b] = await Promise.all([run(), run()]);
    const winner = a.status === 'ok' ? a : b;
    const loser = a.status === 'ok' ? b : a;
    expect(winner.status).toBe('ok');
    expect(loser.status).toBe('failed');
    expect(loser.error?.message).toMatch(new RegExp(`^stack tenant/eu/${NS} is locked: apply by \\S+@\\S+ \\(pid ${process.pid}, since `));
    expect(loser.error?.hint).toContain(`platform state unlock tenant/eu/${NS} --yes`);
    expect(Date.now() - started).toBeLessThan(120_000);
    const replan = await engine.run('plan', stack, h.ctx());
    expect(replan.status).toBe('ok');
  });

  test('SIGINT during apply: tofu stops cleanly, keeps its state, and the next apply converges with nothing duplicated', async () => {
    const many: DesiredObject[] = Array.from({ length: 40 }, (_, i) => ({
      manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `bulk-${i}`, namespace: NS }, data: { i: String(i) } },
    }));
    const stack = stackWith({ replicas: 2, configValue: 'warn', extra: many });
    const controller = new AbortController();
    const result = await engine.run(
      'apply',
      stack,
      h.ctx({
        signal: controller.signal,
        onEvent: (e) => {
          h.events.push(e);
          if (e.type === 'resource' && e.phase === 'done') controller.abort();
        },
      }),
    );
    expect(result.status).toBe('failed');
    expect(result.error?.message).toMatch(/cancelled/);
    const liveAfterCancel = h
      .kubectl('eu', ['get', 'configmaps', '-n', NS, '-o', 'name'])
      .split('\n')
      .filter((l) => l.includes('bulk-')).length;
    expect(liveAfterCancel).toBeLessThan(40);
    // No plan file with secrets is left behind.
    const workDir = stackWorkDir(h.projectDir, stack.id);
    expect(readdirSync(workDir).filter((f) => f.endsWith('.tfplan'))).toEqual([]);

    const converged = await engine.run('apply', stack, h.ctx());
    expect(converged.error).toBeUndefined();
    expect(converged.status).toBe('ok');
    // Objects whose apply was cut short can be live but not in state: server-side apply adopts them
    // (same identity), so every bulk object is either created now or already unchanged — never twice.
    const bulkResults = converged.resources.filter((r) => r.name.startsWith(`${NS}/bulk-`));
    expect(bulkResults).toHaveLength(40);
    // (replace: tofu marks a create it interrupted as tainted, and recreates it)
    expect(bulkResults.filter((r) => !['create', 'same', 'replace'].includes(r.op)).map((r) => `${r.op} ${r.name}`)).toEqual([]);
    expect(converged.changes.create + converged.changes.replace).toBeGreaterThanOrEqual(40 - liveAfterCancel);
    const bulk = h
      .kubectl('eu', ['get', 'configmaps', '-n', NS, '-o', 'name'])
      .split('\n')
      .filter((l) => l.includes('bulk-'));
    expect(bulk).toHaveLength(40);
    expect((await engine.run('plan', stack, h.ctx())).status).toBe('ok');
  });

  test('the secret value is in no event, no result and no synthesized file', async () => {
    const everything = JSON.stringify(h.events);
    expect(everything).not.toContain(SECRET_VALUE);
    expect(everything).not.toContain(Buffer.from(SECRET_VALUE).toString('base64'));
    const mainFile = join(stackWorkDir(h.projectDir, `tenant/eu/${NS}`), 'main.tf.json');
    expect(readFileSync(mainFile, 'utf8')).not.toContain(SECRET_VALUE);
    // The state holds the value (inside yaml_body), so it is encrypted with the project passphrase.
    const state = readFileSync(join(h.ctx().state.dir!, terraformStateKey(h.ctx().state, `tenant/eu/${NS}`)), 'utf8');
    expect(state).not.toContain(SECRET_VALUE);
    expect(state).not.toContain(Buffer.from(SECRET_VALUE).toString('base64'));
    expect(JSON.parse(state).encryption_version).toBe('v0');
    const decrypted = await decryptTofuState(state, ensurePassphrase(h.projectDir).passphrase);
    expect(JSON.parse(decrypted).resources.some((r: { type: string }) => r.type === 'kubectl_manifest')).toBe(true);
  });

  test('a CRD and its custom resource in one run: when the new kind is not served yet, the engine waits for it and applies again', async () => {
    // The provider's own retries off (they would only add ~14 s here).
    vi.stubEnv('KUBECTL_PROVIDER_APPLY_RETRY_COUNT', '0');
    const group = 'widgets.tftest.dev';
    // Discovery lagging behind a new CRD, made deterministic: another CRD of the group holds the singular
    // name `widget`, so the stack's CRD is not Established (NamesAccepted False) until that one is deleted.
    const blocker = join(h.projectDir, 'gadgets-crd.json');
    writeFileSync(blocker, JSON.stringify(widgetCrd(group, { plural: 'gadgets', singular: 'widget', kind: 'Gadget', listKind: 'GadgetList' })));
    h.kubectl('eu', ['apply', '-f', blocker]);
    const widget: DesiredObject = { manifest: { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'w', namespace: 'tf-crd' }, spec: { size: 3 } } };
    const stack = testStack({ namespace: 'tf-crd', project: 'tftest', extra: [{ manifest: widgetCrd(group) }, widget] });
    const eventsBefore = h.events.length;
    const diagnostics = (): string[] =>
      h.events
        .slice(eventsBefore)
        .filter((e) => e.type === 'diagnostic')
        .map((e) => `${e.severity} ${e.message}`);
    const waiting = 'info waiting for the API server to serve Widget (new CRDs), then applying again';
    try {
      let settled = false as boolean; // set in a callback, which narrowing does not see
      const applying = engine.run('apply', stack, h.ctx()).finally(() => (settled = true));
      for (const deadline = Date.now() + 120_000; !diagnostics().includes(waiting);) {
        if (settled || Date.now() > deadline) throw new Error(`the engine did not wait for Widget: ${JSON.stringify(diagnostics())}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      h.kubectl('eu', ['delete', 'crd', `gadgets.${group}`]);
      const result = await applying;
      expect(result.error).toBeUndefined();
      expect(result.status).toBe('ok');
      // The lookup that lost the race is waited for, not reported as an error.
      expect(diagnostics().filter((d) => d.startsWith('error'))).toEqual([]);
      expect((h.get('eu', 'widget', 'w', 'tf-crd')?.spec as { size?: number }).size).toBe(3);
      expect((await engine.run('plan', stack, h.ctx())).status).toBe('ok');
    } finally {
      vi.unstubAllEnvs();
      vi.stubEnv(SECRET_VARIABLE, SECRET_VALUE);
      h.kubectl('eu', ['delete', 'crd', `gadgets.${group}`, '--ignore-not-found']);
      await engine.run('destroy', stack, h.ctx());
    }
    expect(h.get('eu', 'namespace', 'tf-crd')).toBeUndefined();
    expect(h.get('eu', 'crd', `widgets.${group}`)).toBeUndefined();
  });

  test('a custom resource of a kind no CRD of its stack serves fails at once, naming the kind', async () => {
    const typo: DesiredObject = { manifest: { apiVersion: 'nothing.tftest.dev/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'tf-typo' } } };
    const stack = testStack({ namespace: 'tf-typo', project: 'tftest', extra: [typo] });
    const eventsBefore = h.events.length;
    vi.stubEnv('KUBECTL_PROVIDER_APPLY_RETRY_COUNT', '0');
    try {
      const result = await engine.run('apply', stack, h.ctx());
      expect(result.status).toBe('failed');
      expect(result.error?.message).toContain("resource [nothing.tftest.dev/v1/Widget] isn't valid for cluster");
      expect(h.events.slice(eventsBefore).some((e) => e.type === 'diagnostic' && e.message.startsWith('waiting for the API server'))).toBe(false);
    } finally {
      vi.unstubAllEnvs();
      vi.stubEnv(SECRET_VARIABLE, SECRET_VALUE);
      await engine.run('destroy', stack, h.ctx());
    }
  });

  test('destroy removes everything; nothing with our labels is left', async () => {
    const many: DesiredObject[] = Array.from({ length: 40 }, (_, i) => ({
      manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `bulk-${i}`, namespace: NS }, data: { i: String(i) } },
    }));
    const stack = stackWith({ replicas: 2, configValue: 'warn', extra: many });
    const eventsBefore = h.events.length;
    const result = await engine.run('destroy', stack, h.ctx());
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('ok');
    expect(result.changes.delete).toBe(44);
    // Gone when destroy returns (NotFound, not Terminating): the engine waited for it, not the provider's 10 s poll.
    expect(h.get('eu', 'namespace', NS)).toBeUndefined();
    expect(
      h.events
        .slice(eventsBefore)
        .filter((e) => e.type === 'diagnostic')
        .map((e) => e.message),
    ).toContain(`waiting for namespace ${NS} to be deleted`);
    expect(h.labelled('eu', 'tftest')).toEqual([]);
    // Destroying again is a no-op.
    const again = await engine.run('destroy', stack, h.ctx());
    expect(again).toMatchObject({ status: 'ok', changes: { create: 0, update: 0, replace: 0, delete: 0, same: 0 } });
  });
});
