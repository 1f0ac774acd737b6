/**
 * AWS: a cluster stack's intents as engine-neutral records (../resources.ts). Hardened by default
 * (docs/policy.md): nodes in private subnets behind one NAT gateway per zone, the EKS API private or
 * limited to `publicAccessCidrs`, Kubernetes secrets encrypted with a KMS key, control-plane logs
 * (audit included) in CloudWatch, network policies enforced by the VPC CNI, and a backup bucket that is
 * KMS-encrypted, versioned, closed to the public and access-logged into its own log bucket.
 */
import type { SourcePath } from '../../objects/model.js';
import type { StackInstance } from '../../stacks/types.js';
import {
  awsZones,
  cloudTags,
  drPeer,
  failoverRecords,
  groupIntents,
  originHost,
  parentDomain,
  replicationKind,
  subnetCidrs,
  type ClusterIntents,
} from '../common.js';
import { hasPublicEndpoint, kubeconfigOutput, poolScheduling } from '../cluster.js';
import { CloudBuilder, type CloudBuild, type Handle } from '../records.js';
import { buildS3ToGcsTransfer } from './to-gcs.js';
import { accessLogDeliveryPolicy, assumeRole, awsKubeconfig, eksNodePolicies, irsaTrust, replicationPolicy, veleroS3Policy } from './policies.js';

/** Control-plane log types sent to CloudWatch (`audit`: who did what through the API). */
export const EKS_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];
/** How long control-plane logs are kept. */
export const CONTROL_PLANE_LOG_DAYS = 90;
/** The VPC CNI enforces NetworkPolicy objects (EKS ≥ 1.25 with the managed add-on). */
export const VPC_CNI_CONFIGURATION = JSON.stringify({ enableNetworkPolicy: 'true' });

export function buildAws(stack: StackInstance): CloudBuild {
  const intents = groupIntents(stack.cloud);
  const location = stack.region.location;
  const b = new CloudBuilder();
  b.provider({ cloud: 'aws', region: location, tags: cloudTags(stack) });

  const nodeSubnets = intents.network ? network(b, intents.network, location) : [];
  const cluster = intents.cluster ? eks(b, intents.cluster, nodeSubnets, location) : undefined;
  if (intents.bucket) backupBucket(b, intents, cluster);
  dnsFailover(b, stack, intents);
  return b.build;
}

type Of<K extends keyof ClusterIntents> = NonNullable<ClusterIntents[K]>;

/**
 * Public subnets (one per zone) hold the load balancers and the NAT gateways; nodes live in private
 * subnets whose default route is their zone's NAT gateway. No subnet hands out public IPs.
 */
