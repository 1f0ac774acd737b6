/**
 * GCP: a cluster stack's intents as engine-neutral records (../resources.ts). Hardened by default
 * (docs/policy.md): a private GKE cluster (nodes without public IPs, egress through Cloud NAT; the API
 * endpoint private or limited to `publicAccessCidrs`), Kubernetes secrets encrypted with a Cloud KMS key,
 * control-plane logs (API server included) in Cloud Logging, GKE Dataplane V2 enforcing network
 * policies, and a backup bucket that is CMEK-encrypted, versioned, closed to the public, soft-deleting
 * and access-logged into its own log bucket.
 */
import type { SourcePath } from '../../objects/model.js';
import type { StackInstance } from '../../stacks/types.js';
import {
  cloudTags,
  drPeer,
  failoverRecords,
  gatewayAddressOutput,
  groupIntents,
  kubeconfigYaml,
  replicationKind,
  secondaryCidrs,
  subnetCidrs,
  TRANSFER_SCHEDULE,
  type ClusterIntents,
} from '../common.js';
import { hasPublicEndpoint, kubeconfigOutput, poolScheduling } from '../cluster.js';
import { CloudBuilder, type CloudBuild, type Handle } from '../records.js';
import {
  gatewayAddressName,
  GKE_EXEC,
  HEALTH_CHECK_SOURCE_REGIONS,
  managedZoneName,
  peerClusterName,
  serviceAccountId,
  TRANSFER_SINK_ROLES,
  TRANSFER_SOURCE_ROLES,
  workloadIdentityMember,
} from './names.js';

/** The control plane's private range (peered into the VPC; outside every region's 10.x/16). */
export const MASTER_CIDR = '172.16.0.0/28';
/** Control-plane components whose logs go to Cloud Logging (APISERVER: the API server's requests). */
export const GKE_LOG_COMPONENTS = ['SYSTEM_COMPONENTS', 'APISERVER', 'CONTROLLER_MANAGER', 'SCHEDULER', 'WORKLOADS'];
/** Deleted objects stay recoverable this long. */
export const SOFT_DELETE_SECONDS = 7 * 24 * 3600;
/** KMS keys rotate every 90 days. */
const ROTATION = '7776000s';
const ENCRYPT_DECRYPT = 'roles/cloudkms.cryptoKeyEncrypterDecrypter';
/** The group Cloud Storage writes usage logs as. */
const STORAGE_ANALYTICS = 'group:cloud-storage-analytics@google.com';

type Src = { source?: SourcePath };

export function buildGcp(stack: StackInstance): CloudBuild {
  const intents = groupIntents(stack.cloud);
  const location = stack.region.location;
  const b = new CloudBuilder();
  b.provider({ cloud: 'gcp', region: location, tags: cloudTags(stack) });
  // The project comes from the provider's configuration (GOOGLE_PROJECT), not from platform.yaml.
  const project = b.add('data.google_client_config', 'gcp:organizations/getClientConfig:getClientConfig', 'current', {}).attr('project');

  const net = intents.network ? network(b, intents.network, location) : undefined;
  const cluster = intents.cluster ? gke(b, intents.cluster, net, location, project) : undefined;
  if (intents.bucket) backupBucket(b, stack, intents, cluster, location, project);
  if (intents.dns.length && intents.cluster) dnsFailover(b, stack, intents, location);
  return b.build;
}

