/** Both engines' state readers: what drift, the engine-switch refusal and `state list` read. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkpointKey, pulumiStateReader } from '../../src/engines/pulumi/state.js';
import { terraformStateKey, terraformStateManifests, terraformStateReader } from '../../src/engines/terraform/state.js';
import { manifestDigest } from '../../src/objects/digest.js';
import { objectKey } from '../../src/objects/identity.js';
import { resolveStateLocation } from '../../src/state/location.js';

describe('state files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'drift-state-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'n' }, data: { k: 'v' } };
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'xs.example.com' },
    spec: { group: 'example.com', names: { kind: 'X' }, versions: [{ name: 'v1' }] },
  };
  const crdStub = { apiVersion: crd.apiVersion, kind: crd.kind, metadata: crd.metadata, spec: { group: 'example.com', names: { kind: 'X' } } };
  const goneStub = { ...crdStub, metadata: { name: 'ys.example.com' } };

  it('reads Pulumi checkpoints: platform objects only, outputs.manifest; bodies passed by digest from their blob', async () => {
    const file = join(dir, '.platform', 'state', checkpointKey('acme', 'tenant/eu/payments'));
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
    const reader = pulumiStateReader({ projectDir: dir, project: 'acme', state: resolveStateLocation(undefined, dir) });
    expect(await reader.stackIds()).toEqual(['tenant/eu/payments']);
    expect(await reader.read('tenant/eu/payments')).toEqual({
      exists: true,
      objects: [cm, crd, goneStub],
      resources: 3,
      stubDigests: new Map([[objectKey(goneStub), 'f'.repeat(64)]]),
    });
    expect(await reader.read('tenant/eu/other')).toEqual({ exists: false, objects: [], resources: 0 });
  });

  it('reads Terraform states: kubectl_manifest yaml_body', async () => {
    const state = resolveStateLocation(undefined, dir);
    const file = join(state.dir!, terraformStateKey(state, 'app/eu/payments/checkout'));
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(
      file,
      JSON.stringify({
        version: 4,
        resources: [
          { mode: 'managed', type: 'kubectl_manifest', name: 'cm', instances: [{ attributes: { yaml_body: JSON.stringify(cm) } }] },
          { mode: 'managed', type: 'aws_s3_bucket', name: 'b', instances: [{ attributes: {} }] },
          { mode: 'data', type: 'aws_caller_identity', name: 'me', instances: [{ attributes: {} }] },
        ],
      }),
    );
    const reader = terraformStateReader({ projectDir: dir, project: 'acme', state });
    expect(await reader.stackIds()).toEqual(['app/eu/payments/checkout']);
    const read = await reader.read('app/eu/payments/checkout');
    expect(read.objects).toEqual([cm]);
    expect(read.resources).toBe(2); // managed resources, Kubernetes or cloud; not data sources
    // By Terraform address: how a destroy names what is no longer synthesized.
    expect(await terraformStateManifests({ projectDir: dir, project: 'acme', state }, 'app/eu/payments/checkout')).toEqual(
      new Map([['kubectl_manifest.cm', cm]]),
    );
    expect(await terraformStateManifests({ projectDir: dir, project: 'acme', state }, 'app/eu/payments/other')).toEqual(new Map());
  });
});

describe('the state location', () => {
  it('resolves file:// once for every engine: relative to the project, ~ to the home directory, absolute as is', () => {
    expect(resolveStateLocation(undefined, '/p')).toEqual({ url: 'file://.platform/state', scheme: 'file', dir: '/p/.platform/state', prefix: '' });
    expect(resolveStateLocation('file://shared/state', '/p').dir).toBe('/p/shared/state');
    expect(resolveStateLocation('file://~/estate', '/p', '/home/ana').dir).toBe('/home/ana/estate');
    expect(resolveStateLocation('file:///srv/state', '/p').dir).toBe('/srv/state');
    expect(resolveStateLocation('file://~/estate', '/p').dir).toBe(join(process.env.HOME ?? homedir(), 'estate'));
  });

  it('keeps the bucket and prefix of remote URLs; Terraform keys are one readable name per stack', () => {
    const s3 = resolveStateLocation('s3://acme-state/prod/eu/', '/p');
    expect(s3).toEqual({ url: 's3://acme-state/prod/eu/', scheme: 's3', bucket: 'acme-state', prefix: 'prod/eu' });
    expect(terraformStateKey(s3, 'app/eu/payments/checkout')).toBe('app/eu/payments/checkout.tfstate');
    expect(terraformStateKey(resolveStateLocation('gs://b/p', '/p'), 'cluster/eu')).toBe('cluster/eu/default.tfstate');
    expect(() => resolveStateLocation('ftp://x', '/p')).toThrow(/not a supported URL/);
  });
});