function network(b: CloudBuilder, net: Of<'network'>, location: string): Handle[] {
  const src = { source: net.source };
  const vpc = b.add(
    'aws_vpc',
    'aws:ec2/vpc:Vpc',
    'vpc',
    { cidrBlock: net.cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: net.name } },
    src,
  );
  const igw = b.add('aws_internet_gateway', 'aws:ec2/internetGateway:InternetGateway', 'igw', { vpcId: vpc.id, tags: { Name: net.name } }, src);
  b.add(
    'aws_default_route_table',
    'aws:ec2/defaultRouteTable:DefaultRouteTable',
    'routes',
    { defaultRouteTableId: vpc.attr('default_route_table_id'), route: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }] },
    src,
  );
  const zones = awsZones(location, net.zones);
  const cidrs = subnetCidrs(net.cidr, 2 * net.zones);
  return zones.map((zone, i) => {
    // Lets the AWS load balancer controller place the gateway's internet-facing load balancer here.
    const publicSubnet = b.add(
      'aws_subnet',
      'aws:ec2/subnet:Subnet',
      `subnet-${zone}`,
      {
        vpcId: vpc.id,
        cidrBlock: cidrs[i],
        availabilityZone: zone,
        mapPublicIpOnLaunch: false,
        tags: { Name: `${net.name}-${zone}`, 'kubernetes.io/role/elb': '1' },
      },
      src,
    );
    const ip = b.add('aws_eip', 'aws:ec2/eip:Eip', `nat-ip-${zone}`, { domain: 'vpc', tags: { Name: `${net.name}-nat-${zone}` } }, src);
    const nat = b.add(
      'aws_nat_gateway',
      'aws:ec2/natGateway:NatGateway',
      `nat-${zone}`,
      { allocationId: ip.id, subnetId: publicSubnet.id, tags: { Name: `${net.name}-${zone}` } },
      { ...src, dependsOn: [igw] },
    );
    const nodes = b.add(
      'aws_subnet',
      'aws:ec2/subnet:Subnet',
      `nodes-${zone}`,
      {
        vpcId: vpc.id,
        cidrBlock: cidrs[net.zones + i],
        availabilityZone: zone,
        mapPublicIpOnLaunch: false,
        tags: { Name: `${net.name}-nodes-${zone}`, 'kubernetes.io/role/internal-elb': '1' },
      },
      src,
    );
    const routes = b.add(
      'aws_route_table',
      'aws:ec2/routeTable:RouteTable',
      `nodes-routes-${zone}`,
      { vpcId: vpc.id, route: [{ cidrBlock: '0.0.0.0/0', natGatewayId: nat.id }], tags: { Name: `${net.name}-nodes-${zone}` } },
      src,
    );
    b.add(
      'aws_route_table_association',
      'aws:ec2/routeTableAssociation:RouteTableAssociation',
      `nodes-routes-${zone}-association`,
      { subnetId: nodes.id, routeTableId: routes.id },
      src,
    );
    return nodes;
  });
}

/** An IAM role an AWS service assumes (EKS for the control plane, EC2 for nodes, S3 for replication). */
function serviceRole(b: CloudBuilder, record: string, name: string, service: string, src: { source?: SourcePath }): Handle {
  return b.add('aws_iam_role', 'aws:iam/role:Role', record, { name, assumeRolePolicy: assumeRole(service) }, src);
}

function eks(b: CloudBuilder, c: Of<'cluster'>, subnets: Handle[], location: string): { cluster: Handle; oidc: Handle } {
  const src = { source: c.source };
  const clusterRole = serviceRole(b, 'cluster-role', `${c.name}-cluster`, 'eks.amazonaws.com', src);
  const clusterPolicy = b.add(
    'aws_iam_role_policy_attachment',
    'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
    'cluster-role-policy',
    { role: clusterRole.attr('name'), policyArn: 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy' },
    src,
  );
  // Envelope encryption of Secrets in etcd with a customer-managed, rotated key.
  const key = b.add(
    'aws_kms_key',
    'aws:kms/key:Key',
    'cluster-secrets-key',
    { description: `${c.name}: Kubernetes secrets`, enableKeyRotation: true, deletionWindowInDays: 30 },
    src,
  );
  // Created before the cluster, so EKS writes into a group with a retention rather than an unbounded one.
  const logs = b.add(
    'aws_cloudwatch_log_group',
    'aws:cloudwatch/logGroup:LogGroup',
    'cluster-logs',
    { name: `/aws/eks/${c.name}/cluster`, retentionInDays: CONTROL_PLANE_LOG_DAYS },
    src,
  );
  const publicAccess = hasPublicEndpoint(c);
  const cluster = b.add(
    'aws_eks_cluster',
    'aws:eks/cluster:Cluster',
    'cluster',
    {
      name: c.name,
      version: c.version,
      roleArn: clusterRole.attr('arn'),
      vpcConfig: {
        subnetIds: subnets.map((s) => s.id),
        endpointPrivateAccess: true,
        endpointPublicAccess: publicAccess,
        ...(publicAccess ? { publicAccessCidrs: c.publicAccessCidrs } : {}),
      },
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: key.attr('arn') } },
      enabledClusterLogTypes: EKS_LOG_TYPES,
    },
    { ...src, dependsOn: [clusterPolicy, logs] },
  );
  const nodeRole = serviceRole(b, 'node-role', `${c.name}-node`, 'ec2.amazonaws.com', src);
  const nodePolicies = eksNodePolicies.map((arn) =>
    b.add(
      'aws_iam_role_policy_attachment',
      'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
      `node-role-${arn.split('/').pop()}`,
      { role: nodeRole.attr('name'), policyArn: arn },
      src,
    ),
  );
  b.add(
    'aws_eks_addon',
    'aws:eks/addon:Addon',
    'vpc-cni',
    {
      clusterName: cluster.attr('name'),
      addonName: 'vpc-cni',
      configurationValues: VPC_CNI_CONFIGURATION,
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
    },
    src,
  );
  for (const pool of c.pools) {
    b.add(
      'aws_eks_node_group',
      'aws:eks/nodeGroup:NodeGroup',
      `pool-${pool.name}`,
      {
        clusterName: cluster.attr('name'),
        nodeGroupName: pool.name,
        nodeRoleArn: nodeRole.attr('arn'),
        subnetIds: subnets.map((s) => s.id),
        instanceTypes: [pool.machine],
        scalingConfig: { minSize: pool.min, maxSize: pool.max, desiredSize: pool.min },
        ...poolScheduling(pool),
      },
      { ...src, dependsOn: nodePolicies },
    );
  }
  // IRSA: the cluster's OIDC issuer as an IAM identity provider, so service accounts can assume roles.
  const oidc = b.add(
    'aws_iam_openid_connect_provider',
    'aws:iam/openIdConnectProvider:OpenIdConnectProvider',
    'oidc',
    { url: cluster.attr('identity[0].oidc[0].issuer'), clientIdList: ['sts.amazonaws.com'] },
    src,
  );
  const endpoint = cluster.attr('endpoint');
  const ca = cluster.attr('certificate_authority[0].data');
  b.output(kubeconfigOutput(awsKubeconfig({ name: c.name, endpoint, ca, location })));
  b.build.clusterAccess = {
    host: endpoint,
    caCertificate: ca,
    exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws', args: ['eks', 'get-token', '--cluster-name', c.name, '--region', location] },
  };
  return { cluster, oidc };
}

