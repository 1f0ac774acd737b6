/** assertCloudReady (before plan/apply), kube access of cloud regions, and the pure helpers. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { assertCloudReady, cloudsOf } from '../../src/clouds/index.js';
import { engineDescriptor } from '../../src/engines/registry.js';
import { kubeAccess, regionAccess } from '../../src/kube/access.js';
import { CLOUD_LOCATIONS, defaultLocations, replicationKind, subnetCidrs } from '../../src/clouds/common.js';
import { ExternalError } from '../../src/errors.js';
import { hostPlatform, tfMirrorDir } from '../../src/toolchain/layout.js';
import { exampleStacks, pairStacks, SAME_CLOUD } from './fixtures.js';

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'clouds-ready-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A machine with nothing installed and no credentials (HOME, PATH and mirror all empty). */
function bareMachine() {
  const root = tempDir();
  const toolchain = join(root, 'toolchain');
  return {
    projectDir: join(root, 'project'),
    home: join(root, 'home'),
    mirrorDir: tfMirrorDir(toolchain),
    env: { PATH: join(root, 'bin'), PLATFORM_TOOLCHAIN_DIR: toolchain } as NodeJS.ProcessEnv,
  };
}
const errorOf = (fn: () => void): ExternalError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ExternalError) return e;
    throw e;
  }
  throw new Error('expected an ExternalError');
};

const terraform = await engineDescriptor('terraform');
const pulumi = await engineDescriptor('pulumi');

describe('assertCloudReady', () => {
  const multicloud = exampleStacks('multicloud', 'terraform');
  const clusterEu = multicloud.filter((s) => s.id === 'cluster/eu');

  test('Terraform offline: one error naming each missing provider (with version) and credential, and how to fix each', () => {
    const m = bareMachine();
    const e = errorOf(() => assertCloudReady(clusterEu, terraform, m));
    expect(e.message).toBe(
      'cluster/eu cannot run on this machine: missing OpenTofu provider hashicorp/aws 6.25.0, hashicorp/google 6.50.0 (there is no registry access to download them); AWS credentials; GCP credentials',
    );
    expect(e.hint).toContain(`into the provider mirror ${m.mirrorDir}`);
    expect(e.hint).toContain('AWS_ACCESS_KEY_ID');
    expect(e.hint).toContain('GOOGLE_APPLICATION_CREDENTIALS');
  });

  test('passes once the providers are in the mirror and the credentials are set (environment or CLI files)', () => {
    const m = bareMachine();
    for (const p of ['hashicorp/aws/6.25.0', 'hashicorp/google/6.50.0'])
      mkdirSync(join(m.mirrorDir, 'registry.opentofu.org', p, hostPlatform()), { recursive: true });
    const env = { ...m.env, AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 'x', GOOGLE_APPLICATION_CREDENTIALS: '/k.json' };
    expect(() => assertCloudReady(clusterEu, terraform, { ...m, env })).not.toThrow();
    // Only the credentials missing now: the message says so and nothing about providers.
    expect(errorOf(() => assertCloudReady(clusterEu, terraform, m)).message).toBe(
      'cluster/eu cannot run on this machine: missing AWS credentials; GCP credentials',
    );
    mkdirSync(join(m.home, '.aws'), { recursive: true });
    writeFileSync(join(m.home, '.aws', 'credentials'), '[default]\n');
    mkdirSync(join(m.home, '.config', 'gcloud'), { recursive: true });
    writeFileSync(join(m.home, '.config', 'gcloud', 'application_default_credentials.json'), '{}');
    expect(() => assertCloudReady(clusterEu, terraform, m)).not.toThrow();
  });

  test('Pulumi: the resource plugins under the project PULUMI_HOME (or on PATH)', () => {
    const m = bareMachine();
    const { primary } = pairStacks('pulumi', ...SAME_CLOUD.azure);
    const env = { ...m.env, ARM_CLIENT_ID: 'c', ARM_TENANT_ID: 't', ARM_SUBSCRIPTION_ID: 's' };
    const e = errorOf(() => assertCloudReady([primary], pulumi, { ...m, env }));
    expect(e.message).toContain('missing Pulumi resource plugin azure-native 3.28.0');
    // No kubeconfig file: the cluster stack's own objects use its new cluster's output.
    expect(e.message).not.toContain('kubeconfig');
    expect(e.hint).toContain('pulumi plugin install resource azure-native 3.28.0');
    const plugin = join(m.projectDir, '.platform', 'pulumi-home', 'plugins', 'resource-azure-native-v3.28.0');
    mkdirSync(plugin, { recursive: true });
    writeFileSync(join(plugin, 'pulumi-resource-azure-native'), '');
    expect(() => assertCloudReady([primary], pulumi, { ...m, env })).not.toThrow();
  });

  test("a cloud region's Kubernetes stacks need no kubeconfig file: they read the cluster stack's output through the engine", () => {
    const m = bareMachine();
    const k8s = multicloud.filter((s) => s.layer !== 'cluster' && s.region.name === 'eu');
    expect(k8s.length).toBeGreaterThan(3);
    expect(() => assertCloudReady(k8s, terraform, m)).not.toThrow();
    expect(() => assertCloudReady(k8s, pulumi, m)).not.toThrow();
  });

  test('local-only runs need nothing', () => {
    const m = bareMachine();
    const local = exampleStacks('multicloud', 'terraform').map((s) => ({ ...s, region: { ...s.region, cloud: 'local' as const }, cloud: [] }));
    expect(() => assertCloudReady(local, terraform, m)).not.toThrow();
    expect(cloudsOf(local)).toEqual(new Set());
  });
});

