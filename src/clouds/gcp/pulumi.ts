/**
 * GCP for the Pulumi engine: a cluster stack's intents as @pulumi/gcp resources (per-resource module
 * imports; loaded lazily by src/clouds/index.ts only when a region is on GCP). Mirrors ./terraform.ts.
 */
import * as pulumi from '@pulumi/pulumi';
import { Provider } from '@pulumi/gcp/provider.js';
import { getClientConfigOutput } from '@pulumi/gcp/organizations/getClientConfig.js';
import { Network } from '@pulumi/gcp/compute/network.js';
import { Subnetwork } from '@pulumi/gcp/compute/subnetwork.js';
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
import { Registry } from '../pulumi-shared.js';
import { cloudTags, dashed, drPeer, groupIntents, kubeconfigYaml, replicationKind, secondaryCidrs, subnetCidrs, TRANSFER_SCHEDULE } from '../common.js';
import { gatewayAddressName, GKE_EXEC, HEALTH_CHECK_SOURCE_REGIONS, managedZoneName, peerClusterName, serviceAccountId, TRANSFER_SINK_ROLES, TRANSFER_SOURCE_ROLES, workloadIdentityMember } from './names.js';

export function renderPulumi(stack: StackInstance): PulumiCloudResult {
  const intents = groupIntents(stack.cloud);
  const location = stack.region.location;
  const reg = new Registry();
  const provider = reg.add(new Provider('google', { region: location, defaultLabels: cloudTags(stack) }));
  const opts = (dependsOn?: pulumi.Resource[]): pulumi.CustomResourceOptions => ({ provider, dependsOn });
  const project = getClientConfigOutput({ provider }).project;

  let network: Network | undefined;
  let subnet: Subnetwork | undefined;
  if (intents.network) {
    const net = intents.network;
    network = reg.add(new Network('network', { name: net.name, autoCreateSubnetworks: false }, opts()));
    const ranges = secondaryCidrs(net.cidr);
    subnet = reg.add(
      new Subnetwork(
        'subnet',
        {
          name: net.name,
          network: network.id,
          region: location,
          ipCidrRange: subnetCidrs(net.cidr, 1)[0],
          privateIpGoogleAccess: true,
          secondaryIpRanges: [
            { rangeName: 'pods', ipCidrRange: ranges.pods },
            { rangeName: 'services', ipCidrRange: ranges.services },
          ],
        },
        opts(),
      ),
    );
  }

  let cluster: Cluster | undefined;
  if (intents.cluster) {
    const c = intents.cluster;
    cluster = reg.add(
      new Cluster(
        'cluster',
        {
          name: c.name,
          location,
          minMasterVersion: c.version,
          network: network?.id,
          subnetwork: subnet?.id,
          removeDefaultNodePool: true,
          initialNodeCount: 1,
          deletionProtection: true,
          ipAllocationPolicy: { clusterSecondaryRangeName: 'pods', servicesSecondaryRangeName: 'services' },
          workloadIdentityConfig: { workloadPool: pulumi.interpolate`${project}.svc.id.goog` },
          releaseChannel: { channel: 'REGULAR' },
        },
        opts(),
      ),
    );
    const nodeAccount = reg.add(new Account('node-account', { accountId: serviceAccountId(`${c.name}-nodes`), displayName: `${c.name} nodes` }, opts()));
    for (const pool of c.pools) {
      reg.add(
        new NodePool(
          `pool-${pool.name}`,
          {
            name: pool.name,
            cluster: cluster.id,
            location,
            autoscaling: { totalMinNodeCount: pool.min, totalMaxNodeCount: pool.max },
            initialNodeCount: 1,
            management: { autoRepair: true, autoUpgrade: true },
            nodeConfig: {
              machineType: pool.machine,
              serviceAccount: nodeAccount.email,
              oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
              workloadMetadataConfig: { mode: 'GKE_METADATA' },
              labels: { 'platform.dev/pool': pool.role },
              taints: pool.role === 'system' ? [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NO_SCHEDULE' }] : undefined,
            },
          },
          opts(),
        ),
      );
    }
    reg.output(
      'kubeconfig',
      pulumi.all([cluster.endpoint, cluster.masterAuth]).apply(([endpoint, auth]) => kubeconfigYaml(c.name, `https://${endpoint}`, auth.clusterCaCertificate ?? '', GKE_EXEC)),
    );
  }

  if (intents.bucket) {
    const b = intents.bucket;
    const ring = reg.add(new KeyRing('backup-keyring', { name: b.name, location }, opts()));
    const key = reg.add(new CryptoKey('backup-key', { name: 'backups', keyRing: ring.id, rotationPeriod: '7776000s' }, opts()));
    const gcsAgent = getProjectServiceAccountOutput({}, { provider });
    const keyAccess = reg.add(
      new CryptoKeyIAMMember('backup-key-gcs', { cryptoKeyId: key.id, role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter', member: pulumi.interpolate`serviceAccount:${gcsAgent.emailAddress}` }, opts()),
    );
    const bucket = reg.add(
      new Bucket(
        'backup-bucket',
        {
          name: b.name,
          location: location.toUpperCase(),
          uniformBucketLevelAccess: true,
          publicAccessPrevention: 'enforced',
          versioning: { enabled: true },
          encryption: { defaultKmsKeyName: key.id },
        },
        opts([keyAccess]),
      ),
    );
    if (b.replicateTo) {
      const target = b.replicateTo;
      replicationKind('gcp', target.cloud);
      const agent = getTransferProjectServiceAccountOutput({}, { provider });
      const grants = [
        ...TRANSFER_SOURCE_ROLES.map((role) => ({ bucket: bucket.name, role, id: `source-${role.split('.').pop()}` })),
        ...TRANSFER_SINK_ROLES.map((role) => ({ bucket: pulumi.output(target.bucket), role, id: `sink-${role.split('.').pop()}` })),
      ].map((g) => reg.add(new BucketIAMMember(`transfer-${g.id}`, { bucket: g.bucket, role: g.role, member: pulumi.interpolate`serviceAccount:${agent.email}` }, opts())));
      reg.add(
        new TransferJob(
          'backup-bucket-replication',
          {
            description: `${b.name} → ${target.bucket} (${target.region})`,
            transferSpec: {
              gcsDataSource: { bucketName: bucket.name },
              gcsDataSink: { bucketName: target.bucket },
              transferOptions: { deleteObjectsUniqueInSink: true, overwriteWhen: 'DIFFERENT' },
            },
            schedule: TRANSFER_SCHEDULE,
          },
          opts(grants),
        ),
      );
    }

    if (intents.identity && cluster) {
      const id = intents.identity;
      const account = reg.add(new Account('backup-identity', { accountId: serviceAccountId(id.name), displayName: `Velero of ${stack.region.name}` }, opts()));
      reg.add(new BucketIAMMember('backup-identity-bucket', { bucket: bucket.name, role: 'roles/storage.objectAdmin', member: pulumi.interpolate`serviceAccount:${account.email}` }, opts()));
      reg.add(
        new ServiceAccountIAMMember(
          'backup-identity-workload',
          { serviceAccountId: account.name, role: 'roles/iam.workloadIdentityUser', member: project.apply((p) => workloadIdentityMember(p, id.namespace, id.serviceAccount)) },
          opts([cluster]),
        ),
      );
      reg.output('backupIdentity', account.email);
    }
  }

  if (intents.dns.length && intents.cluster) {
    const address = reg.add(new Address('gateway-address', { name: gatewayAddressName(intents.cluster.name), region: location, addressType: 'EXTERNAL' }, opts()));
    reg.output('gatewayAddress', address.address);
    const peer = drPeer(intents);
    for (const r of intents.dns.filter((d) => d.role === 'primary')) {
      const id = dashed(r.host);
      const check = reg.add(
        new HealthCheck(
          `health-${id}`,
          {
            name: `${id}-gateway`,
            checkIntervalSec: 10,
            timeoutSec: 5,
            httpsHealthCheck: { host: r.host, port: 443, requestPath: r.healthCheckPath },
            sourceRegions: HEALTH_CHECK_SOURCE_REGIONS,
          },
          opts(),
        ),
      );
      const backup = peer
        ? getAddressOutput({ name: gatewayAddressName(peerClusterName(intents.cluster.name, stack.region.name, peer.region)), region: peer.location }, { provider }).address
        : address.address;
      reg.add(
        new RecordSet(
          `failover-${id}`,
          {
            managedZone: managedZoneName(r.host),
            name: `${r.host}.`,
            type: 'A',
            ttl: 30,
            routingPolicy: {
              healthCheck: check.id,
              primaryBackup: {
                primary: { externalEndpoints: [address.address] },
                backupGeos: [{ location: peer?.location ?? location, healthCheckedTargets: { externalEndpoints: [backup] } }],
                trickleRatio: 0,
              },
            },
          },
          opts(),
        ),
      );
    }
  }
  return reg.result;
}
