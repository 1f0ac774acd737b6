import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { escapeTemplates, stableStringify, synthTerraform } from '../../../src/engines/terraform/synth.js';
import type { Region } from '../../../src/config/schema.js';
import { localRegion, synthIn, testStack } from './fixtures.js';
import { resolveStateLocation } from '../../../src/state/location.js';
import { terraformStateKey } from '../../../src/engines/terraform/state.js';
import type { DesiredObject } from '../../../src/objects/model.js';

const dirs: string[] = [];
const project = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'tf-synth-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

type TfJson = {
  terraform: { backend: Record<string, Record<string, unknown>>; required_providers: Record<string, { source: string; version: string }> };
  provider: { kubectl: Array<Record<string, unknown>> };
  resource: { kubectl_manifest: Record<string, Record<string, unknown>> };
  variable?: Record<string, Record<string, unknown>>;
};
const read = (file: string): TfJson => JSON.parse(readFileSync(file, 'utf8')) as TfJson;
/** What tofu makes of a literal JSON-syntax template string ($${ → ${, %%{ → %{). */
const unescape = (s: string): string => s.replaceAll('$${', '${').replaceAll('%%{', '%{');

describe('synthTerraform', () => {
  test('writes one Terraform JSON per stack under <outDir>/<stack id>/ with the kubectl provider per region', async () => {
    const dir = project();
    const eu = testStack();
    const us = testStack({ region: { ...localRegion('us'), role: 'dr' } });
    const out = await synthIn(dir, [eu, us]);

    expect([...out.keys()]).toEqual(['tenant/eu/tf-test', 'tenant/us/tf-test']);
    const euFile = out.get(eu.id)!.file;
    expect(euFile).toBe(join(dir, '.platform', 'tf', 'tenant', 'eu', 'tf-test', 'main.tf.json'));
    const tf = read(euFile);
    expect(tf.terraform.required_providers.kubectl).toEqual({ source: 'gavinbunney/kubectl', version: '1.19.0' });
    expect(tf.provider.kubectl).toEqual([
      { alias: 'eu', config_context: 'eu', config_path: '../../../../local/kubeconfig', load_config_file: true, apply_retry_count: 3 },
    ]);
    // Local backend: state under .platform/state/tf/<stack id>/, relative to the work dir.
    expect(tf.terraform.backend.local.path).toBe('../../../../state/tf/tenant/eu/tf-test/terraform.tfstate');
    expect(read(out.get(us.id)!.file).provider.kubectl[0].alias).toBe('us');

    const resources = tf.resource.kubectl_manifest;
    expect(Object.keys(resources).sort()).toEqual(['configmap_tf-test_settings', 'deployment_tf-test_web', 'namespace_tf-test']);
    const deployment = resources['deployment_tf-test_web'];
    expect(deployment).toMatchObject({ provider: 'kubectl.eu', server_side_apply: true, force_conflicts: false, wait_for_rollout: true });
    expect(resources['configmap_tf-test_settings'].wait_for_rollout).toBe(false);
    // Namespaced objects wait for their namespace.
    expect(deployment.depends_on).toEqual(['kubectl_manifest.namespace_tf-test']);
    expect(resources['namespace_tf-test'].depends_on).toBeUndefined();
    // A deleted Namespace is waited for by the engine (namespaces.ts), not by the provider's 10 s poll.
    expect(resources['namespace_tf-test']).not.toHaveProperty('wait');
    // The body is the manifest itself, labels included.
    expect(JSON.parse(deployment.yaml_body as string)).toEqual(eu.objects[2].manifest);

    expect(out.get(eu.id)!.resources).toEqual([
      { type: 'v1:Namespace', name: 'tf-test' },
      { type: 'v1:ConfigMap', name: 'tf-test/settings' },
      { type: 'apps/v1:Deployment', name: 'tf-test/web' },
    ]);
  });

  test('is deterministic: same input, byte-identical files with sorted keys', async () => {
    const a = await synthTerraform([testStack()], join(project(), 'tf'), { projectDir: '/p', project: 'acme', state: resolveStateLocation(undefined, '/p') });
    const b = await synthTerraform([testStack()], join(project(), 'tf'), { projectDir: '/p', project: 'acme', state: resolveStateLocation(undefined, '/p') });
    const textA = readFileSync(a.get('tenant/eu/tf-test')!.file, 'utf8');
    expect(readFileSync(b.get('tenant/eu/tf-test')!.file, 'utf8')).toBe(textA);
    const keys = Object.keys(JSON.parse(textA) as object);
    expect(keys).toEqual([...keys].sort());
    expect(stableStringify({ b: 1, a: { d: 1, c: [{ z: 1, y: 2 }] } }, false)).toBe('{"a":{"c":[{"y":2,"z":1}],"d":1},"b":1}');
  });

  test('escapes Terraform template sequences so manifests reach the cluster verbatim', async () => {
    const tf = read((await synthIn(project(), [testStack()])).get('tenant/eu/tf-test')!.file);
    const body = tf.resource.kubectl_manifest['configmap_tf-test_settings'].yaml_body as string;
    expect(body).toContain('literal $${not_a_var} and %%{ not_a_directive }');
    expect((JSON.parse(unescape(body)) as { data: Record<string, string> }).data.TEMPLATE).toBe('literal ${not_a_var} and %{ not_a_directive }');
    expect(escapeTemplates({ a: ['${x}', 1, null], b: '%{y}' })).toEqual({ a: ['$${x}', 1, null], b: '%%{y}' });
  });

  test('secretEnv becomes a sensitive variable: the value never enters the synthesized JSON', async () => {
    process.env.TF_SYNTH_TEST_SECRET = 'hunter2-never-on-disk';
    try {
      const out = (await synthIn(project(), [testStack({ secretVariable: 'TF_SYNTH_TEST_SECRET' })])).get('tenant/eu/tf-test')!;
      const text = readFileSync(out.file, 'utf8');
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain(Buffer.from('hunter2-never-on-disk').toString('base64'));
      const tf = JSON.parse(text) as TfJson;
      const variableName = 'secret_secret_tf-test_db_DB_PASSWORD';
      expect(tf.variable![variableName]).toMatchObject({ sensitive: true, type: 'string', nullable: false });
      const secret = tf.resource.kubectl_manifest['secret_tf-test_db'];
      expect(secret.sensitive_fields).toEqual(['data', 'stringData']);
      expect(JSON.parse(secret.yaml_body as string).data).toEqual({ DB_PASSWORD: `\${base64encode(var.${variableName})}` });
      expect(out.objects.find((o) => o.type === 'v1:Secret')).toMatchObject({ secret: true, address: 'kubectl_manifest.secret_tf-test_db' });
      expect(out.secretVariables.map((v) => [v.name, v.key])).toEqual([[variableName, 'DB_PASSWORD']]);
    } finally {
      delete process.env.TF_SYNTH_TEST_SECRET;
    }
  });

  test('custom resources depend on the CRD that defines them in the same stack', async () => {
    const crd: DesiredObject = {
      manifest: {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'widgets.example.com' },
        spec: { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced', versions: [] },
      },
    };
    const widget: DesiredObject = { manifest: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'tf-test' } } };
    const tf = read((await synthIn(project(), [testStack({ extra: [crd, widget] })])).get('tenant/eu/tf-test')!.file);
    expect(tf.resource.kubectl_manifest['widget_tf-test_w'].depends_on).toEqual([
      'kubectl_manifest.customresourcedefinition_widgets_example_com',
      'kubectl_manifest.namespace_tf-test',
    ]);
  });

  test('the same kind, namespace and name in two API groups get distinct resource names', async () => {
    const a: DesiredObject = { manifest: { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'g', namespace: 'tf-test' } } };
    const b: DesiredObject = { manifest: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'g', namespace: 'tf-test' } } };
    const out = (await synthIn(project(), [testStack({ extra: [a, b] })])).get('tenant/eu/tf-test')!;
    const gateways = out.objects.filter((o) => o.name === 'tf-test/g').map((o) => o.address);
    expect(gateways).toHaveLength(2);
    expect(new Set(gateways).size).toBe(2);
  });

  test('--force renders force_conflicts', async () => {
    const tf = read((await synthIn(project(), [testStack()], { force: true })).get('tenant/eu/tf-test')!.file);
    expect(Object.values(tf.resource.kubectl_manifest).every((r) => r.force_conflicts === true)).toBe(true);
  });

  test.each([
    ['s3://acme-state/platform', 's3', { bucket: 'acme-state', key: 'platform/tenant/aws/tf-test.tfstate', encrypt: true, use_lockfile: true }],
    ['gs://acme-state/platform', 'gcs', { bucket: 'acme-state', prefix: 'platform/tenant/aws/tf-test' }],
    ['azblob://tfstate/platform', 'azurerm', { container_name: 'tfstate', key: 'platform/tenant/aws/tf-test.tfstate' }],
  ])('state %s renders the %s backend', async (state, backend, expected) => {
    const region: Region = { name: 'aws', cloud: 'aws', location: 'eu-west-1', role: 'primary', cluster: { kubeconfig: '/etc/kube/config', context: 'prod' } };
    const tf = read((await synthIn(project(), [testStack({ region })], { state })).get('tenant/aws/tf-test')!.file);
    expect(Object.keys(tf.terraform.backend)).toEqual([backend]);
    expect(tf.terraform.backend[backend]).toMatchObject(expected);
    // A kubeconfig outside the project stays absolute.
    expect(tf.provider.kubectl[0]).toMatchObject({ config_path: '/etc/kube/config', config_context: 'prod', alias: 'aws' });
  });

  test('state: file://~/… is the same folder for OpenTofu as for Pulumi and drift (resolved once)', async () => {
    const home = project();
    const saved = process.env.HOME;
    process.env.HOME = home;
    try {
      const tf = read((await synthIn(project(), [testStack()], { state: 'file://~/estate' })).get('tenant/eu/tf-test')!.file);
      // Outside the project: absolute, under the home directory — not a folder literally named "~".
      expect(tf.terraform.backend.local.path).toBe(join(home, 'estate', 'tf', 'tenant', 'eu', 'tf-test', 'terraform.tfstate'));
      const state = resolveStateLocation('file://~/estate', '/anywhere');
      expect(join(state.dir!, terraformStateKey(state, 'tenant/eu/tf-test'))).toBe(tf.terraform.backend.local.path);
    } finally {
      process.env.HOME = saved;
    }
  });

  test('snapshot of a synthesized stack', async () => {
    const out = await synthIn(project(), [testStack({ secretVariable: 'SNAPSHOT_SECRET' })]);
    expect(readFileSync(out.get('tenant/eu/tf-test')!.file, 'utf8')).toMatchSnapshot();
  });
});
