/**
 * A record names its SDK class in both engines: its Terraform kind resolves to a CDKTF binding whose
 * `tfResourceType` is the kind, its Pulumi token to the class registering that token (or the invoke of
 * a data source). Checked for every record the cloud builders produce for the examples and for a
 * primary/DR pair on each cloud, against the installed SDKs (real imports, no mocks).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { describe, expect, test } from 'vitest';
import { loadClouds, registerPulumiCloud } from '../../src/clouds/index.js';
import { pulumiClass, pulumiInvoke, pulumiModule, loadPulumiClasses } from '../../src/clouds/pulumi-shared.js';
import type { CloudResource } from '../../src/clouds/records.js';
import { cloudBuild } from '../../src/clouds/resources.js';
import { loadTerraformClasses, terraformClass, terraformModule } from '../../src/clouds/terraform-shared.js';
import { pulumiStackName } from '../../src/engines/pulumi/state.js';
import { Bug } from '../../src/errors.js';
import type { StackInstance } from '../../src/stacks/types.js';
import { repoRoot } from '../helpers/cli.js';
import { clusterStacks, exampleStacks, pairStacks, SAME_CLOUD } from './fixtures.js';

/** The cluster stacks of examples/multicloud (AWS + GCP) and examples/azure, and a primary/DR pair per cloud. */
const STACKS: StackInstance[] = [
  ...clusterStacks(exampleStacks('multicloud', 'terraform')),
  ...clusterStacks(exampleStacks('azure', 'terraform')),
  ...Object.values(SAME_CLOUD).flatMap(([primary, dr]) => Object.values(pairStacks('terraform', primary, dr))),
];
const RECORDS: CloudResource[] = STACKS.flatMap((s) => cloudBuild(s).resources);

/** Every kind literal the builders' sources hold: the fixtures must reach each code path that adds a record. */
const SOURCE_KINDS = new Set(
  ['aws/resources.ts', 'aws/to-gcs.ts', 'gcp/resources.ts', 'azure/resources.ts'].flatMap((f) =>
    [...readFileSync(join(repoRoot, 'src', 'clouds', f), 'utf8').matchAll(/'((?:data\.)?(?:aws|google|azurerm)_[a-z0-9_]+)'/g)].map((m) => m[1]),
  ),
);

/** One record per kind (Terraform) or token (Pulumi). */
const distinct = (key: (r: CloudResource) => string): CloudResource[] => [...new Map(RECORDS.map((r) => [key(r), r])).values()];

describe('every record kind resolves to an SDK class in both engines', { timeout: 120_000 }, () => {
  test('the stacks reach every record kind the builders can add', () => {
    expect(SOURCE_KINDS.size).toBeGreaterThan(60);
    expect([...SOURCE_KINDS].filter((k) => !RECORDS.some((r) => r.kind === k))).toEqual([]);
  });

  test('Terraform: each kind → the @cdktf/provider-* class whose tfResourceType is the kind', async () => {
    const records = distinct((r) => r.kind);
    await loadTerraformClasses(records.map((r) => r.kind));
    const mismatched = records.filter((r) => terraformClass(r).tfResourceType !== r.kind.replace(/^data\./, ''));
    expect(mismatched.map((r) => r.kind)).toEqual([]);
  });

  test('Pulumi: each token → the class registering that token, or a data source’s invoke', async () => {
    const records = distinct((r) => r.pulumiType);
    await loadPulumiClasses(records.map((r) => r.pulumiType));
    for (const r of records) {
      if (r.kind.startsWith('data.')) expect(typeof pulumiInvoke(r), r.pulumiType).toBe('function');
      else expect(pulumiClass(r).__pulumiType).toBe(r.pulumiType);
    }
  });
});

