/**
 * AWS for the Pulumi engine: the records of ./resources.ts as @pulumi/aws resources (each record's class
 * or invoke by its token, ../pulumi-shared.ts) under the providers configured here; this module itself is
 * loaded lazily by src/clouds/index.ts, only when a region is on AWS. Where the SDK names an argument
 * differently from the Terraform binding, `ARGS` maps it.
 */
import type * as pulumi from '@pulumi/pulumi';
import { Provider } from '@pulumi/aws/provider.js';
import { Provider as GcpProvider } from '@pulumi/gcp/provider.js';
import type { StackInstance } from '../../stacks/types.js';
import type { PulumiCloudResult } from '../pulumi-types.js';
import { registerRecords, renameKeys } from '../pulumi-shared.js';
import { buildAws } from './resources.js';

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
  const result = registerRecords(build, { provider: (pkg) => providers.get(pkg)!, args: ARGS, attributes: ATTRIBUTES });
  result.resources.unshift(...providers.values());
  return result;
}