function backupBucket(b: CloudBuilder, intents: ClusterIntents, eksCluster: { cluster: Handle; oidc: Handle } | undefined): void {
  const bk = intents.bucket!;
  const src = { source: bk.source };
  const bucket = b.add('aws_s3_bucket', 'aws:s3/bucket:Bucket', 'backup-bucket', { bucket: bk.name }, src);
  const versioning = b.add(
    'aws_s3_bucket_versioning',
    'aws:s3/bucketVersioning:BucketVersioning',
    'backup-bucket-versioning',
    { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } },
    src,
  );
  b.add(
    'aws_s3_bucket_server_side_encryption_configuration',
    'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
    'backup-bucket-encryption',
    { bucket: bucket.id, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' }, bucketKeyEnabled: true }] },
    src,
  );
  publicAccessBlock(b, 'backup-bucket-public-access', bucket, src);

  // Server access logs go to a bucket of their own (SSE-S3: log delivery cannot write SSE-KMS objects).
  const logs = b.add('aws_s3_bucket', 'aws:s3/bucket:Bucket', 'backup-logs', { bucket: `${bk.name}-logs` }, src);
  b.add(
    'aws_s3_bucket_server_side_encryption_configuration',
    'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
    'backup-logs-encryption',
    { bucket: logs.id, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] },
    src,
  );
  publicAccessBlock(b, 'backup-logs-public-access', logs, src);
  b.add(
    'aws_s3_bucket_policy',
    'aws:s3/bucketPolicy:BucketPolicy',
    'backup-logs-policy',
    { bucket: logs.id, policy: accessLogDeliveryPolicy(logs.attr('arn'), bucket.attr('arn')) },
    src,
  );
  b.add(
    'aws_s3_bucket_logging',
    'aws:s3/bucketLogging:BucketLogging',
    'backup-bucket-logging',
    { bucket: bucket.id, targetBucket: logs.id, targetPrefix: 'access/' },
    src,
  );

  if (bk.replicateTo) {
    const target = bk.replicateTo;
    if (replicationKind('aws', target.cloud) === 'native') {
      // S3 cross-region replication of every object version (and deletes) to the DR region's bucket.
      const role = serviceRole(b, 'replication-role', `${bk.name}-replication`, 's3.amazonaws.com', src);
      b.add(
        'aws_iam_role_policy',
        'aws:iam/rolePolicy:RolePolicy',
        'replication-policy',
        { role: role.id, policy: replicationPolicy(bucket.attr('arn'), `arn:aws:s3:::${target.bucket}`) },
        src,
      );
      b.add(
        'aws_s3_bucket_replication_configuration',
        'aws:s3/bucketReplicationConfig:BucketReplicationConfig',
        'backup-bucket-replication',
        {
          bucket: bucket.id,
          role: role.attr('arn'),
          rule: [
            {
              id: `to-${target.region}`,
              status: 'Enabled',
              filter: { prefix: '' },
              deleteMarkerReplication: { status: 'Enabled' },
              destination: { bucket: `arn:aws:s3:::${target.bucket}`, storageClass: 'STANDARD' },
            },
          ],
        },
        { ...src, dependsOn: [versioning] },
      );
    } else {
      buildS3ToGcsTransfer(b, { sourceBucket: bucket.attr('bucket'), sourceBucketArn: bucket.attr('arn'), target, name: bk.name }, src);
    }
  }

  if (intents.identity && eksCluster) {
    const id = intents.identity;
    const isrc = { source: id.source };
    // IRSA: only the velero/velero service account of this cluster may assume the role.
    const trust = irsaTrust(eksCluster.oidc.attr('arn'), eksCluster.oidc.attr('url'), id.namespace, id.serviceAccount);
    const role = b.add('aws_iam_role', 'aws:iam/role:Role', 'backup-identity', { name: id.name, assumeRolePolicy: trust }, isrc);
    b.add(
      'aws_iam_role_policy',
      'aws:iam/rolePolicy:RolePolicy',
      'backup-identity-policy',
      { role: role.id, policy: veleroS3Policy(bucket.attr('arn')) },
      isrc,
    );
    b.output({ name: 'backupIdentity', value: role.attr('arn'), description: `eks.amazonaws.com/role-arn for ${id.namespace}/${id.serviceAccount}` });
  }
}

