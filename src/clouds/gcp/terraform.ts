/**
 * GCP for the Terraform engine: the records of ./resources.ts as typed @cdktf/provider-google constructs
 * (deep imports; loaded lazily by src/clouds/index.ts only when a region is on GCP).
 */
import type { TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider/index.js';
import { DataGoogleClientConfig } from '@cdktf/provider-google/lib/data-google-client-config/index.js';
import { DataGoogleProject } from '@cdktf/provider-google/lib/data-google-project/index.js';
import { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network/index.js';
import { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork/index.js';
import { ComputeRouter } from '@cdktf/provider-google/lib/compute-router/index.js';
import { ComputeRouterNat } from '@cdktf/provider-google/lib/compute-router-nat/index.js';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account/index.js';
import { ContainerCluster } from '@cdktf/provider-google/lib/container-cluster/index.js';
import { ContainerNodePool } from '@cdktf/provider-google/lib/container-node-pool/index.js';
import { KmsKeyRing } from '@cdktf/provider-google/lib/kms-key-ring/index.js';
import { KmsCryptoKey } from '@cdktf/provider-google/lib/kms-crypto-key/index.js';
import { KmsCryptoKeyIamMember } from '@cdktf/provider-google/lib/kms-crypto-key-iam-member/index.js';
import { DataGoogleStorageProjectServiceAccount } from '@cdktf/provider-google/lib/data-google-storage-project-service-account/index.js';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket/index.js';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member/index.js';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member/index.js';
import { DataGoogleStorageTransferProjectServiceAccount } from '@cdktf/provider-google/lib/data-google-storage-transfer-project-service-account/index.js';
import { StorageTransferJob } from '@cdktf/provider-google/lib/storage-transfer-job/index.js';
import { ComputeAddress } from '@cdktf/provider-google/lib/compute-address/index.js';
import { DataGoogleComputeAddress } from '@cdktf/provider-google/lib/data-google-compute-address/index.js';
import { ComputeHealthCheck } from '@cdktf/provider-google/lib/compute-health-check/index.js';
import { DnsRecordSet } from '@cdktf/provider-google/lib/dns-record-set/index.js';
import type { StackInstance } from '../../stacks/types.js';
import { TERRAFORM_PROVIDERS } from '../common.js';
import { connectKubectl, pinProvider, renderRecords } from '../terraform-shared.js';
import { buildGcp } from './resources.js';

const RESOURCES = [
  ComputeNetwork,
  ComputeSubnetwork,
  ComputeRouter,
  ComputeRouterNat,
  ServiceAccount,
  ContainerCluster,
  ContainerNodePool,
  KmsKeyRing,
  KmsCryptoKey,
  KmsCryptoKeyIamMember,
  StorageBucket,
  StorageBucketIamMember,
  ServiceAccountIamMember,
  StorageTransferJob,
  ComputeAddress,
  ComputeHealthCheck,
  DnsRecordSet,
];
const DATA_SOURCES = [
  DataGoogleClientConfig,
  DataGoogleProject,
  DataGoogleStorageProjectServiceAccount,
  DataGoogleStorageTransferProjectServiceAccount,
  DataGoogleComputeAddress,
];

export function renderTerraform(scope: Construct, stack: StackInstance, kubectl: TerraformProvider): void {
  const build = buildGcp(stack);
  for (const p of build.providers) new GoogleProvider(scope, 'google', { region: p.region, defaultLabels: p.tags });
  pinProvider(scope, TERRAFORM_PROVIDERS.gcp);
  renderRecords(scope, build, { resources: RESOURCES, dataSources: DATA_SOURCES });
  if (build.clusterAccess) connectKubectl(kubectl, build.clusterAccess);
}