function network(b: CloudBuilder, n: NonNullable<ClusterIntents['network']>, location: string): { network: Handle; subnet: Handle } {
  const src = { source: n.source };
  const network = b.add('google_compute_network', 'gcp:compute/network:Network', 'network', { name: n.name, autoCreateSubnetworks: false }, src);
  // A GCP subnetwork is regional: one subnet spans every zone of the region (the cluster is regional).
  const ranges = secondaryCidrs(n.cidr);
  const subnet = b.add(
    'google_compute_subnetwork',
    'gcp:compute/subnetwork:Subnetwork',
    'subnet',
    {
      name: n.name,
      network: network.id,
      region: location,
      ipCidrRange: subnetCidrs(n.cidr, 1)[0],
      privateIpGoogleAccess: true,
      secondaryIpRange: [
        { rangeName: 'pods', ipCidrRange: ranges.pods },
        { rangeName: 'services', ipCidrRange: ranges.services },
      ],
    },
    src,
  );
  // Private nodes reach image registries through Cloud NAT.
  const router = b.add('google_compute_router', 'gcp:compute/router:Router', 'router', { name: n.name, network: network.id, region: location }, src);
  b.add(
    'google_compute_router_nat',
    'gcp:compute/routerNat:RouterNat',
    'nat',
    {
      name: n.name,
      router: router.attr('name'),
      region: location,
      natIpAllocateOption: 'AUTO_ONLY',
      sourceSubnetworkIpRangesToNat: 'ALL_SUBNETWORKS_ALL_IP_RANGES',
    },
    src,
  );
  return { network, subnet };
}

function gke(
  b: CloudBuilder,
  c: NonNullable<ClusterIntents['cluster']>,
  net: { network: Handle; subnet: Handle } | undefined,
  location: string,
  project: string,
): Handle {
  const src = { source: c.source };
  // Secrets in etcd are encrypted with our key; GKE's service agent must be allowed to use it.
  const gkeProject = b.add('data.google_project', 'gcp:organizations/getProject:getProject', 'project', {}, src);
  const ring = b.add('google_kms_key_ring', 'gcp:kms/keyRing:KeyRing', 'cluster-keyring', { name: `${c.name}-cluster`, location }, src);
  const key = b.add(
    'google_kms_crypto_key',
    'gcp:kms/cryptoKey:CryptoKey',
    'cluster-secrets-key',
    { name: 'kubernetes-secrets', keyRing: ring.id, rotationPeriod: ROTATION },
    src,
  );
  const keyAccess = b.add(
    'google_kms_crypto_key_iam_member',
    'gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember',
    'cluster-secrets-key-gke',
    {
      cryptoKeyId: key.id,
      role: ENCRYPT_DECRYPT,
      member: `serviceAccount:service-${gkeProject.attr('number')}@container-engine-robot.iam.gserviceaccount.com`,
    },
    src,
  );
  const cluster = b.add(
    'google_container_cluster',
    'gcp:container/cluster:Cluster',
    'cluster',
    {
      name: c.name,
      location, // regional: control plane and pools spread across the region's zones
      minMasterVersion: c.version,
      network: net?.network.id,
      subnetwork: net?.subnet.id,
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      deletionProtection: true,
      ipAllocationPolicy: { clusterSecondaryRangeName: 'pods', servicesSecondaryRangeName: 'services' },
      workloadIdentityConfig: { workloadPool: `${project}.svc.id.goog` },
      releaseChannel: { channel: 'REGULAR' },
      privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: !hasPublicEndpoint(c), masterIpv4CidrBlock: MASTER_CIDR },
      masterAuthorizedNetworksConfig: { cidrBlocks: c.publicAccessCidrs.map((cidr) => ({ cidrBlock: cidr, displayName: cidr })) },
      databaseEncryption: { state: 'ENCRYPTED', keyName: key.id },
      loggingConfig: { enableComponents: GKE_LOG_COMPONENTS },
      // Dataplane V2 (Cilium): NetworkPolicy objects are enforced.
      datapathProvider: 'ADVANCED_DATAPATH',
    },
    { ...src, dependsOn: [keyAccess] },
  );
  const nodeAccount = b.add(
    'google_service_account',
    'gcp:serviceaccount/account:Account',
    'node-account',
    { accountId: serviceAccountId(`${c.name}-nodes`), displayName: `${c.name} nodes` },
    src,
  );
  for (const pool of c.pools) {
    b.add(
      'google_container_node_pool',
      'gcp:container/nodePool:NodePool',
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
          serviceAccount: nodeAccount.attr('email'),
          oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
          workloadMetadataConfig: { mode: 'GKE_METADATA' },
          ...poolScheduling(pool),
        },
      },
      src,
    );
  }
  const endpoint = `https://${cluster.attr('endpoint')}`;
  const ca = cluster.attr('master_auth[0].cluster_ca_certificate');
  b.output(kubeconfigOutput(kubeconfigYaml(c.name, endpoint, ca, GKE_EXEC)));
  b.build.clusterAccess = { host: endpoint, caCertificate: ca, exec: GKE_EXEC };
  return cluster;
}

