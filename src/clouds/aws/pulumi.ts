/**
 * AWS for the Pulumi engine: a cluster stack's intents as @pulumi/aws resources, imported per resource
 * module (the package index loads every AWS service); this module itself is loaded lazily by
 * src/clouds/index.ts, only when a region is on AWS. Mirrors ./terraform.ts resource for resource.
 */
import * as pulumi from '@pulumi/pulumi';
import { Provider } from '@pulumi/aws/provider.js';
import { Vpc } from '@pulumi/aws/ec2/vpc.js';
import { InternetGateway } from '@pulumi/aws/ec2/internetGateway.js';
import { DefaultRouteTable } from '@pulumi/aws/ec2/defaultRouteTable.js';
import { Subnet } from '@pulumi/aws/ec2/subnet.js';
import { Role } from '@pulumi/aws/iam/role.js';
import { RolePolicy } from '@pulumi/aws/iam/rolePolicy.js';
import { RolePolicyAttachment } from '@pulumi/aws/iam/rolePolicyAttachment.js';
import { OpenIdConnectProvider } from '@pulumi/aws/iam/openIdConnectProvider.js';
import { Cluster } from '@pulumi/aws/eks/cluster.js';
import { NodeGroup } from '@pulumi/aws/eks/nodeGroup.js';
import { Bucket } from '@pulumi/aws/s3/bucket.js';
import { BucketVersioning } from '@pulumi/aws/s3/bucketVersioning.js';
import { BucketServerSideEncryptionConfiguration } from '@pulumi/aws/s3/bucketServerSideEncryptionConfiguration.js';
import { BucketPublicAccessBlock } from '@pulumi/aws/s3/bucketPublicAccessBlock.js';
import { BucketReplicationConfig } from '@pulumi/aws/s3/bucketReplicationConfig.js';
import { getZoneOutput } from '@pulumi/aws/route53/getZone.js';
import { HealthCheck } from '@pulumi/aws/route53/healthCheck.js';
import { Record as DnsRecord } from '@pulumi/aws/route53/record.js';
import type { StackInstance } from '../../stacks/types.js';
import type { PulumiCloudResult } from '../pulumi-types.js';
import { Registry } from '../pulumi-shared.js';
import { awsZones, cloudTags, dashed, drPeer, groupIntents, originHost, parentDomain, replicationKind, subnetCidrs } from '../common.js';
import { assumeRole, awsKubeconfig, eksNodePolicies, irsaTrust, POOL_TAINT, replicationPolicy, veleroS3Policy } from './policies.js';
import { registerS3ToGcsTransfer } from './to-gcs-pulumi.js';

