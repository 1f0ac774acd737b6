/**
 * GCP for the Pulumi engine: the records of ./resources.ts as @pulumi/gcp resources (per-resource module
 * imports; loaded lazily by src/clouds/index.ts only when a region is on GCP). Where the SDK names an
 * argument differently from the Terraform binding, `ARGS` maps it.
 */
import type * as pulumi from '@pulumi/pulumi';
import { Provider } from '@pulumi/gcp/provider.js';
import { getClientConfigOutput } from '@pulumi/gcp/organizations/getClientConfig.js';
import { getProjectOutput } from '@pulumi/gcp/organizations/getProject.js';
import { Network } from '@pulumi/gcp/compute/network.js';
import { Subnetwork } from '@pulumi/gcp/compute/subnetwork.js';
import { Router } from '@pulumi/gcp/compute/router.js';
import { RouterNat } from '@pulumi/gcp/compute/routerNat.js';
import { Account } from '@pulumi/gcp/serviceaccount/account.js';
import { IAMMember as ServiceAccountIAMMember } from '@pulumi/gcp/serviceaccount/iammember.js';
import { Cluster } from '@pulumi/gcp/container/cluster.js';
import { NodePool } from '@pulumi/gcp/container/nodePool.js';
import { KeyRing } from '@pulumi/gcp/kms/keyRing.js';
import { CryptoKey } from '@pulumi/gcp/kms/cryptoKey.js';
import { CryptoKeyIAMMember } from '@pulumi/gcp/kms/cryptoKeyIAMMember.js';
import { getProjectServiceAccountOutput } from '@pulumi/gcp/storage/getProjectServiceAccount.js';
import { getTransferProjectServiceAccountOutput } from '@pulumi/gcp/storage/getTransferProjectServiceAccount.js';
import { Bucket } from '@pulumi/gcp/storage/bucket.js';
import { BucketIAMMember } from '@pulumi/gcp/storage/bucketIAMMember.js';
import { TransferJob } from '@pulumi/gcp/storage/transferJob.js';
import { Address } from '@pulumi/gcp/compute/address.js';
import { getAddressOutput } from '@pulumi/gcp/compute/getAddress.js';
import { HealthCheck } from '@pulumi/gcp/compute/healthCheck.js';
import { RecordSet } from '@pulumi/gcp/dns/recordSet.js';
import type { StackInstance } from '../../stacks/types.js';
import type { PulumiCloudResult } from '../pulumi-types.js';
import { registerRecords, renameKeys, type Invoke, type PulumiClass } from '../pulumi-shared.js';
import { buildGcp } from './resources.js';

const CLASSES = [
  Network,
  Subnetwork,
  Router,
  RouterNat,
  Account,
  ServiceAccountIAMMember,
  Cluster,
  NodePool,
  KeyRing,
  CryptoKey,
  CryptoKeyIAMMember,
  Bucket,
  BucketIAMMember,
  TransferJob,
  Address,
  HealthCheck,
  RecordSet,
] as unknown as PulumiClass[];

type Out = pulumi.Output<Record<string, unknown>>;
const INVOKES: Record<string, Invoke> = {
  'data.google_client_config': (_, opts) => getClientConfigOutput(opts) as unknown as Out,
  'data.google_project': (_, opts) => getProjectOutput({}, opts) as unknown as Out,
  'data.google_storage_project_service_account': (_, opts) => getProjectServiceAccountOutput({}, opts) as unknown as Out,
  'data.google_storage_transfer_project_service_account': (_, opts) => getTransferProjectServiceAccountOutput({}, opts) as unknown as Out,
  'data.google_compute_address': (args, opts) => getAddressOutput(args as { name: string }, opts) as unknown as Out,
};

const ARGS = {
  google_compute_subnetwork: renameKeys({ secondaryIpRange: 'secondaryIpRanges' }),
  google_container_node_pool: ({ nodeConfig, ...rest }: Record<string, unknown>) => ({
    ...rest,
    nodeConfig: renameKeys({ taint: 'taints' })(nodeConfig as Record<string, unknown>),
  }),
  google_dns_record_set: ({ routingPolicy, ...rest }: Record<string, unknown>) => {
    const policy = routingPolicy as { primaryBackup: Record<string, unknown> } & Record<string, unknown>;
    return { ...rest, routingPolicy: { ...policy, primaryBackup: renameKeys({ backupGeo: 'backupGeos' })(policy.primaryBackup) } };
  },
};

const ATTRIBUTES = {
  'google_container_cluster.master_auth[0].cluster_ca_certificate': 'masterAuth.clusterCaCertificate',
};

export function renderPulumi(stack: StackInstance): PulumiCloudResult {
  const build = buildGcp(stack);
  const providers = build.providers.map((p) => new Provider('google', { region: p.region, defaultLabels: p.tags }));
  const result = registerRecords(build, { classes: CLASSES, invokes: INVOKES, provider: () => providers[0], args: ARGS, attributes: ATTRIBUTES });
  result.resources.unshift(...providers);
  return result;
}