function backupBucket(b: CloudBuilder, stack: StackInstance, intents: ClusterIntents, cluster: Handle | undefined, location: string, project: string): void {
  const bk = intents.bucket!;
  const src: Src = { source: bk.source };
  // Customer-managed encryption key, rotated every 90 days; the GCS service agent may use it.
  const ring = b.add('google_kms_key_ring', 'gcp:kms/keyRing:KeyRing', 'backup-keyring', { name: bk.name, location }, src);
  const key = b.add('google_kms_crypto_key', 'gcp:kms/cryptoKey:CryptoKey', 'backup-key', { name: 'backups', keyRing: ring.id, rotationPeriod: ROTATION }, src);
  const gcsAgent = b.add('data.google_storage_project_service_account', 'gcp:storage/getProjectServiceAccount:getProjectServiceAccount', 'gcs-agent', {}, src);
  const keyAccess = b.add(
    'google_kms_crypto_key_iam_member',
    'gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember',
    'backup-key-gcs',
    { cryptoKeyId: key.id, role: ENCRYPT_DECRYPT, member: `serviceAccount:${gcsAgent.attr('email_address')}` },
    src,
  );
  const closed = {
    location: location.toUpperCase(),
    uniformBucketLevelAccess: true,
    publicAccessPrevention: 'enforced',
    encryption: { defaultKmsKeyName: key.id },
  };
  // Usage logs of the backup bucket: a bucket of their own, written by Cloud Storage's analytics group.
  const logs = b.add(
    'google_storage_bucket',
    'gcp:storage/bucket:Bucket',
    'backup-logs',
    { name: `${bk.name}-logs`, ...closed },
    { ...src, dependsOn: [keyAccess] },
  );
  b.add(
    'google_storage_bucket_iam_member',
    'gcp:storage/bucketIAMMember:BucketIAMMember',
    'backup-logs-writer',
    { bucket: logs.attr('name'), role: 'roles/storage.objectCreator', member: STORAGE_ANALYTICS },
    src,
  );
  const bucket = b.add(
    'google_storage_bucket',
    'gcp:storage/bucket:Bucket',
    'backup-bucket',
    {
      name: bk.name,
      ...closed,
      versioning: { enabled: true },
      softDeletePolicy: { retentionDurationSeconds: SOFT_DELETE_SECONDS },
      logging: { logBucket: logs.attr('name'), logObjectPrefix: 'access/' },
    },
    { ...src, dependsOn: [keyAccess] },
  );
  if (bk.replicateTo) {
    const target = bk.replicateTo;
    replicationKind('gcp', target.cloud);
    // GCS has no bucket-to-bucket replication between regions: a Storage Transfer job mirrors the
    // bucket into the DR region's every 15 minutes.
    const agent = b.add(
      'data.google_storage_transfer_project_service_account',
      'gcp:storage/getTransferProjectServiceAccount:getTransferProjectServiceAccount',
      'transfer-agent',
      {},
      src,
    );
    const grants = [
      ...TRANSFER_SOURCE_ROLES.map((role) => ({ bucket: bucket.attr('name'), role, id: `source-${role.split('.').pop()}` })),
      ...TRANSFER_SINK_ROLES.map((role) => ({ bucket: target.bucket, role, id: `sink-${role.split('.').pop()}` })),
    ].map((g) =>
      b.add(
        'google_storage_bucket_iam_member',
        'gcp:storage/bucketIAMMember:BucketIAMMember',
        `transfer-${g.id}`,
        { bucket: g.bucket, role: g.role, member: `serviceAccount:${agent.attr('email')}` },
        src,
      ),
    );
    b.add(
      'google_storage_transfer_job',
      'gcp:storage/transferJob:TransferJob',
      'backup-bucket-replication',
      {
        description: `${bk.name} → ${target.bucket} (${target.region})`,
        transferSpec: {
          gcsDataSource: { bucketName: bucket.attr('name') },
          gcsDataSink: { bucketName: target.bucket },
          transferOptions: { deleteObjectsUniqueInSink: true, overwriteWhen: 'DIFFERENT' },
        },
        schedule: TRANSFER_SCHEDULE,
      },
      { ...src, dependsOn: grants },
    );
  }

  if (intents.identity && cluster) {
    const id = intents.identity;
    const isrc = { source: id.source };
    // Workload Identity: the velero Kubernetes service account acts as this Google service account.
    const account = b.add(
      'google_service_account',
      'gcp:serviceaccount/account:Account',
      'backup-identity',
      { accountId: serviceAccountId(id.name), displayName: `Velero of ${stack.region.name}` },
      isrc,
    );
    b.add(
      'google_storage_bucket_iam_member',
      'gcp:storage/bucketIAMMember:BucketIAMMember',
      'backup-identity-bucket',
      { bucket: bucket.attr('name'), role: 'roles/storage.objectAdmin', member: `serviceAccount:${account.attr('email')}` },
      isrc,
    );
    b.add(
      'google_service_account_iam_member',
      'gcp:serviceaccount/iAMMember:IAMMember',
      'backup-identity-workload',
      {
        serviceAccountId: account.attr('name'),
        role: 'roles/iam.workloadIdentityUser',
        member: workloadIdentityMember(project, id.namespace, id.serviceAccount),
      },
      { ...isrc, dependsOn: [cluster] },
    );
    b.output({ name: 'backupIdentity', value: account.attr('email'), description: `iam.gke.io/gcp-service-account for ${id.namespace}/${id.serviceAccount}` });
  }
}