describe('kube access and helpers', () => {
  test('a cloud region without cluster: reads its cluster stack output; with cluster: the explicit kubeconfig', () => {
    const mesh = exampleStacks('multicloud', 'terraform').find((s) => s.id === 'mesh/eu')!;
    // Every stack of the region reaches the one cluster: the output kubeconfig's context is the cluster's name.
    expect(regionAccess({ name: 'acme' }, mesh.region, '/p')).toEqual({
      via: 'cluster-output',
      clusterStack: 'cluster/eu',
      output: 'kubeconfig',
      context: 'acme-eu',
    });
    expect(() => kubeAccess({ name: 'acme' }, mesh.region, '/p')).toThrow(/kubeconfig output of cluster\/eu/);
    expect(kubeAccess({ name: 'acme' }, { ...mesh.region, cluster: { kubeconfig: '/k', context: 'c' } }, '/p')).toEqual({ kubeconfig: '/k', context: 'c' });
    expect(kubeAccess({ name: 'acme' }, { ...mesh.region, cluster: { kubeconfig: '~/k' } }, '/p', { HOME: '/home/ana' })).toEqual({
      kubeconfig: '/home/ana/k',
      context: 'eu',
    });
  });

  test("a DR bucket's cloud is the DR region's `cloud:` from config, whatever its location id looks like", () => {
    // `us` and `eu` are what `init --no-local` used to write as locations: shaped like Azure ids, on AWS/GCP.
    for (const cloud of ['aws', 'gcp', 'azure'] as const) {
      const { primary } = pairStacks('terraform', { cloud, location: 'eu' }, { cloud, location: 'us' });
      const bucket = primary.cloud.find((i) => i.kind === 'backupBucket');
      expect(bucket).toMatchObject({ replicateTo: { region: 'two', location: 'us', cloud } });
    }
    const { primary } = pairStacks('terraform', SAME_CLOUD.aws[0], { cloud: 'gcp', location: 'us' });
    expect(primary.cloud.find((i) => i.kind === 'backupBucket')).toMatchObject({ replicateTo: { cloud: 'gcp' } });
  });

  test("init's default locations are real ids of the cloud, distinct, hinted by the region name", () => {
    expect(defaultLocations('aws', ['eu', 'us'])).toEqual(['eu-west-1', 'us-east-1']);
    expect(defaultLocations('gcp', ['us', 'us-2', 'asia'])).toEqual(['us-central1', 'us-east1', 'asia-southeast1']);
    expect(defaultLocations('azure', ['primary', 'backup'])).toEqual(['eastus', 'westeurope']);
    for (const cloud of ['aws', 'gcp', 'azure'] as const) {
      const ids = defaultLocations(cloud, ['eu', 'us', 'ap', 'x', 'y']);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(id).toMatch(CLOUD_LOCATIONS[cloud].pattern);
    }
  });

  test('which replications are supported; subnets inside the /16', () => {
    expect(replicationKind('aws', 'aws')).toBe('native');
    expect(replicationKind('aws', 'gcp')).toBe('s3-to-gcs');
    expect(() => replicationKind('azure', 'gcp')).toThrow(/not supported yet/);
    expect(subnetCidrs('10.7.0.0/16', 3)).toEqual(['10.7.0.0/20', '10.7.16.0/20', '10.7.32.0/20']);
  });
});