export function renderPulumi(stack: StackInstance): PulumiCloudResult {
  const intents = groupIntents(stack.cloud);
  const location = stack.region.location;
  const reg = new Registry();
  const provider = reg.add(new Provider('aws', { region: location, defaultTags: { tags: cloudTags(stack) } }));
  const opts = (dependsOn?: pulumi.Resource[]): pulumi.CustomResourceOptions => ({ provider, dependsOn });

  let subnets: Subnet[] = [];
  if (intents.network) {
    const net = intents.network;
    const vpc = reg.add(new Vpc('vpc', { cidrBlock: net.cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: net.name } }, opts()));
    const igw = reg.add(new InternetGateway('igw', { vpcId: vpc.id, tags: { Name: net.name } }, opts()));
    reg.add(new DefaultRouteTable('routes', { defaultRouteTableId: vpc.defaultRouteTableId, routes: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }] }, opts()));
    const zones = awsZones(location, net.zones);
    subnets = subnetCidrs(net.cidr, net.zones).map((cidr, i) =>
      reg.add(
        new Subnet(
          `subnet-${zones[i]}`,
          { vpcId: vpc.id, cidrBlock: cidr, availabilityZone: zones[i], mapPublicIpOnLaunch: true, tags: { Name: `${net.name}-${zones[i]}`, 'kubernetes.io/role/elb': '1' } },
          opts(),
        ),
      ),
    );
  }

  let cluster: Cluster | undefined;
  let oidc: OpenIdConnectProvider | undefined;
  if (intents.cluster) {
    const c = intents.cluster;
    const clusterRole = reg.add(new Role('cluster-role', { name: `${c.name}-cluster`, assumeRolePolicy: assumeRole('eks.amazonaws.com') }, opts()));
    const clusterPolicy = reg.add(new RolePolicyAttachment('cluster-role-policy', { role: clusterRole.name, policyArn: 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy' }, opts()));
    cluster = reg.add(
      new Cluster(
        'cluster',
        {
          name: c.name,
          version: c.version,
          roleArn: clusterRole.arn,
          vpcConfig: { subnetIds: subnets.map((s) => s.id), endpointPublicAccess: true },
          accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true },
        },
        opts([clusterPolicy]),
      ),
    );
    const nodeRole = reg.add(new Role('node-role', { name: `${c.name}-node`, assumeRolePolicy: assumeRole('ec2.amazonaws.com') }, opts()));
    const nodePolicies = eksNodePolicies.map((arn) => reg.add(new RolePolicyAttachment(`node-role-${arn.split('/').pop()}`, { role: nodeRole.name, policyArn: arn }, opts())));
    for (const pool of c.pools) {
      reg.add(
        new NodeGroup(
          `pool-${pool.name}`,
          {
            clusterName: cluster.name,
            nodeGroupName: pool.name,
            nodeRoleArn: nodeRole.arn,
            subnetIds: subnets.map((s) => s.id),
            instanceTypes: [pool.machine],
            scalingConfig: { minSize: pool.min, maxSize: pool.max, desiredSize: pool.min },
            labels: { 'platform.dev/pool': pool.role },
            taints: pool.role === 'system' ? [{ key: POOL_TAINT, value: 'true', effect: 'NO_SCHEDULE' }] : undefined,
          },
          opts(nodePolicies),
        ),
      );
    }
    const issuer = cluster.identities.apply((ids) => ids[0]?.oidcs?.[0]?.issuer ?? '');
    oidc = reg.add(new OpenIdConnectProvider('oidc', { url: issuer, clientIdLists: ['sts.amazonaws.com'] }, opts()));
    const ca = cluster.certificateAuthority.apply((a) => a.data ?? '');
    reg.output('kubeconfig', pulumi.all([cluster.endpoint, ca]).apply(([endpoint, data]) => awsKubeconfig({ name: c.name, endpoint, ca: data, location })));
  }

  if (intents.bucket) {
    const b = intents.bucket;
    const bucket = reg.add(new Bucket('backup-bucket', { bucket: b.name }, opts()));
    const versioning = reg.add(new BucketVersioning('backup-bucket-versioning', { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } }, opts()));
    reg.add(
      new BucketServerSideEncryptionConfiguration(
        'backup-bucket-encryption',
        { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' }, bucketKeyEnabled: true }] },
        opts(),
      ),
    );
    reg.add(new BucketPublicAccessBlock('backup-bucket-public-access', { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, opts()));
    if (b.replicateTo) {
      const target = b.replicateTo;
      if (replicationKind('aws', target.cloud) === 'native') {
        const role = reg.add(new Role('replication-role', { name: `${b.name}-replication`, assumeRolePolicy: assumeRole('s3.amazonaws.com') }, opts()));
        reg.add(new RolePolicy('replication-policy', { role: role.id, policy: bucket.arn.apply((arn) => replicationPolicy(arn, `arn:aws:s3:::${target.bucket}`)) }, opts()));
        reg.add(
          new BucketReplicationConfig(
            'backup-bucket-replication',
            {
              bucket: bucket.id,
              role: role.arn,
              rules: [
                {
                  id: `to-${target.region}`,
                  status: 'Enabled',
                  filter: { prefix: '' },
                  deleteMarkerReplication: { status: 'Enabled' },
                  destination: { bucket: `arn:aws:s3:::${target.bucket}`, storageClass: 'STANDARD' },
                },
              ],
            },
            opts([versioning]),
          ),
        );
      } else {
        registerS3ToGcsTransfer(reg, provider, { sourceBucket: bucket.bucket, sourceBucketArn: bucket.arn, target, name: b.name });
      }
    }

    if (intents.identity && cluster && oidc) {
      const id = intents.identity;
      const trust = pulumi.all([oidc.arn, oidc.url]).apply(([arn, url]) => irsaTrust(arn, url, id.namespace, id.serviceAccount));
      const role = reg.add(new Role('backup-identity', { name: id.name, assumeRolePolicy: trust }, opts()));
      reg.add(new RolePolicy('backup-identity-policy', { role: role.id, policy: bucket.arn.apply(veleroS3Policy) }, opts()));
      reg.output('backupIdentity', role.arn);
    }
  }

  // Route 53 failover records live in the primary's DNS (see ./terraform.ts).
  const peer = drPeer(intents);
  for (const r of intents.dns.filter((d) => d.role === 'primary')) {
    const id = dashed(r.host);
    const zone = getZoneOutput({ name: parentDomain(r.host), privateZone: false }, { provider });
    const targets: Array<{ region: string; role: 'PRIMARY' | 'SECONDARY' }> = [{ region: stack.region.name, role: 'PRIMARY' }];
    if (peer) targets.push({ region: peer.region, role: 'SECONDARY' });
    for (const t of targets) {
      const origin = originHost(t.region, r.host);
      const check = reg.add(
        new HealthCheck(`health-${id}-${t.region}`, { type: 'HTTPS', fqdn: origin, port: 443, resourcePath: r.healthCheckPath, failureThreshold: 3, requestInterval: 10, tags: { Name: origin } }, opts()),
      );
      reg.add(
        new DnsRecord(
          `failover-${id}-${t.region}`,
          { zoneId: zone.zoneId, name: r.host, type: 'CNAME', ttl: 30, records: [origin], setIdentifier: t.region, failoverRoutingPolicies: [{ type: t.role }], healthCheckId: check.id },
          opts(),
        ),
      );
    }
  }
  return reg.result;
}
