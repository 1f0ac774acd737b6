/** KubeClient against a real local API server: SSA, dry-run, discovery of a fresh CRD, list, waits, delete. */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiError, type KubeClient } from '../../src/kube/client.js';
import { clientFor, createProject, planeDown, planeUp, type Project } from '../engines/pulumi/harness.js';
import { widgetCrd } from '../helpers/crd.js';

describe('KubeClient on the local plane', () => {
  let project: Project;
  let client: KubeClient;
  const ns = `kc-${randomBytes(3).toString('hex')}`;

  beforeAll(async () => {
    project = createProject({ name: 'kubeclient' });
    await planeUp(project);
    client = await clientFor(project, project.config.regions[0]);
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  });
  afterAll(async () => {
    // Unset when beforeAll failed early.
    const connected = client as KubeClient | undefined;
    if (connected) {
      await connected.deleteAndWait({ apiVersion: 'v1', kind: 'Namespace', name: ns }).catch(() => undefined);
      connected.close();
    }
    const started = project as Project | undefined;
    if (started) await planeDown(started);
  });

  it('server-side applies as field manager platform; dry-run changes nothing', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: ns }, data: { x: '1' } };
    const created = await client.apply(cm);
    expect((created.metadata.managedFields as Array<{ manager: string }>).map((m) => m.manager)).toEqual(['platform']);
    const dry = await client.apply({ ...cm, data: { x: '2' } }, { dryRun: true });
    expect(dry.data).toEqual({ x: '2' });
    expect((await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'a' }))?.data).toEqual({ x: '1' });
  });

  it('reports conflicts with another manager unless forced, and immutable fields as such', async () => {
    await client.apply(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: ns }, data: { x: 'other' } },
      { fieldManager: 'someone-else', force: true },
    );
    const conflict = await client
      .apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: ns }, data: { x: '1' } })
      .catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(KubeApiError);
    expect((conflict as KubeApiError).conflict).toBe(true);
    const dep = (app: string) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: ns },
      spec: { replicas: 0, selector: { matchLabels: { app } }, template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    });
    await client.apply(dep('one'));
    const immutable = await client.apply(dep('two'), { dryRun: true }).catch((e: unknown) => e);
    expect((immutable as KubeApiError).immutable).toBe(true);
  });

  it('lists a kind in a namespace in one call, with apiVersion and kind filled in', async () => {
    for (let i = 0; i < 5; i++)
      await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `bulk-${i}`, namespace: ns, labels: { bulk: 'yes' } }, data: {} });
    const items = await client.list('v1', 'ConfigMap', ns, 'bulk=yes');
    expect(items.map((o) => o.metadata.name).sort()).toEqual(['bulk-0', 'bulk-1', 'bulk-2', 'bulk-3', 'bulk-4']);
    expect(items.every((o) => o.apiVersion === 'v1' && o.kind === 'ConfigMap')).toBe(true);
  });

  it('discovers the kind of a CRD created after the first lookup, once Established', async () => {
    const group = `${ns}.example.com`;
    expect(await client.resourceFor(`${group}/v1`, 'Widget')).toBeUndefined();
    await client.apply(widgetCrd(group));
    await client.waitForCrdEstablished(`widgets.${group}`, { timeoutMs: 30_000 });
    await client.apply({ apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'w', namespace: ns }, spec: { size: 3 } });
    expect((await client.resourceFor(`${group}/v1`, 'Widget'))?.name).toBe('widgets');
    const invalid = await client
      .apply({ apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'w2', namespace: ns }, spec: { size: 'big' } })
      .catch((e: unknown) => e);
    // The schema is enforced (SSA reports a typed-patch failure: HTTP 500 with the field named).
    expect(invalid).toBeInstanceOf(KubeApiError);
    expect((invalid as KubeApiError).message).toMatch(/spec\.size/);
    await client.deleteAndWait({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: `widgets.${group}` });
  });

  it('deletes and waits until the object is gone', async () => {
    await client.deleteAndWait({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'a' });
    expect(await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'a' })).toBeUndefined();
    // Deleting what is already gone is fine.
    await client.deleteAndWait({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'a' });
  });
});
