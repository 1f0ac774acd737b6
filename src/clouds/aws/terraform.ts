/**
 * AWS for the Terraform engine: a cluster stack's intents as typed @cdktf/provider-aws resources.
 * Deep imports only (the package index loads ~2,000 resource modules); this module itself is loaded
 * lazily by src/clouds/index.ts, only when a region is on AWS.
 */
import { Fn, TerraformOutput, type TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { Vpc } from '@cdktf/provider-aws/lib/vpc/index.js';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway/index.js';
import { DefaultRouteTable } from '@cdktf/provider-aws/lib/default-route-table/index.js';
import { Subnet } from '@cdktf/provider-aws/lib/subnet/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider/index.js';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster/index.js';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group/index.js';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning/index.js';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js';
import { S3BucketReplicationConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-replication-configuration/index.js';
import { DataAwsRoute53Zone } from '@cdktf/provider-aws/lib/data-aws-route53-zone/index.js';
import { Route53HealthCheck } from '@cdktf/provider-aws/lib/route53-health-check/index.js';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record/index.js';
import type { StackInstance } from '../../stacks/types.js';
import { awsZones, cloudTags, dashed, drPeer, groupIntents, originHost, parentDomain, replicationKind, subnetCidrs, TERRAFORM_PROVIDERS } from '../common.js';
import { exportKubeconfig, pinProvider } from '../terraform-shared.js';
import { renderS3ToGcsTransfer } from './to-gcs-terraform.js';
import { awsKubeconfig, eksNodePolicies, veleroS3Policy, assumeRole, irsaTrust, replicationPolicy, POOL_TAINT } from './policies.js';

export function renderTerraform(scope: Construct, stack: StackInstance, kubectl: TerraformProvider): void {
  const intents = groupIntents(stack.cloud);
  const location = stack.region.location;
  const tags = cloudTags(stack);
  new AwsProvider(scope, 'aws', { region: location, defaultTags: [{ tags }] });
  pinProvider(scope, TERRAFORM_PROVIDERS.aws);

  let subnets: Subnet[] = [];
  if (intents.network) {
    const net = intents.network;
    const vpc = new Vpc(scope, 'vpc', { cidrBlock: net.cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: net.name } });
    const igw = new InternetGateway(scope, 'igw', { vpcId: vpc.id, tags: { Name: net.name } });
    new DefaultRouteTable(scope, 'routes', { defaultRouteTableId: vpc.defaultRouteTableId, route: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }] });
    const zones = awsZones(location, net.zones);
    subnets = subnetCidrs(net.cidr, net.zones).map(
      (cidr, i) =>
        new Subnet(scope, `subnet-${zones[i]}`, {
          vpcId: vpc.id,
          cidrBlock: cidr,
          availabilityZone: zones[i],
          mapPublicIpOnLaunch: true,
          // Lets the AWS load balancer controller place the gateway's load balancer here.
          tags: { Name: `${net.name}-${zones[i]}`, 'kubernetes.io/role/elb': '1' },
        }),
    );
  }

  let cluster: EksCluster | undefined;
  let oidc: IamOpenidConnectProvider | undefined;
  if (intents.cluster) {
    const c = intents.cluster;
    const clusterRole = new IamRole(scope, 'cluster-role', { name: `${c.name}-cluster`, assumeRolePolicy: assumeRole('eks.amazonaws.com') });
    const clusterPolicy = new IamRolePolicyAttachment(scope, 'cluster-role-policy', { role: clusterRole.name, policyArn: 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy' });
    cluster = new EksCluster(scope, 'cluster', {
      name: c.name,
      version: c.version,
      roleArn: clusterRole.arn,
      vpcConfig: { subnetIds: subnets.map((s) => s.id), endpointPublicAccess: true },
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true },
      dependsOn: [clusterPolicy],
    });
    const nodeRole = new IamRole(scope, 'node-role', { name: `${c.name}-node`, assumeRolePolicy: assumeRole('ec2.amazonaws.com') });
    const nodePolicies = eksNodePolicies.map((arn) => new IamRolePolicyAttachment(scope, `node-role-${arn.split('/').pop()}`, { role: nodeRole.name, policyArn: arn }));
    for (const pool of c.pools) {
      new EksNodeGroup(scope, `pool-${pool.name}`, {
        clusterName: cluster.name,
        nodeGroupName: pool.name,
        nodeRoleArn: nodeRole.arn,
        subnetIds: subnets.map((s) => s.id),
        instanceTypes: [pool.machine],
        scalingConfig: { minSize: pool.min, maxSize: pool.max, desiredSize: pool.min },
        labels: { 'platform.dev/pool': pool.role },
        // The system pool only runs what tolerates CriticalAddonsOnly (CoreDNS, Istio, Velero, …).
        taint: pool.role === 'system' ? [{ key: POOL_TAINT, value: 'true', effect: 'NO_SCHEDULE' }] : undefined,
        dependsOn: nodePolicies,
      });
    }
    // IRSA: the cluster's OIDC issuer as an IAM identity provider, so service accounts can assume roles.
    oidc = new IamOpenidConnectProvider(scope, 'oidc', { url: cluster.identity.get(0).oidc.get(0).issuer, clientIdList: ['sts.amazonaws.com'] });
    const kubeconfig = awsKubeconfig({ name: c.name, endpoint: cluster.endpoint, ca: cluster.certificateAuthority.get(0).data, location });
    exportKubeconfig(scope, kubectl, kubeconfig, {
      host: cluster.endpoint,
      cluster_ca_certificate: Fn.base64decode(cluster.certificateAuthority.get(0).data),
      exec: { api_version: 'client.authentication.k8s.io/v1beta1', command: 'aws', args: ['eks', 'get-token', '--cluster-name', c.name, '--region', location] },
    });
  }

  if (intents.bucket) {
    const b = intents.bucket;
    const bucket = new S3Bucket(scope, 'backup-bucket', { bucket: b.name });
    const versioning = new S3BucketVersioningA(scope, 'backup-bucket-versioning', { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketServerSideEncryptionConfigurationA(scope, 'backup-bucket-encryption', {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' }, bucketKeyEnabled: true }],
    });
    new S3BucketPublicAccessBlock(scope, 'backup-bucket-public-access', { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    if (b.replicateTo) {
      const target = b.replicateTo;
      if (replicationKind('aws', target.cloud) === 'native') {
        // S3 cross-region replication of every object version (and deletes) to the DR region's bucket.
        const role = new IamRole(scope, 'replication-role', { name: `${b.name}-replication`, assumeRolePolicy: assumeRole('s3.amazonaws.com') });
        new IamRolePolicy(scope, 'replication-policy', { role: role.id, policy: replicationPolicy(bucket.arn, `arn:aws:s3:::${target.bucket}`) });
        new S3BucketReplicationConfigurationA(scope, 'backup-bucket-replication', {
          bucket: bucket.id,
          role: role.arn,
          rule: [
            {
              id: `to-${target.region}`,
              status: 'Enabled',
              filter: { prefix: '' },
              deleteMarkerReplication: { status: 'Enabled' },
              destination: { bucket: `arn:aws:s3:::${target.bucket}`, storageClass: 'STANDARD' },
            },
          ],
          dependsOn: [versioning],
        });
      } else {
        renderS3ToGcsTransfer(scope, { sourceBucket: bucket.bucket, sourceBucketArn: bucket.arn, target, name: b.name });
      }
    }

    if (intents.identity && cluster && oidc) {
      const id = intents.identity;
      // IRSA: only the velero/velero service account of this cluster may assume the role.
      const role = new IamRole(scope, 'backup-identity', { name: id.name, assumeRolePolicy: irsaTrust(oidc.arn, oidc.url, id.namespace, id.serviceAccount) });
      new IamRolePolicy(scope, 'backup-identity-policy', { role: role.id, policy: veleroS3Policy(bucket.arn) });
      new TerraformOutput(scope, 'backup_identity', { value: role.arn, description: `eks.amazonaws.com/role-arn for ${id.namespace}/${id.serviceAccount}` });
    }
  }

  renderDnsFailover(scope, stack, intents.dns, drPeer(intents));
}

/**
 * Route 53 failover: `<host>` CNAMEs with a PRIMARY record on this region's origin and, for the DR
 * region, a SECONDARY record on its origin, each with an HTTPS health check of the gateway's health path.
 * The records live in the primary's DNS (rendered by the primary; a DR region renders none).
 */
function renderDnsFailover(scope: Construct, stack: StackInstance, records: ReturnType<typeof groupIntents>['dns'], peer?: { region: string }): void {
  for (const r of records.filter((d) => d.role === 'primary')) {
    const id = dashed(r.host);
    const zone = new DataAwsRoute53Zone(scope, `zone-${id}`, { name: parentDomain(r.host), privateZone: false });
    const targets: Array<{ region: string; role: 'PRIMARY' | 'SECONDARY' }> = [{ region: stack.region.name, role: 'PRIMARY' }];
    if (peer) targets.push({ region: peer.region, role: 'SECONDARY' });
    for (const t of targets) {
      const origin = originHost(t.region, r.host);
      const check = new Route53HealthCheck(scope, `health-${id}-${t.region}`, {
        type: 'HTTPS',
        fqdn: origin,
        port: 443,
        resourcePath: r.healthCheckPath,
        failureThreshold: 3,
        requestInterval: 10,
        tags: { Name: origin },
      });
      new Route53Record(scope, `failover-${id}-${t.region}`, {
        zoneId: zone.zoneId,
        name: r.host,
        type: 'CNAME',
        ttl: 30,
        records: [origin],
        setIdentifier: t.region,
        failoverRoutingPolicy: { type: t.role },
        healthCheckId: check.id,
      });
    }
  }
}