describe('where a kind or token lives', () => {
  test('CDKTF: the provider package by prefix, the module by name; data sources keep their data- prefix', () => {
    expect(terraformModule('aws_s3_bucket_versioning')).toEqual({
      specifier: '@cdktf/provider-aws/lib/s3-bucket-versioning/index.js',
      tfResourceType: 'aws_s3_bucket_versioning',
    });
    expect(terraformModule('data.aws_route53_zone').specifier).toBe('@cdktf/provider-aws/lib/data-aws-route53-zone/index.js');
    expect(terraformModule('google_storage_bucket_iam_member').specifier).toBe('@cdktf/provider-google/lib/storage-bucket-iam-member/index.js');
    expect(terraformModule('azurerm_kubernetes_cluster_node_pool').specifier).toBe('@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool/index.js');
    expect(() => terraformModule('kubectl_manifest')).toThrow(Bug);
  });

  test('Pulumi: the module by the token, the file by its name with the leading word in lower case', () => {
    expect(pulumiModule('aws:ec2/vpc:Vpc')).toEqual({ specifier: '@pulumi/aws/ec2/vpc.js', exportName: 'Vpc', invoke: false });
    expect(pulumiModule('gcp:serviceaccount/iAMMember:IAMMember').specifier).toBe('@pulumi/gcp/serviceaccount/iammember.js');
    expect(pulumiModule('gcp:storage/bucketIAMMember:BucketIAMMember').specifier).toBe('@pulumi/gcp/storage/bucketIAMMember.js');
    expect(pulumiModule('azure-native:network:PublicIPAddress').specifier).toBe('@pulumi/azure-native/network/publicIPAddress.js');
    expect(pulumiModule('aws:route53/getZone:getZone')).toEqual({ specifier: '@pulumi/aws/route53/getZone.js', exportName: 'getZoneOutput', invoke: true });
    expect(pulumiModule('aws:index/getRegion:getRegion').specifier).toBe('@pulumi/aws/getRegion.js');
    expect(pulumiModule('aws:kendra/index:Index').specifier).toBe('@pulumi/aws/kendra/index_.js');
    expect(() => pulumiModule('kubernetes:core/v1:Namespace')).toThrow(Bug);
  });

  test('a kind or token that is not there, or was not loaded, is a Bug naming it', async () => {
    await expect(loadTerraformClasses(['aws_no_such_thing'])).rejects.toThrow(
      /aws_no_such_thing: @cdktf\/provider-aws\/lib\/no-such-thing\/index\.js does not load/,
    );
    await expect(loadPulumiClasses(['aws:ec2/noSuchThing:NoSuchThing'])).rejects.toThrow(
      /aws:ec2\/noSuchThing:NoSuchThing: @pulumi\/aws\/ec2\/noSuchThing\.js/,
    );
    // A module that exists, with another token than the record's.
    await expect(loadPulumiClasses(['aws:ec2/vpc:Subnet'])).rejects.toThrow(Bug);
    expect(() => terraformClass({ kind: 'aws_never_loaded', name: 'x' })).toThrow(/aws_never_loaded \(record x\) was not loaded/);
    expect(() => pulumiClass({ kind: 'aws_never_loaded', pulumiType: 'aws:never/loaded:Loaded', name: 'x' })).toThrow(Bug);
  });
});

test('Pulumi: a data source’s invoke runs against the stack’s provider, with or without inputs', { timeout: 60_000 }, async () => {
  const { primary } = pairStacks('pulumi', ...SAME_CLOUD.gcp);
  const calls: Array<{ token: string; provider?: string }> = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs as Record<string, unknown> }),
      call: (args) => {
        calls.push({ token: args.token, provider: args.provider });
        return {};
      },
    },
    'platform',
    pulumiStackName(primary.id),
    false,
  );
  await loadClouds('pulumi', [primary]);
  const result = registerPulumiCloud(primary);
  await Promise.all(result.resources.map((r) => new Promise((resolve) => r.urn.apply(resolve))));
  // getClientConfig takes only options; getAddress takes its inputs first: both reach the google provider.
  const byToken = new Map(calls.map((c) => [c.token, c.provider]));
  expect(byToken.get('gcp:organizations/getClientConfig:getClientConfig')).toMatch(/pulumi:providers:gcp::google::/);
  expect(byToken.get('gcp:compute/getAddress:getAddress')).toMatch(/pulumi:providers:gcp::google::/);
});