function dnsFailover(b: CloudBuilder, stack: StackInstance, intents: ClusterIntents, location: string): void {
  const clusterName = intents.cluster!.name;
  // The gateway's regional static address: the origin the failover record points at.
  const address = b.add(
    'google_compute_address',
    'gcp:compute/address:Address',
    'gateway-address',
    { name: gatewayAddressName(clusterName), region: location, addressType: 'EXTERNAL' },
    { source: intents.dns[0].source },
  );
  b.output(gatewayAddressOutput(address.attr('address')));
  const peer = drPeer(intents);
  for (const { record: r, id, src } of failoverRecords(intents)) {
    const check = b.add(
      'google_compute_health_check',
      'gcp:compute/healthCheck:HealthCheck',
      `health-${id}`,
      {
        name: `${id}-gateway`,
        checkIntervalSec: 10,
        timeoutSec: 5,
        httpsHealthCheck: { host: r.host, port: 443, requestPath: r.healthCheckPath },
        sourceRegions: HEALTH_CHECK_SOURCE_REGIONS,
      },
      src,
    );
    // Failover routing: the primary's address while healthy, else the DR region's gateway address.
    const backup = peer
      ? b
          .add(
            'data.google_compute_address',
            'gcp:compute/getAddress:getAddress',
            `peer-address-${peer.region}`,
            { name: gatewayAddressName(peerClusterName(clusterName, stack.region.name, peer.region)), region: peer.location },
            src,
          )
          .attr('address')
      : address.attr('address');
    b.add(
      'google_dns_record_set',
      'gcp:dns/recordSet:RecordSet',
      `failover-${id}`,
      {
        managedZone: managedZoneName(r.host),
        name: `${r.host}.`,
        type: 'A',
        ttl: 30,
        routingPolicy: {
          healthCheck: check.id,
          primaryBackup: {
            primary: { externalEndpoints: [address.attr('address')] },
            backupGeo: [{ location: peer?.location ?? location, healthCheckedTargets: { externalEndpoints: [backup] } }],
            trickleRatio: 0,
          },
        },
      },
      src,
    );
  }
}
