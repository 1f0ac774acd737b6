/**
 * The Pulumi engine against a real local control plane with the real pulumi CLI: plan → apply →
 * re-plan clean → per-field update diffs → immutable change replaces → secrets never in clear → destroy.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LocalWorkspace, Stack } from '@pulumi/pulumi/automation/index.js';
import { PulumiEngine } from '../../../src/engines/pulumi/engine.js';
import type { KubeClient } from '../../../src/kube/client.js';
import { openStateStore } from '../../../src/state/store.js';
import { smallStack } from './fixtures.js';
import { clientFor, COMMON_KINDS, createProject, labelledObjects, planeDown, planeUp, readTree, type Project } from './harness.js';

const SECRET_VAR = 'PLATFORM_IT_DB_PASSWORD';
const secretValue = `pw-${randomBytes(12).toString('hex')}`;

describe('PulumiEngine on the local plane', () => {
  let project: Project;
  let client: KubeClient;
  const engine = new PulumiEngine();
  const projectName = `pit${randomBytes(3).toString('hex')}`;
  const stackWith = (o: { replicas?: number; selectorApp?: string; mode?: string } = {}) => {
    const s = smallStack({
      project: projectName,
      namespace: 'shop',
      configMaps: 3,
      replicas: o.replicas ?? 1,
      secretVariable: SECRET_VAR,
      selectorApp: o.selectorApp,
    });
    if (o.mode) {
      const cm = s.objects.find((x) => x.manifest.kind === 'ConfigMap' && x.manifest.metadata.name === 'settings-0')!;
      cm.manifest = { ...cm.manifest, data: { ...(cm.manifest.data as object), mode: o.mode } };
    }
    return s;
  };

  // Calls of the Automation API's `pulumi stack select` (a pulumi process each).
  const selectStack = vi.spyOn(LocalWorkspace.prototype, 'selectStack');
  const selectStackCalls = (): number => selectStack.mock.calls.length;
  // The result queries the Automation API runs after up and destroy (`pulumi stack output`, `stack history`).
  const resultQueries = [vi.spyOn(Stack.prototype, 'outputs'), vi.spyOn(Stack.prototype, 'info')];
  beforeAll(async () => {
    vi.stubEnv(SECRET_VAR, secretValue);
    project = createProject({ name: projectName });
    await planeUp(project);
    client = await clientFor(project, project.config.regions[0]);
  });

  afterAll(async () => {
    for (const spy of [selectStack, ...resultQueries]) spy.mockRestore();
    // Unset when beforeAll failed early.
    (client as KubeClient | undefined)?.close();
    const started = project as Project | undefined;
    if (started) await planeDown(started);
    vi.unstubAllEnvs();
  });

  it('plans every object as a create on an empty cluster', async () => {
    const stack = stackWith();
    const result = await engine.run('plan', stack, project.ctx());
    // A new stack is created (or selected, when another run just created it) the Automation API's way.
    expect(selectStackCalls()).toBeGreaterThan(0);
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('changes');
    expect(result.changes.create).toBe(stack.objects.length);
    expect(result.resources.map((r) => r.type)).toContain('apps/v1:Deployment');
    expect(result.resources.find((r) => r.type === 'apps/v1:Deployment')?.name).toBe('shop/web');
  });

  it('applies: objects live with our fields and labels, the Deployment Available, the Secret filled', async () => {
    const stack = stackWith();
    const result = await engine.run('apply', stack, project.ctx());
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('ok');
    expect(result.changes.create).toBe(stack.objects.length);
    const deployment = await client.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' });
    expect(deployment?.metadata.labels?.['platform.dev/project']).toBe(projectName);
    expect((deployment?.spec as { replicas: number }).replicas).toBe(1);
    const conditions = (deployment?.status as { conditions?: Array<{ type: string; status: string }> }).conditions ?? [];
    expect(conditions).toContainEqual(expect.objectContaining({ type: 'Available', status: 'True' }));
    const managers = (deployment?.metadata.managedFields as Array<{ manager: string; operation: string }>)
      .filter((m) => m.operation === 'Apply')
      .map((m) => m.manager);
    expect(managers).toEqual(['platform']);
    const secret = await client.get({ apiVersion: 'v1', kind: 'Secret', namespace: 'shop', name: 'web-env' });
    expect(Buffer.from((secret?.data as Record<string, string>).DB_PASSWORD, 'base64').toString()).toBe(secretValue);
  });

  it('re-plans with no changes right after apply', async () => {
    const before = selectStackCalls();
    // The run's state store, counted: the engine asks it (one client for a run), not a store of its own.
    const ctx = project.ctx();
    const opened = await openStateStore(ctx.state);
    let stats = 0;
    const store = new Proxy(opened, { get: (target, p) => (p === 'stat' ? (key: string) => (stats++, target.stat(key)) : Reflect.get(target, p)) });
    const result = await engine.run('plan', stackWith(), { ...ctx, store });
    expect(stats).toBeGreaterThan(0);
    // An existing stack is opened without `pulumi stack select` (a pulumi process per stack and operation).
    expect(selectStackCalls()).toBe(before);
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('ok');
    expect(result.resources).toEqual([]);
    expect(result.changes).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0 });
  });

  it('shows exactly the changed fields, then applies them', async () => {
    const changed = stackWith({ replicas: 3, mode: 'slow' });
    const plan = await engine.run('plan', changed, project.ctx());
    expect(plan.status).toBe('changes');
    expect(plan.resources).toEqual(
      [
        { op: 'update', type: 'apps/v1:Deployment', name: 'shop/web', diff: [{ path: '/spec/replicas', old: 1, new: 3 }] },
        { op: 'update', type: 'v1:ConfigMap', name: 'shop/settings-0', diff: [{ path: '/data/mode', old: 'fast', new: 'slow' }] },
      ].sort((a, b) => a.type.localeCompare(b.type)),
    );
    const apply = await engine.run('apply', changed, project.ctx());
    expect(apply.status).toBe('ok');
    expect(apply.changes.update).toBe(2);
    const live = await client.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' });
    expect((live?.spec as { replicas: number }).replicas).toBe(3);
    expect((await engine.run('plan', changed, project.ctx())).status).toBe('ok');
  });

  it('sees an out-of-band edit of a field we own (server-side dry-run diff) and puts it back', async () => {
    const stack = stackWith({ replicas: 3, mode: 'slow' });
    // Someone else force-applies replicas=7 with another field manager.
    await client.apply(
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { replicas: 7 } },
      { force: true, fieldManager: 'kubectl-edit' },
    );
    const plan = await engine.run('plan', stack, project.ctx());
    expect(plan.status).toBe('changes');
    expect(plan.resources).toEqual([{ op: 'update', type: 'apps/v1:Deployment', name: 'shop/web', diff: [{ path: '/spec/replicas', old: 7, new: 3 }] }]);
    // Without --force the conflict with the other manager is reported, not overridden.
    const refused = await engine.run('apply', stack, project.ctx());
    expect(refused.status).toBe('failed');
    expect(refused.error?.message).toMatch(/conflict/i);
    const forced = await engine.run('apply', stack, project.ctx({ force: true }));
    expect(forced.status).toBe('ok');
    const live = await client.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' });
    expect((live?.spec as { replicas: number }).replicas).toBe(3);
  });

  it('replaces a Deployment whose selector changes (immutable field)', async () => {
    const before = await client.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' });
    const stack = stackWith({ replicas: 3, mode: 'slow', selectorApp: 'web-v2' });
    const plan = await engine.run('plan', stack, project.ctx());
    expect(plan.resources.map((r) => [r.op, r.name])).toEqual([['replace', 'shop/web']]);
    expect(plan.resources[0].diff.map((d) => d.path)).toContain('/spec/selector/matchLabels/app');
    const apply = await engine.run('apply', stack, project.ctx({ force: true }));
    expect(apply.error).toBeUndefined();
    expect(apply.changes.replace).toBe(1);
    const after = await client.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' });
    expect(after?.metadata.uid).not.toBe(before?.metadata.uid);
    expect((after?.spec as { selector: { matchLabels: { app: string } } }).selector.matchLabels.app).toBe('web-v2');
  });

  it('never writes the secret value in clear: state, work dir, events, results', () => {
    // Everything platform and pulumi wrote (state, backups, history, work dir, pulumi home and logs),
    // but not the local plane's own files: its etcd holds the Kubernetes Secret, as any cluster does.
    const state = readTree(join(project.dir, '.platform'), [join(project.dir, '.platform', 'local')]);
    expect(state.length).toBeGreaterThan(1000);
    expect(state).not.toContain(secretValue);
    expect(state).not.toContain(Buffer.from(secretValue).toString('base64'));
    const leaking = project.events.filter(
      (e) => JSON.stringify(e).includes(secretValue) || JSON.stringify(e).includes(Buffer.from(secretValue).toString('base64')),
    );
    expect(leaking).toEqual([]);
    // The state does hold the secret, encrypted.
    expect(state).toContain('1b47061264138c4ac30d75fd1eb44270');
    expect(readFileSync(join(project.dir, '.platform', 'passphrase'), 'utf8').length).toBeGreaterThan(20);
  });

  it('destroys: nothing with our project label is left', async () => {
    const result = await engine.run('destroy', stackWith({ replicas: 3, mode: 'slow', selectorApp: 'web-v2' }), project.ctx());
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('ok');
    expect(result.changes.delete).toBe(stackWith().objects.length);
    expect(await labelledObjects(client, projectName, COMMON_KINDS)).toEqual([]);
    // No apply or destroy of this file ran them: three pulumi processes (~1.3 s) per applied stack saved.
    expect(resultQueries.map((spy) => spy.mock.calls.length)).toEqual([0, 0]);
  });
});
