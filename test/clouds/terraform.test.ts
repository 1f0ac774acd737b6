/**
 * The Terraform side of src/clouds: cluster stacks synthesized through the engine's own synth (the
 * hook in src/engines/terraform/synth.ts), read back as Terraform JSON.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { loadClouds, renderTerraformCloud } from '../../src/clouds/index.js';
import { resolveStateLocation } from '../../src/state/location.js';
import { synthTerraform } from '../../src/engines/terraform/synth.js';
import type { StackInstance } from '../../src/stacks/types.js';
import { clusterStacks, exampleStacks, pairStacks, SAME_CLOUD } from './fixtures.js';

type Block = Record<string, unknown>;
interface TfDoc {
  terraform: { required_providers: Record<string, { source: string; version: string }> };
  provider: Record<string, Block[]>;
  resource: Record<string, Record<string, Block>>;
  data?: Record<string, Record<string, Block>>;
  output?: Partial<Record<string, { value: string; sensitive?: boolean }>>;
}

const dirs: string[] = [];
let savedAccount: string | undefined;
beforeAll(() => {
  // The azblob backend reads the storage account from the environment: keep snapshots independent of it.
  savedAccount = process.env.ARM_STORAGE_ACCOUNT_NAME;
  delete process.env.ARM_STORAGE_ACCOUNT_NAME;
});
afterAll(() => {
  if (savedAccount !== undefined) process.env.ARM_STORAGE_ACCOUNT_NAME = savedAccount;
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function synth(stacks: StackInstance[]): Promise<Map<string, TfDoc>> {
  const dir = mkdtempSync(join(tmpdir(), 'clouds-tf-'));
  dirs.push(dir);
  await loadClouds('terraform', stacks);
  // The cloud resources and the stack's own objects; its CRDs and installs are pinned in test/engines/control-plane.int.test.ts.
  const out = await synthTerraform(stacks, join(dir, '.platform', 'tf'), {
    projectDir: dir,
    project: 'acme',
    state: resolveStateLocation(undefined, dir),
    controlPlaneFor: () => [],
  });
  return new Map([...out].map(([id, s]) => [id, JSON.parse(readFileSync(s.file, 'utf8')) as TfDoc]));
}

/** The document without CDKTF's construct-path metadata (noise for a reader of the snapshot). */
const withoutMetadata = (doc: TfDoc): unknown => JSON.parse(JSON.stringify(doc, (k, v: unknown) => (k === '//' ? undefined : v)));
const only = <T>(byName: Record<string, T> | undefined): T[] => Object.values(byName ?? {});

describe('Terraform snapshots of the cluster stacks', { timeout: 60_000 }, () => {
  test('examples/multicloud (AWS primary, GCP DR)', async () => {
    const docs = await synth(clusterStacks(exampleStacks('multicloud', 'terraform')));
    expect([...docs.keys()]).toEqual(['cluster/eu', 'cluster/us']);
    for (const [id, doc] of docs) expect(withoutMetadata(doc)).toMatchSnapshot(id);
  });

  test('examples/azure (Azure primary and DR)', async () => {
    const docs = await synth(clusterStacks(exampleStacks('azure', 'terraform')));
    expect([...docs.keys()]).toEqual(['cluster/we', 'cluster/ne']);
    for (const [id, doc] of docs) expect(withoutMetadata(doc)).toMatchSnapshot(id);
  });
});

