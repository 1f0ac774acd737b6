import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderMarkdown, renderTable, summaryText } from '../../../src/cli/render/drift.js';
import { pulumiCheckpointFile, StateReader, terraformStateFile } from '../../../src/drift/state.js';
import { type DriftReport } from '../../../src/drift/types.js';
import { objectKey } from '../../../src/objects/identity.js';
import { manifestDigest } from '../../../src/objects/digest.js';

const report: DriftReport = {
  version: 1,
  ref: 'origin/main',
  exitCode: 1,
  stacks: [
    { id: 'cluster/eu', status: 'clean', findings: [] },
    {
      id: 'app/eu/payments/checkout',
      status: 'drift',
      findings: [
        { class: 'drifted', apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'payments', name: 'checkout', paths: [{ path: '/spec/replicas', state: 2, live: 4 }] },
        { class: 'pending', apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'payments', name: 'checkout', paths: [{ path: '/spec/template/spec/containers/0/image', git: 'a:2', state: 'a:1' }] },
        { class: 'unmanaged', apiVersion: 'v1', kind: 'ConfigMap', namespace: 'payments', name: 'stray|x', paths: [] },
        { class: 'pending', apiVersion: 'v1', kind: 'ConfigMap', namespace: 'payments', name: 'new', paths: [{ path: '/', git: '(object)' }] },
      ],
    },
    { id: 'app/us/payments/checkout', status: 'error', error: 'region us: cannot read the API server', findings: [] },
  ],
};

describe('rendering', () => {
  it('table: grouped by stack, per-field old → new, clean stacks on one line', () => {
    const text = renderTable(report);
    expect(text).toContain('app/eu/payments/checkout  DRIFT');
    expect(text).toContain('/spec/replicas: 2 → 4');
    expect(text).toContain('/spec/template/spec/containers/0/image: "a:1" → "a:2"');
    expect(text).toContain('error: region us: cannot read the API server');
    expect(text).toContain('clean: cluster/eu');
    expect(text).toContain('/: only in Git: apply creates it');
    expect(text.split('\n').at(-1)).toBe(summaryText(report));
  });

  it('markdown: a verdict, counts, one table per stack, table cells escaped', () => {
    const md = renderMarkdown(report);
    expect(md.startsWith('## platform drift: some stacks could not be checked')).toBe(true);
    expect(md).toContain('| drifted | 1 |');
    expect(md).toContain('| drifted | apps/v1 Deployment payments/checkout | `/spec/replicas` | `2 → 4` |');
    expect(md).toContain('stray\\|x');
    expect(md).toContain('> region us: cannot read the API server');
  });
});

describe('state files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'drift-state-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'n' }, data: { k: 'v' } };
  const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'xs.example.com' }, spec: { group: 'example.com', names: { kind: 'X' }, versions: [{ name: 'v1' }] } };
  const crdStub = { apiVersion: crd.apiVersion, kind: crd.kind, metadata: crd.metadata, spec: { group: 'example.com', names: { kind: 'X' } } };
  const goneStub = { ...crdStub, metadata: { name: 'ys.example.com' } };

  it('reads Pulumi checkpoints: platform objects only, outputs.manifest; bodies passed by digest from their blob', async () => {
    const file = pulumiCheckpointFile(join(dir, '.platform', 'state'), 'acme', 'tenant/eu/payments');
    mkdirSync(join(dir, '.platform', 'pulumi', 'blobs'), { recursive: true });
    writeFileSync(join(dir, '.platform', 'pulumi', 'blobs', `${manifestDigest(crd)}.json`), JSON.stringify(crd));
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(
      file,
      JSON.stringify({
        version: 3,
        checkpoint: {
          latest: {
            resources: [
              { type: 'pulumi:pulumi:Stack', urn: 'x' },
              { type: 'pulumi:providers:platform', urn: 'y', inputs: {} },
              { type: 'platform:kubernetes:Object', urn: 'z', inputs: { manifest: cm }, outputs: { manifest: cm, live: {} } },
              { type: 'platform:kubernetes:Object', urn: 'c', outputs: { manifest: crdStub, manifestDigest: manifestDigest(crd) } },
              { type: 'platform:kubernetes:Object', urn: 'g', outputs: { manifest: goneStub, manifestDigest: 'f'.repeat(64) } },
            ],
          },
        },
      }),
    );
    const reader = new StateReader('pulumi', dir, 'acme');
    expect(reader.stackIds()).toEqual(['tenant/eu/payments']);
    expect(await reader.read('tenant/eu/payments')).toEqual({ exists: true, objects: [cm, crd, goneStub], stubDigests: new Map([[objectKey(goneStub), 'f'.repeat(64)]]) });
    expect(await reader.read('tenant/eu/other')).toEqual({ exists: false, objects: [] });
  });

  it('reads Terraform states: kubectl_manifest yaml_body', async () => {
    const file = terraformStateFile(join(dir, '.platform', 'state'), 'app/eu/payments/checkout');
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, JSON.stringify({ version: 4, resources: [{ mode: 'managed', type: 'kubectl_manifest', name: 'cm', instances: [{ attributes: { yaml_body: JSON.stringify(cm) } }] }] }));
    const reader = new StateReader('terraform', dir, 'acme');
    expect(reader.stackIds()).toEqual(['app/eu/payments/checkout']);
    expect((await reader.read('app/eu/payments/checkout')).objects).toEqual([cm]);
  });

  it('refuses remote state backends with a hint', () => {
    expect(() => new StateReader('pulumi', dir, 'acme', 's3://bucket/prefix')).toThrow(/file:\/\/ backends only/);
  });
});
