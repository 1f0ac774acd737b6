/**
 * How the Terraform JSON of a cloud region reaches its cluster (no cloud here: the synthesized wiring):
 * a `terraform_remote_state` data source on the cluster stack's state, in the backend `state:` names,
 * and the kubectl provider configured from its sensitive `kubeconfig` output; a plan before the
 * cluster exists defers that read; local regions keep their kubeconfig file.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadClouds } from '../../../src/clouds/index.js';
import { tofuEncryptionEnv } from '../../../src/engines/terraform/encryption.js';
import { BACKEND_CONFIG_VARIABLE, synthTerraform } from '../../../src/engines/terraform/synth.js';
import { terraformStateKey } from '../../../src/engines/terraform/state.js';
import { resolveStateLocation, stateKey } from '../../../src/state/location.js';
import type { StackInstance } from '../../../src/stacks/types.js';
import { exampleStacks } from '../../clouds/fixtures.js';

type Block = Record<string, unknown>;
interface TfDoc {
  provider: { kubectl: Block[] };
  data?: { terraform_remote_state?: Record<string, Block> };
  resource: Record<string, Record<string, Block>>;
  variable?: Record<string, Block>;
  output?: Partial<Record<string, { sensitive?: boolean }>>;
}

const dirs: string[] = [];
let savedAccount: string | undefined;
beforeAll(() => {
  savedAccount = process.env.ARM_STORAGE_ACCOUNT_NAME;
  delete process.env.ARM_STORAGE_ACCOUNT_NAME;
});
afterAll(() => {
  if (savedAccount !== undefined) process.env.ARM_STORAGE_ACCOUNT_NAME = savedAccount;
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

async function synth(stacks: StackInstance[], opts: { state?: string; clusterPending?: boolean } = {}): Promise<{ dir: string; docs: Map<string, TfDoc> }> {
  const dir = mkdtempSync(join(tmpdir(), 'tf-cluster-state-'));
  dirs.push(dir);
  await loadClouds('terraform', stacks);
  const out = await synthTerraform(stacks, join(dir, '.platform', 'tf'), {
    projectDir: dir,
    project: 'acme',
    state: resolveStateLocation(opts.state, dir),
    controlPlaneFor: () => [],
    clusterPending: opts.clusterPending,
  });
  return { dir, docs: new Map([...out].map(([id, s]) => [id, JSON.parse(readFileSync(s.file, 'utf8')) as TfDoc])) };
}

const multicloud = exampleStacks('multicloud', 'terraform');
const azure = exampleStacks('azure', 'terraform');
const stackOf = (stacks: StackInstance[], id: string): StackInstance => stacks.find((s) => s.id === id)!;

describe("Terraform: a cloud region's Kubernetes stacks read the cluster stack's state", { timeout: 60_000 }, () => {
  test("file:// state: terraform_remote_state on cluster/eu's state file; kubectl configured from its kubeconfig output (EKS: exec plugin)", async () => {
    const mesh = stackOf(multicloud, 'mesh/eu');
    const { dir, docs } = await synth([mesh]);
    const doc = docs.get('mesh/eu')!;
    const remote = doc.data!.terraform_remote_state!.cluster;
    expect(remote.backend).toBe('local');
    // The same file the cluster stack's own local backend writes, relative to this stack's work dir.
    const state = resolveStateLocation(undefined, dir);
    const clusterStateFile = join(state.dir!, stateKey(state, terraformStateKey(state, 'cluster/eu')));
    const workDir = join(dir, '.platform', 'tf', 'mesh', 'eu');
    expect(join(workDir, (remote.config as { path: string }).path)).toBe(clusterStateFile);
    expect(remote).not.toHaveProperty('depends_on');

    const [kubectl] = doc.provider.kubectl;
    const kubeconfig = 'yamldecode(data.terraform_remote_state.cluster.outputs.kubeconfig)';
    expect(kubectl).toMatchObject({
      alias: 'eu',
      load_config_file: false,
      host: `\${${kubeconfig}.clusters[0].cluster.server}`,
      cluster_ca_certificate: `\${base64decode(${kubeconfig}.clusters[0].cluster["certificate-authority-data"])}`,
      exec: {
        api_version: `\${${kubeconfig}.users[0].user.exec.apiVersion}`,
        command: `\${${kubeconfig}.users[0].user.exec.command}`,
        args: `\${${kubeconfig}.users[0].user.exec.args}`,
      },
    });
    // No kubeconfig file anywhere in the configuration.
    expect(kubectl).not.toHaveProperty('config_path');
    expect(JSON.stringify(doc)).not.toContain('.platform/clusters');
    // The objects go through that provider.
    const objects = Object.values(doc.resource.kubectl_manifest);
    expect(objects.length).toBe(mesh.objects.length);
    for (const o of objects) expect(o.provider).toBe('kubectl.eu');
  });

  test('the cluster stack outputs its kubeconfig as sensitive; it configures its own kubectl from the cluster, without reading any state', async () => {
    for (const stacks of [multicloud, azure]) {
      const clusters = stacks.filter((s) => s.layer === 'cluster');
      const { docs } = await synth(clusters);
      for (const [id, doc] of docs) {
        expect(doc.output?.kubeconfig?.sensitive, id).toBe(true);
        expect(doc.data?.terraform_remote_state, id).toBeUndefined();
        expect(doc.provider.kubectl[0].load_config_file, id).toBe(false);
      }
    }
  });

  test('AKS: the client certificate and key of the kubeconfig output, decoded in memory', async () => {
    const tenant = azure.find((s) => s.layer === 'tenant')!;
    const { docs } = await synth([tenant]);
    const [kubectl] = docs.get(tenant.id)!.provider.kubectl;
    const user = 'yamldecode(data.terraform_remote_state.cluster.outputs.kubeconfig).users[0].user';
    expect(kubectl).toMatchObject({
      client_certificate: `\${base64decode(${user}["client-certificate-data"])}`,
      client_key: `\${base64decode(${user}["client-key-data"])}`,
    });
    expect(kubectl).not.toHaveProperty('exec');
  });

  test.each([
    ['s3://acme-state/platform', 's3', { bucket: 'acme-state', key: 'platform/cluster/eu.tfstate', encrypt: true }],
    ['gs://acme-state/platform', 'gcs', { bucket: 'acme-state', prefix: 'platform/cluster/eu' }],
    ['azblob://tfstate/platform', 'azurerm', { container_name: 'tfstate', key: 'platform/cluster/eu.tfstate' }],
  ])("%s: the cluster stack's key in the same %s backend; endpoint/account settings from the environment, never in the file", async (url, backend, config) => {
    const mesh = stackOf(multicloud, 'mesh/eu');
    const { docs } = await synth([mesh], { state: url });
    const doc = docs.get('mesh/eu')!;
    const remote = doc.data!.terraform_remote_state!.cluster;
    expect(remote.backend).toBe(backend);
    const literal = Object.entries(config)
      .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
      .join(', ');
    expect(remote.config).toBe(`\${merge({ ${literal} }, var.${BACKEND_CONFIG_VARIABLE})}`);
    expect(doc.variable?.[BACKEND_CONFIG_VARIABLE]).toMatchObject({ type: 'map(string)', default: {} });
  });

  test('a plan before the cluster exists: the read depends on a placeholder created at apply, so it is deferred and every object plans as a create', async () => {
    const mesh = stackOf(multicloud, 'mesh/eu');
    const { docs } = await synth([mesh], { clusterPending: true });
    const doc = docs.get('mesh/eu')!;
    expect(doc.data!.terraform_remote_state!.cluster.depends_on).toEqual(['terraform_data.cluster_pending']);
    expect(doc.resource.terraform_data.cluster_pending).toEqual({ input: 'cluster/eu' });
    expect(Object.keys(doc.resource.kubectl_manifest).length).toBe(mesh.objects.length);
  });

  test('OpenTofu decrypts the cluster state it reads with the project key (state encryption covers remote-state reads)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-enc-'));
    dirs.push(dir);
    const hcl = tofuEncryptionEnv(dir).TF_ENCRYPTION;
    expect(hcl).toMatch(/remote_state_data_sources \{\s+default \{\s+method = method\.aes_gcm\.platform/);
  });

  test('a deleted Namespace: the provider waits (`wait`) only in the cluster stack, whose destroy deletes the cluster next; in the others the engine waits', async () => {
    const { docs } = await synth([stackOf(multicloud, 'cluster/eu'), stackOf(multicloud, 'observability/eu')]);
    const namespaces = (id: string): Block[] =>
      Object.values(docs.get(id)!.resource.kubectl_manifest).filter((r) => (JSON.parse(r.yaml_body as string) as { kind: string }).kind === 'Namespace');
    expect(namespaces('cluster/eu').length).toBeGreaterThan(0);
    for (const r of namespaces('cluster/eu')) expect(r.wait).toBe(true);
    expect(namespaces('observability/eu').length).toBeGreaterThan(0);
    for (const r of namespaces('observability/eu')) expect(r).not.toHaveProperty('wait');
  });

  test('local regions are unchanged: their kubeconfig file and context, no remote state', async () => {
    const mesh = stackOf(multicloud, 'mesh/eu');
    const local = { ...mesh, region: { ...mesh.region, cloud: 'local' as const } };
    const { docs } = await synth([local]);
    const doc = docs.get('mesh/eu')!;
    expect(doc.data).toBeUndefined();
    expect(doc.provider.kubectl[0]).toMatchObject({ config_path: '../../../local/kubeconfig', config_context: 'eu', load_config_file: true });
  });
});
