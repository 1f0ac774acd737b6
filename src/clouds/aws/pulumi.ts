/**
 * AWS for the Pulumi engine: the records of ./resources.ts as @pulumi/aws resources, imported per
 * resource module (the package index loads every AWS service); this module itself is loaded lazily by
 * src/clouds/index.ts, only when a region is on AWS. Where the SDK names an argument differently from
 * the Terraform binding, `ARGS` maps it.
 */
import type * as pulumi from '@pulumi/pulumi';
import { Provider } from '@pulumi/aws/provider.js';
import { Vpc } from '@pulumi/aws/ec2/vpc.js';
import { InternetGateway } from '@pulumi/aws/ec2/internetGateway.js';
import { DefaultRouteTable } from '@pulumi/aws/ec2/defaultRouteTable.js';
import { Subnet } from '@pulumi/aws/ec2/subnet.js';
import { Eip } from '@pulumi/aws/ec2/eip.js';
import { NatGateway } from '@pulumi/aws/ec2/natGateway.js';
import { RouteTable } from '@pulumi/aws/ec2/routeTable.js';
import { RouteTableAssociation } from '@pulumi/aws/ec2/routeTableAssociation.js';
import { Role } from '@pulumi/aws/iam/role.js';
import { RolePolicy } from '@pulumi/aws/iam/rolePolicy.js';
import { RolePolicyAttachment } from '@pulumi/aws/iam/rolePolicyAttachment.js';
import { OpenIdConnectProvider } from '@pulumi/aws/iam/openIdConnectProvider.js';
import { Key } from '@pulumi/aws/kms/key.js';
import { LogGroup } from '@pulumi/aws/cloudwatch/logGroup.js';
import { Cluster } from '@pulumi/aws/eks/cluster.js';
import { Addon } from '@pulumi/aws/eks/addon.js';
import { NodeGroup } from '@pulumi/aws/eks/nodeGroup.js';
import { Bucket } from '@pulumi/aws/s3/bucket.js';
import { BucketVersioning } from '@pulumi/aws/s3/bucketVersioning.js';
import { BucketServerSideEncryptionConfiguration } from '@pulumi/aws/s3/bucketServerSideEncryptionConfiguration.js';
import { BucketPublicAccessBlock } from '@pulumi/aws/s3/bucketPublicAccessBlock.js';
import { BucketPolicy } from '@pulumi/aws/s3/bucketPolicy.js';
import { BucketLogging } from '@pulumi/aws/s3/bucketLogging.js';
import { BucketReplicationConfig } from '@pulumi/aws/s3/bucketReplicationConfig.js';
import { getZoneOutput } from '@pulumi/aws/route53/getZone.js';
import { HealthCheck } from '@pulumi/aws/route53/healthCheck.js';
import { Record as DnsRecord } from '@pulumi/aws/route53/record.js';
import { Provider as GcpProvider } from '@pulumi/gcp/provider.js';
import { getTransferProjectServiceAccountOutput } from '@pulumi/gcp/storage/getTransferProjectServiceAccount.js';
import { TransferJob } from '@pulumi/gcp/storage/transferJob.js';
import { BucketIAMMember } from '@pulumi/gcp/storage/bucketIAMMember.js';
import type { StackInstance } from '../../stacks/types.js';
import type { PulumiCloudResult } from '../pulumi-types.js';
import { registerRecords, renameKeys, type Invoke, type PulumiClass } from '../pulumi-shared.js';
import { buildAws } from './resources.js';

const CLASSES: PulumiClass[] = [
  Vpc,
  InternetGateway,
  DefaultRouteTable,
  Subnet,
  Eip,
  NatGateway,
  RouteTable,
  RouteTableAssociation,
  Role,
  RolePolicy,
  RolePolicyAttachment,
  OpenIdConnectProvider,
  Key,
  LogGroup,
  Cluster,
  Addon,
  NodeGroup,
  Bucket,
  BucketVersioning,
  BucketServerSideEncryptionConfiguration,
  BucketPublicAccessBlock,
  BucketPolicy,
  BucketLogging,
  BucketReplicationConfig,
  HealthCheck,
  DnsRecord,
  TransferJob,
  BucketIAMMember,
] as unknown as PulumiClass[];

const INVOKES: Record<string, Invoke> = {
  'data.aws_route53_zone': (args, opts) => getZoneOutput(args, opts) as unknown as pulumi.Output<Record<string, unknown>>,
  'data.google_storage_transfer_project_service_account': (args, opts) =>
    getTransferProjectServiceAccountOutput(args, opts) as unknown as pulumi.Output<Record<string, unknown>>,
};

/** The Pulumi SDK's argument shapes where they differ from the Terraform binding's. */
const ARGS = {
  aws_default_route_table: renameKeys({ route: 'routes' }),
  aws_route_table: renameKeys({ route: 'routes' }),
  aws_eks_node_group: renameKeys({ taint: 'taints' }),
  aws_iam_openid_connect_provider: renameKeys({ clientIdList: 'clientIdLists' }),
  aws_s3_bucket_server_side_encryption_configuration: renameKeys({ rule: 'rules' }),
  aws_s3_bucket_replication_configuration: renameKeys({ rule: 'rules' }),
  aws_route53_record: ({ failoverRoutingPolicy, ...rest }: Record<string, unknown>) => ({
    ...rest,
    failoverRoutingPolicies: failoverRoutingPolicy ? [failoverRoutingPolicy] : undefined,
  }),
};

/** Output paths that are not the camelCase of the Terraform attribute (a one-element list is an object or plural). */
const ATTRIBUTES = {
  'aws_eks_cluster.identity[0].oidc[0].issuer': 'identities[0].oidcs[0].issuer',
  'aws_eks_cluster.certificate_authority[0].data': 'certificateAuthority.data',
};

export function renderPulumi(stack: StackInstance): PulumiCloudResult {
  const build = buildAws(stack);
  const providers = new Map<string, pulumi.ProviderResource>();
  for (const p of build.providers) {
    if (p.cloud === 'aws') providers.set('aws', new Provider('aws', { region: p.region as never, defaultTags: { tags: p.tags } }));
    else providers.set('gcp', new GcpProvider('google', { region: p.region }));
  }
  const result = registerRecords(build, { classes: CLASSES, invokes: INVOKES, provider: (pkg) => providers.get(pkg)!, args: ARGS, attributes: ATTRIBUTES });
  result.resources.unshift(...providers.values());
  return result;
}