describe('Terraform rendering per cloud', { timeout: 60_000 }, () => {
  test('required_providers name the registry source and the version the bindings were generated for', async () => {
    const docs = await synth([...clusterStacks(exampleStacks('multicloud', 'terraform')), ...clusterStacks(exampleStacks('azure', 'terraform'))]);
    expect(docs.get('cluster/eu')!.terraform.required_providers).toMatchObject({
      aws: { source: 'hashicorp/aws', version: '6.25.0' },
      google: { source: 'hashicorp/google', version: '6.50.0' },
    });
    expect(docs.get('cluster/us')!.terraform.required_providers.google).toEqual({ source: 'hashicorp/google', version: '6.50.0' });
    expect(docs.get('cluster/us')!.terraform.required_providers.aws).toBeUndefined();
    expect(docs.get('cluster/we')!.terraform.required_providers.azurerm).toEqual({ source: 'hashicorp/azurerm', version: '4.55.0' });
  });

  test('AWS: S3 replication to the DR bucket, Route 53 PRIMARY/SECONDARY with health checks, two EKS pools, IRSA', async () => {
    const { primary, dr } = pairStacks('terraform', ...SAME_CLOUD.aws);
    const docs = await synth([primary, dr]);
    const doc = docs.get(primary.id)!;
    const [replication] = only(doc.resource.aws_s3_bucket_replication_configuration);
    expect(replication).toMatchObject({ rule: [{ status: 'Enabled', destination: { bucket: 'arn:aws:s3:::pair-two-backups' } }] });
    expect(only(doc.resource.aws_s3_bucket_versioning)[0]).toMatchObject({ versioning_configuration: { status: 'Enabled' } });
    const records = only(doc.resource.aws_route53_record);
    expect(records.map((r) => [r.name, (r.failover_routing_policy as Block).type, r.records])).toEqual([
      ['app.pair.example', 'PRIMARY', ['one.app.pair.example']],
      ['app.pair.example', 'SECONDARY', ['two.app.pair.example']],
    ]);
    for (const r of records) expect(r.health_check_id).toMatch(/^\$\{aws_route53_health_check\..+\.id\}$/);
    expect(only(doc.resource.aws_route53_health_check).map((h) => h.resource_path)).toEqual(['/healthz/ready', '/healthz/ready']);
    const pools = only(doc.resource.aws_eks_node_group);
    expect(pools.map((p) => [p.node_group_name, p.scaling_config, Boolean(p.taint)])).toEqual([
      ['system', { desired_size: 2, max_size: 3, min_size: 2 }, true],
      ['workload', { desired_size: 3, max_size: 20, min_size: 3 }, false],
    ]);
    const trust = JSON.parse(doc.resource.aws_iam_role['backup-identity'].assume_role_policy as string) as {
      Statement: Array<{ Condition: { StringEquals: Record<string, string> } }>;
    };
    expect(Object.values(trust.Statement[0].Condition.StringEquals)).toContain('system:serviceaccount:velero:velero');
    // The DR region renders its own bucket and cluster, and no failover records (they live in the primary's DNS).
    expect(docs.get(dr.id)!.resource.aws_route53_record).toBeUndefined();
    expect(docs.get(dr.id)!.resource.aws_s3_bucket_replication_configuration).toBeUndefined();
  });

  test('GCP: a Storage Transfer job into the DR bucket, Cloud DNS primary/backup routing with a health check, two GKE pools', async () => {
    const { primary } = pairStacks('terraform', ...SAME_CLOUD.gcp);
    const doc = (await synth([primary])).get(primary.id)!;
    const [job] = only(doc.resource.google_storage_transfer_job);
    expect(job).toMatchObject({ transfer_spec: { gcs_data_sink: { bucket_name: 'pair-two-backups' } } });
    expect(only(doc.resource.google_storage_bucket)[0]).toMatchObject({
      versioning: { enabled: true },
      encryption: { default_kms_key_name: '${google_kms_crypto_key.backup-key.id}' },
    });
    const [record] = only(doc.resource.google_dns_record_set);
    expect(record).toMatchObject({
      name: 'app.pair.example.',
      routing_policy: { health_check: '${google_compute_health_check.health-app-pair-example.id}', primary_backup: { backup_geo: [{ location: 'us-east1' }] } },
    });
    expect(only(doc.resource.google_container_node_pool).map((p) => [p.name, p.autoscaling])).toEqual([
      ['system', { total_max_node_count: 3, total_min_node_count: 2 }],
      ['workload', { total_max_node_count: 20, total_min_node_count: 3 }],
    ]);
    expect(only(doc.resource.google_service_account_iam_member)[0]).toMatchObject({
      role: 'roles/iam.workloadIdentityUser',
      member: 'serviceAccount:${data.google_client_config.current.project}.svc.id.goog[velero/velero]',
    });
  });

  test('Azure: blob object replication, a Traffic Manager priority profile, AKS system + workload pools, a federated identity', async () => {
    const { primary } = pairStacks('terraform', ...SAME_CLOUD.azure);
    const doc = (await synth([primary])).get(primary.id)!;
    expect(only(doc.resource.azurerm_storage_object_replication)[0]).toMatchObject({
      destination_storage_account_id: '${data.azurerm_storage_account.replica-account.id}',
    });
    expect(only(doc.data?.azurerm_storage_account)[0]).toMatchObject({ name: 'pairtwobackups', resource_group_name: 'pair-two' });
    expect(only(doc.resource.azurerm_storage_account)[0]).toMatchObject({
      blob_properties: { versioning_enabled: true, change_feed_enabled: true },
      infrastructure_encryption_enabled: true,
    });
    expect(only(doc.resource.azurerm_traffic_manager_profile)[0]).toMatchObject({
      traffic_routing_method: 'Priority',
      monitor_config: { path: '/healthz/ready', protocol: 'HTTPS' },
    });
    expect(only(doc.resource.azurerm_traffic_manager_azure_endpoint)[0]).toMatchObject({ priority: 1 });
    expect(only(doc.resource.azurerm_traffic_manager_external_endpoint)[0]).toMatchObject({ priority: 2, target: 'two.app.pair.example' });
    expect(only(doc.resource.azurerm_kubernetes_cluster)[0]).toMatchObject({
      default_node_pool: { name: 'system', min_count: 2, max_count: 3, only_critical_addons_enabled: true },
    });
    expect(only(doc.resource.azurerm_kubernetes_cluster_node_pool)[0]).toMatchObject({ name: 'workload', mode: 'User', min_count: 3, max_count: 20 });
    expect(only(doc.resource.azurerm_federated_identity_credential)[0]).toMatchObject({ subject: 'system:serviceaccount:velero:velero' });
    expect(doc.output?.kubeconfig?.sensitive).toBe(true);
  });

  test("a cloud cluster stack's Velero objects go to the new cluster: kubectl configured from the cluster, kubeconfig exported", async () => {
    const { primary } = pairStacks('terraform', ...SAME_CLOUD.aws);
    const doc = (await synth([primary])).get(primary.id)!;
    const [kubectl] = doc.provider.kubectl;
    expect(kubectl).toMatchObject({ host: '${aws_eks_cluster.cluster.endpoint}', load_config_file: false, exec: { command: 'aws' } });
    expect(kubectl).not.toHaveProperty('config_path');
    expect(JSON.parse(doc.output!.kubeconfig!.value)).toMatchObject({
      'current-context': 'pair-one',
      clusters: [{ cluster: { server: '${aws_eks_cluster.cluster.endpoint}' } }],
    });
  });

  test("the DR region's cloud comes from its `cloud:`, not from the shape of its location id", async () => {
    // An AWS DR region whose location reads like an Azure id (`us`) still gets native S3 replication.
    const { primary } = pairStacks('terraform', { cloud: 'aws', location: 'eu' }, { cloud: 'aws', location: 'us' });
    const doc = (await synth([primary])).get(primary.id)!;
    expect(only(doc.resource.aws_s3_bucket_replication_configuration)).toHaveLength(1);
  });

  test('cross-cloud pairs other than AWS → GCP are refused with a usage error', async () => {
    const { primary } = pairStacks('terraform', SAME_CLOUD.gcp[0], SAME_CLOUD.aws[1]);
    await expect(synth([primary])).rejects.toThrow(/backup replication from gcp to aws is not supported/);
  });

  test('rendering a cloud stack whose renderer was never loaded is a Bug, not a silent omission', async () => {
    const { Testing, TerraformStack } = await import('cdktf');
    const { primary } = pairStacks('terraform', ...SAME_CLOUD.azure);
    const stack = new TerraformStack(Testing.app(), 'x');
    // A fresh module instance: nothing loaded yet.
    vi.resetModules();
    const fresh = await import('../../src/clouds/index.js');
    expect(fresh.renderTerraformCloud).not.toBe(renderTerraformCloud);
    expect(() => fresh.renderTerraformCloud(stack, primary, undefined as never)).toThrow(/azure renderer for Terraform was not loaded/);
  });
});
