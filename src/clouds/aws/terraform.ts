/**
 * AWS for the Terraform engine: the records of ./resources.ts as typed @cdktf/provider-aws constructs.
 * Deep imports only (the package index loads ~2,000 resource modules); this module itself is loaded
 * lazily by src/clouds/index.ts, only when a region is on AWS.
 */
import type { TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { Vpc } from '@cdktf/provider-aws/lib/vpc/index.js';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway/index.js';
import { DefaultRouteTable } from '@cdktf/provider-aws/lib/default-route-table/index.js';
import { Subnet } from '@cdktf/provider-aws/lib/subnet/index.js';
import { Eip } from '@cdktf/provider-aws/lib/eip/index.js';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway/index.js';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table/index.js';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider/index.js';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key/index.js';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster/index.js';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon/index.js';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group/index.js';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning/index.js';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy/index.js';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging/index.js';
import { S3BucketReplicationConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-replication-configuration/index.js';
import { DataAwsRoute53Zone } from '@cdktf/provider-aws/lib/data-aws-route53-zone/index.js';
import { Route53HealthCheck } from '@cdktf/provider-aws/lib/route53-health-check/index.js';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record/index.js';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider/index.js';
import { DataGoogleStorageTransferProjectServiceAccount } from '@cdktf/provider-google/lib/data-google-storage-transfer-project-service-account/index.js';
import { StorageTransferJob } from '@cdktf/provider-google/lib/storage-transfer-job/index.js';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member/index.js';
import type { StackInstance } from '../../stacks/types.js';
import { TERRAFORM_PROVIDERS } from '../common.js';
import { buildAws } from './resources.js';
import { connectKubectl, pinProvider, renderRecords } from '../terraform-shared.js';

const RESOURCES = [
  Vpc,
  InternetGateway,
  DefaultRouteTable,
  Subnet,
  Eip,
  NatGateway,
  RouteTable,
  RouteTableAssociation,
  IamRole,
  IamRolePolicy,
  IamRolePolicyAttachment,
  IamOpenidConnectProvider,
  KmsKey,
  CloudwatchLogGroup,
  EksCluster,
  EksAddon,
  EksNodeGroup,
  S3Bucket,
  S3BucketVersioningA,
  S3BucketServerSideEncryptionConfigurationA,
  S3BucketPublicAccessBlock,
  S3BucketPolicy,
  S3BucketLoggingA,
  S3BucketReplicationConfigurationA,
  Route53HealthCheck,
  Route53Record,
  StorageTransferJob,
  StorageBucketIamMember,
];
const DATA_SOURCES = [DataAwsRoute53Zone, DataGoogleStorageTransferProjectServiceAccount];

export function renderTerraform(scope: Construct, stack: StackInstance, kubectl: TerraformProvider): void {
  const build = buildAws(stack);
  for (const p of build.providers) {
    if (p.cloud === 'aws') {
      new AwsProvider(scope, 'aws', { region: p.region, defaultTags: [{ tags: p.tags }] });
      pinProvider(scope, TERRAFORM_PROVIDERS.aws);
    } else {
      new GoogleProvider(scope, 'google', { region: p.region });
      pinProvider(scope, TERRAFORM_PROVIDERS.gcp);
    }
  }
  renderRecords(scope, build, { resources: RESOURCES, dataSources: DATA_SOURCES });
  if (build.clusterAccess) connectKubectl(kubectl, build.clusterAccess);
}
