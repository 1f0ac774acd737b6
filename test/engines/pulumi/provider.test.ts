import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KubeApiError, type KubeClient, type ObjectRef } from '../../../src/kube/client.js';
import { ObjectProvider, wrapSecret, type ObjectOutputs } from '../../../src/engines/pulumi/provider/object.js';
import type { KubeObject } from '../../../src/objects/model.js';

/**
 * A stand-in API server: apply merges the manifest over defaults the "server" adds (like a real
 * defaulting API server), and refuses selector changes of Deployments as immutable.
 */
class FakeServer {
  objects = new Map<string, KubeObject>();
  calls: string[] = [];
  private version = 1;
  key = (r: ObjectRef): string => `${r.kind}/${r.namespace ?? ''}/${r.name}`;
  isNamespaced(_a: string, kind: string): Promise<boolean> {
    return Promise.resolve(kind !== 'Namespace');
  }
  list(_a: string, kind: string, namespace?: string): Promise<KubeObject[]> {
    this.calls.push(`list ${kind} ${namespace ?? ''}`);
    return Promise.resolve([...this.objects.values()].filter((o) => o.kind === kind && (o.metadata.namespace ?? '') === (namespace ?? '')));
  }
  get(r: ObjectRef): Promise<KubeObject | undefined> {
    this.calls.push(`get ${this.key(r)}`);
    return Promise.resolve(this.objects.get(this.key(r)));
  }
  apply(o: KubeObject, opts: { dryRun?: boolean } = {}): Promise<KubeObject> {
    this.calls.push(`${opts.dryRun ? 'dry-run ' : ''}apply ${this.key({ ...o, ...o.metadata })}`);
    const k = `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const live = this.objects.get(k);
    const selector = (m: KubeObject): string => JSON.stringify((m.spec as { selector?: unknown } | undefined)?.selector);
    if (live && o.kind === 'Deployment' && selector(live) !== selector(o)) {
      return Promise.reject(
        new KubeApiError(422, 'Invalid', `Deployment.apps "${o.metadata.name}" is invalid: spec.selector: Invalid value: field is immutable`),
      );
    }
    const defaults = o.kind === 'Deployment' ? { progressDeadlineSeconds: 600, revisionHistoryLimit: 10 } : {};
    const merged: KubeObject = {
      ...o,
      ...(o.spec ? { spec: { ...defaults, ...o.spec } } : {}),
      metadata: { ...o.metadata, uid: 'u1', resourceVersion: String(opts.dryRun ? this.version : ++this.version), managedFields: [{ manager: 'platform' }] },
    };
    if (!opts.dryRun) this.objects.set(k, merged);
    return Promise.resolve(merged);
  }
  deleteAndWait(r: ObjectRef): Promise<void> {
    this.objects.delete(this.key(r));
    return Promise.resolve();
  }
  async waitForCrdEstablished(): Promise<void> {}
  async waitForDeploymentAvailable(): Promise<void> {}
}

const deployment = (replicas: number, app = 'web'): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', labels: { 'platform.dev/project': 'acme' } },
  spec: { replicas, selector: { matchLabels: { app } }, template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'web', image: 'x:1' }] } } },
});

const setup = () => {
  const server = new FakeServer();
  const provider = new ObjectProvider(server as unknown as KubeClient, { force: false, awaitReady: true });
  return { server, provider };
};

describe('platform:kubernetes:Object provider', () => {
  it('check rejects manifests without kind or name, and secretData on non-Secrets', () => {
    const { provider } = setup();
    expect(provider.check({ manifest: { apiVersion: 'v1', metadata: { name: '' } } as unknown as KubeObject })).toEqual(
      expect.arrayContaining([expect.objectContaining({ property: 'manifest.kind' }), expect.objectContaining({ property: 'manifest.metadata.name' })]),
    );
    expect(provider.check({ manifest: deployment(1), secretData: { a: 'b' } })).toEqual([expect.objectContaining({ property: 'secretData' })]);
    expect(provider.check({ manifest: deployment(1) })).toEqual([]);
  });

  it('shows no change when only server defaults differ, and exactly the changed field otherwise', async () => {
    const { server, provider } = setup();
    const created = await provider.create({ manifest: deployment(2) });
    expect(created.id).toBe('shop/web');
    expect(server.objects.get('Deployment/shop/web')).toBeDefined();
    const olds = created.outs;

    // Same inputs, object untouched: no dry-run needed, no change.
    server.calls = [];
    expect((await provider.diff(olds, { manifest: deployment(2) })).changes).toBe(false);
    expect(server.calls.filter((c) => c.startsWith('dry-run'))).toEqual([]);

    // Out-of-band edit of a field we own: the dry-run apply shows it, defaults do not.
    (server.objects.get('Deployment/shop/web')!.spec as { replicas: number }).replicas = 5;
    server.objects.get('Deployment/shop/web')!.metadata.resourceVersion = '99';
    const drifted = await provider.diff(olds, { manifest: deployment(2) });
    expect(drifted.changes).toBe(true);
    expect(drifted.fields).toEqual([{ path: '/spec/replicas', old: 5, new: 2 }]);

    const scaled = await provider.diff(olds, { manifest: deployment(3) });
    expect(scaled).toMatchObject({
      changes: true,
      replace: false,
      fields: [{ path: '/spec/replicas', old: 5, new: 3 }],
      detailed: { 'manifest.spec.replicas': 'update' },
    });
  });

  it('one list call per kind and namespace, however many objects', async () => {
    const { server, provider } = setup();
    const cms = Array.from({ length: 20 }, (_, i): KubeObject => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `c${i}`, namespace: 'shop' },
      data: { i: String(i) },
    }));
    const outs: ObjectOutputs[] = [];
    for (const manifest of cms) outs.push((await provider.create({ manifest })).outs);
    server.calls = [];
    const fresh = new ObjectProvider(server as unknown as KubeClient, { force: false, awaitReady: true });
    for (let i = 0; i < cms.length; i++) expect((await fresh.diff(outs[i], { manifest: cms[i] })).changes).toBe(false);
    expect(server.calls).toEqual(['list ConfigMap shop']);
  });

  it('asks for delete-before-replace when the server refuses an immutable change', async () => {
    const { provider } = setup();
    const { outs } = await provider.create({ manifest: deployment(1, 'web') });
    const d = await provider.diff(outs, { manifest: deployment(1, 'web2') });
    expect(d.replace).toBe(true);
    expect(d.deleteBeforeReplace).toBe(true);
    expect(Object.values(d.detailed).every((k) => k.endsWith('-replace'))).toBe(true);
    expect(d.fields.map((f) => f.path)).toContain('/spec/selector/matchLabels/app');
  });

  it('replaces (create first) when the object is renamed', async () => {
    const { provider } = setup();
    const { outs } = await provider.create({ manifest: deployment(1) });
    const renamed = { ...deployment(1), metadata: { ...deployment(1).metadata, name: 'web-2' } };
    expect(await provider.diff(outs, { manifest: renamed })).toMatchObject({ changes: true, replace: true, deleteBeforeReplace: false });
  });

  it('Secret data goes to the server base64-encoded but never into outputs or diffs', async () => {
    const { server, provider } = setup();
    const manifest: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, type: 'Opaque' };
    const { outs } = await provider.create({ manifest, secretData: wrapSecret({ PASSWORD: 's3cr3t-value' }) });
    expect((server.objects.get('Secret/shop/db')!.data as Record<string, string>).PASSWORD).toBe(Buffer.from('s3cr3t-value').toString('base64'));
    const serialized = JSON.stringify({ ...outs, secretData: undefined });
    expect(serialized).not.toContain('s3cr3t-value');
    expect(serialized).not.toContain(Buffer.from('s3cr3t-value').toString('base64'));
    const d = await provider.diff(outs, { manifest, secretData: wrapSecret({ PASSWORD: 'other-value' }) });
    expect(d.changes).toBe(true);
    expect(d.fields).toEqual([{ path: '/data/PASSWORD', old: '[secret]', new: '[secret]' }]);
  });

  it('delete waits through the client and forgets the object', async () => {
    const { server, provider } = setup();
    const { outs } = await provider.create({ manifest: deployment(1) });
    await provider.delete(outs);
    expect(server.objects.size).toBe(0);
    expect(await provider.read(outs)).toBeUndefined();
  });
});

describe('manifests passed by digest (CRDs)', () => {
  it('applies the full body from the blob dir while inputs hold only a stub', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'blobs-'));
    const full: KubeObject = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: { group: 'example.com', versions: [{ name: 'v1' }] },
    };
    writeFileSync(join(dir, 'abc.json'), JSON.stringify(full));
    const server = new FakeServer();
    const provider = new ObjectProvider(server as unknown as KubeClient, { force: false, awaitReady: true, blobDir: dir });
    const stub: KubeObject = { apiVersion: full.apiVersion, kind: full.kind, metadata: { name: full.metadata.name } };
    expect(provider.check({ manifest: stub, manifestDigest: 'abc' })).toEqual([]);
    expect(provider.check({ manifest: stub, manifestDigest: 'missing' })).toEqual([expect.objectContaining({ property: 'manifestDigest' })]);
    const { outs } = await provider.create({ manifest: stub, manifestDigest: 'abc' });
    expect(server.objects.get('CustomResourceDefinition//widgets.example.com')?.spec).toEqual(full.spec);
    expect(JSON.stringify(outs)).not.toContain('versions');
    expect((await provider.diff(outs, { manifest: stub, manifestDigest: 'abc' })).changes).toBe(false);
  });
});