function publicAccessBlock(b: CloudBuilder, name: string, bucket: Handle, src: { source?: SourcePath }): void {
  b.add(
    'aws_s3_bucket_public_access_block',
    'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
    name,
    { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
    src,
  );
}

/**
 * Route 53 failover: `<host>` CNAMEs with a PRIMARY record on this region's origin and, for the DR
 * region, a SECONDARY record on its origin, each with an HTTPS health check of the gateway's health path.
 * The records live in the primary's DNS (rendered by the primary; a DR region renders none).
 */
function dnsFailover(b: CloudBuilder, stack: StackInstance, intents: ClusterIntents): void {
  const peer = drPeer(intents);
  for (const { record: r, id, src } of failoverRecords(intents)) {
    const zone = b.add('data.aws_route53_zone', 'aws:route53/getZone:getZone', `zone-${id}`, { name: parentDomain(r.host), privateZone: false }, src);
    const targets: Array<{ region: string; role: 'PRIMARY' | 'SECONDARY' }> = [{ region: stack.region.name, role: 'PRIMARY' }];
    if (peer) targets.push({ region: peer.region, role: 'SECONDARY' });
    for (const t of targets) {
      const origin = originHost(t.region, r.host);
      const check = b.add(
        'aws_route53_health_check',
        'aws:route53/healthCheck:HealthCheck',
        `health-${id}-${t.region}`,
        { type: 'HTTPS', fqdn: origin, port: 443, resourcePath: r.healthCheckPath, failureThreshold: 3, requestInterval: 10, tags: { Name: origin } },
        src,
      );
      b.add(
        'aws_route53_record',
        'aws:route53/record:Record',
        `failover-${id}-${t.region}`,
        {
          zoneId: zone.attr('zone_id'),
          name: r.host,
          type: 'CNAME',
          ttl: 30,
          records: [origin],
          setIdentifier: t.region,
          failoverRoutingPolicy: { type: t.role },
          healthCheckId: check.id,
        },
        src,
      );
    }
  }
}
