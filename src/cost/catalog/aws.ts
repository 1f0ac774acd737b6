/** What src/clouds/aws/{terraform,pulumi}.ts (and aws/to-gcs.ts) create for a cluster stack, priced. */
import { awsZones, drPeer, failoverRecords, replicationKind, type ClusterIntents } from '../../clouds/common.js';
import { eksNodePolicies } from '../../clouds/aws/policies.js';
import { TRANSFER_SINK_ROLES } from '../../clouds/gcp/names.js';
import type { StackInstance } from '../../stacks/types.js';
import type { UsageValues } from '../usage.js';
import { dataSource, item, noCharge, notPriced, poolNodes, both, free, hours, perMonth, provider, pulumiOnly, type BillItem } from './common.js';

/** Route 53 health checks the renderers configure: HTTPS, and a 10-second request interval — two optional features each. */
const HEALTH_CHECK_OPTIONS = 2;

export function awsBill(stack: StackInstance, intents: ClusterIntents, usage: UsageValues, hoursPerMonth: number): BillItem[] {
  const region = stack.region.location;
  const items: BillItem[] = [item(pulumiOnly('pulumi:providers:aws'), 'aws', provider())];
  const network = (types: BillItem['types'], name: string): BillItem => item(types, name, free('aws', 'free.network', region));
  const iam = (types: BillItem['types'], name: string): BillItem => item(types, name, free('aws', 'free.iam', region));
  const role = (name: string) => iam(both('aws_iam_role', 'aws:iam/role:Role'), name);
  const rolePolicy = (name: string) => iam(both('aws_iam_role_policy', 'aws:iam/rolePolicy:RolePolicy'), name);

  if (intents.network) {
    items.push(network(both('aws_vpc', 'aws:ec2/vpc:Vpc'), 'vpc'));
    items.push(network(both('aws_internet_gateway', 'aws:ec2/internetGateway:InternetGateway'), 'igw'));
    items.push(network(both('aws_default_route_table', 'aws:ec2/defaultRouteTable:DefaultRouteTable'), 'routes'));
    for (const zone of awsZones(region, intents.network.zones)) {
      items.push(network(both('aws_subnet', 'aws:ec2/subnet:Subnet'), `subnet-${zone}`));
      items.push(network(both('aws_subnet', 'aws:ec2/subnet:Subnet'), `nodes-${zone}`));
      items.push(network(both('aws_route_table', 'aws:ec2/routeTable:RouteTable'), `nodes-routes-${zone}`));
      items.push(network(both('aws_route_table_association', 'aws:ec2/routeTableAssociation:RouteTableAssociation'), `nodes-routes-${zone}-association`));
      items.push(
        item(
          both('aws_eip', 'aws:ec2/eip:Eip'),
          `nat-ip-${zone}`,
          perMonth('aws', 'ec2.publicIpv4', region, 'public IPv4 of the NAT gateway', hours(1, hoursPerMonth)),
        ),
      );
      items.push(
        item(
          both('aws_nat_gateway', 'aws:ec2/natGateway:NatGateway'),
          `nat-${zone}`,
          perMonth('aws', 'nat.gateway', region, `NAT gateway (${zone})`, hours(1, hoursPerMonth)),
          notPriced(
            'data processed',
            'each GB the nodes send out through the NAT gateway (image pulls, calls to cloud APIs) depends on the workloads; not estimated',
          ),
        ),
      );
    }
  }

  if (intents.cluster) {
    const c = intents.cluster;
    items.push(role('cluster-role'));
    items.push(iam(both('aws_iam_role_policy_attachment', 'aws:iam/rolePolicyAttachment:RolePolicyAttachment'), 'cluster-role-policy'));
    items.push(
      item(
        both('aws_kms_key', 'aws:kms/key:Key'),
        'cluster-secrets-key',
        perMonth('aws', 'kms.key', region, 'key for Kubernetes secrets', 1),
        notPriced('KMS requests', 'the API server calls KMS when it reads or writes a Secret; how often depends on the workloads'),
      ),
    );
    items.push(
      item(
        both('aws_cloudwatch_log_group', 'aws:cloudwatch/logGroup:LogGroup'),
        'cluster-logs',
        notPriced(
          'control-plane logs',
          'CloudWatch Logs bills each GB of control-plane logs ingested and stored (90 days); the volume depends on the API traffic',
        ),
      ),
    );
    items.push(item(both('aws_eks_addon', 'aws:eks/addon:Addon'), 'vpc-cni', free('aws', 'free.eksAddon', region)));
    items.push(
      item(both('aws_eks_cluster', 'aws:eks/cluster:Cluster'), 'cluster', perMonth('aws', 'eks.cluster', region, 'EKS control plane', hours(1, hoursPerMonth))),
    );
    items.push(role('node-role'));
    for (const arn of eksNodePolicies)
      items.push(iam(both('aws_iam_role_policy_attachment', 'aws:iam/rolePolicyAttachment:RolePolicyAttachment'), `node-role-${arn.split('/').pop()}`));
    for (const pool of c.pools) {
      items.push(
        item(
          both('aws_eks_node_group', 'aws:eks/nodeGroup:NodeGroup'),
          `pool-${pool.name}`, // Private subnets: the nodes have no public IPv4 address (egress goes through the NAT gateways).
          poolNodes('aws', region, pool, hoursPerMonth),
          notPriced(
            'root volumes of the nodes',
            'EBS root volume of each node (20 GiB by default for EKS managed node groups; its volume type comes from the launch template the AMI sets) — no EBS price in this table',
          ),
        ),
      );
    }
    items.push(iam(both('aws_iam_openid_connect_provider', 'aws:iam/openIdConnectProvider:OpenIdConnectProvider'), 'oidc'));
  }

  if (intents.bucket) {
    const b = intents.bucket;
    const config = (types: BillItem['types'], name: string): BillItem => item(types, name, free('aws', 'free.s3Configuration', region));
    items.push(
      item(
        both('aws_s3_bucket', 'aws:s3/bucket:Bucket'),
        'backup-bucket',
        perMonth('aws', 's3.standard', region, 'storage', usage.backupStorageGb, 'usage assumption: backupStorageGb'),
        notPriced('requests and KMS calls', 'S3 requests and the KMS calls of SSE-KMS depend on how often Velero writes and reads; not estimated'),
      ),
    );
    items.push(config(both('aws_s3_bucket_versioning', 'aws:s3/bucketVersioning:BucketVersioning'), 'backup-bucket-versioning'));
    items.push(
      config(
        both('aws_s3_bucket_server_side_encryption_configuration', 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration'),
        'backup-bucket-encryption',
      ),
    );
    items.push(config(both('aws_s3_bucket_public_access_block', 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock'), 'backup-bucket-public-access'));
    items.push(
      item(
        both('aws_s3_bucket', 'aws:s3/bucket:Bucket'),
        'backup-logs',
        notPriced('access logs', 'server access logs are stored (and billed) as objects; their volume depends on how often Velero reads and writes'),
      ),
    );
    items.push(
      config(
        both('aws_s3_bucket_server_side_encryption_configuration', 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration'),
        'backup-logs-encryption',
      ),
    );
    items.push(config(both('aws_s3_bucket_public_access_block', 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock'), 'backup-logs-public-access'));
    items.push(config(both('aws_s3_bucket_policy', 'aws:s3/bucketPolicy:BucketPolicy'), 'backup-logs-policy'));
    items.push(config(both('aws_s3_bucket_logging', 'aws:s3/bucketLogging:BucketLogging'), 'backup-bucket-logging'));
    if (b.replicateTo) {
      const target = b.replicateTo;
      const copied = usage.replicatedGbPerMonth;
      if (replicationKind('aws', target.cloud) === 'native') {
        items.push(role('replication-role'));
        items.push(rolePolicy('replication-policy'));
        items.push(
          item(
            both('aws_s3_bucket_replication_configuration', 'aws:s3/bucketReplicationConfig:BucketReplicationConfig'),
            'backup-bucket-replication',
            perMonth(
              'aws',
              'transfer.interRegion',
              region,
              `replication to ${target.region} (${target.location})`,
              copied,
              'usage assumption: replicatedGbPerMonth',
            ),
          ),
        );
      } else {
        // S3 → GCS: Storage Transfer Service pulls over the internet; AWS bills the egress.
        items.push(item(pulumiOnly('pulumi:providers:gcp'), 'google', provider()));
        items.push(dataSource('google_storage_transfer_project_service_account', 'transfer-agent', 'the Storage Transfer service agent'));
        items.push(role('transfer-role'));
        items.push(rolePolicy('transfer-read'));
        for (const r of TRANSFER_SINK_ROLES) {
          items.push(
            item(
              both('google_storage_bucket_iam_member', 'gcp:storage/bucketIAMMember:BucketIAMMember'),
              `transfer-sink-${r.split('.').pop()}`,
              free('gcp', 'free.iam', target.location),
            ),
          );
        }
        items.push(
          item(
            both('google_storage_transfer_job', 'gcp:storage/transferJob:TransferJob'),
            'backup-bucket-replication',
            perMonth('aws', 'transfer.internet', region, `egress to ${target.region} (${target.location})`, copied, 'usage assumption: replicatedGbPerMonth'),
            notPriced('Storage Transfer Service', 'the per-GB fee of Storage Transfer Service for transfers from S3 (if any) is not in this table'),
          ),
        );
      }
    }
    if (intents.identity && intents.cluster) {
      items.push(role('backup-identity'));
      items.push(rolePolicy('backup-identity-policy'));
    }
  }

  // Route 53 failover: records and health checks in the primary's DNS (the hosted zone is looked up).
  const peer = drPeer(intents);
  for (const { record: r, id } of failoverRecords(intents)) {
    items.push(dataSource('aws_route53_zone', `zone-${id}`, `the hosted zone of ${r.host}`));
    const targets = [{ region: stack.region.name, cloud: 'aws', primary: true }];
    if (peer) targets.push({ region: peer.region, cloud: peer.cloud, primary: false });
    for (const t of targets) {
      const kind = t.cloud === 'aws' ? 'aws' : 'nonAws';
      const where = t.cloud === 'aws' ? 'an AWS endpoint' : `an endpoint on ${t.cloud}`;
      items.push(
        item(
          both('aws_route53_health_check', 'aws:route53/healthCheck:HealthCheck'),
          `health-${id}-${t.region}`,
          perMonth('aws', `route53.healthCheck.${kind}`, region, `health check of ${where}`, 1),
          perMonth('aws', `route53.healthCheckOption.${kind}`, region, 'options: HTTPS, 10-second interval', HEALTH_CHECK_OPTIONS),
        ),
      );
      items.push(
        item(
          both('aws_route53_record', 'aws:route53/record:Record'),
          `failover-${id}-${t.region}`,
          // One answer per query whichever record serves it: the queries are counted once, on the primary record.
          t.primary
            ? perMonth('aws', 'route53.queries', region, `DNS queries for ${r.host}`, usage.dnsQueriesPerMonth / 1e6, 'usage assumption: dnsQueriesPerMonth')
            : noCharge(
                'failover record',
                `records have no charge of their own; the queries for ${r.host} are counted once, on the primary record`,
                'https://aws.amazon.com/route53/pricing/',
              ),
        ),
      );
    }
  }
  return items;
}
