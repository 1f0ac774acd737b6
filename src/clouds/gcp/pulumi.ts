/**
 * GCP for the Pulumi engine: the records of ./resources.ts as @pulumi/gcp resources (each record's class
 * or invoke by its token, ../pulumi-shared.ts) under the provider configured here; loaded lazily by
 * src/clouds/index.ts only when a region is on GCP. Where the SDK names an argument differently from the
 * Terraform binding, `ARGS` maps it.
 */
import { Provider } from '@pulumi/gcp/provider.js';
import type { StackInstance } from '../../stacks/types.js';
import type { PulumiCloudResult } from '../pulumi-types.js';
import { registerRecords, renameKeys } from '../pulumi-shared.js';
import { buildGcp } from './resources.js';

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
  const result = registerRecords(build, { provider: () => providers[0], args: ARGS, attributes: ATTRIBUTES });
  result.resources.unshift(...providers);
  return result;
}
