/**
 * GCP for the Terraform engine: a cluster stack's intents as typed @cdktf/provider-google resources
 * (deep imports; loaded lazily by src/clouds/index.ts only when a region is on GCP).
 */
import { Fn, TerraformOutput, type TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider/index.js';
import { DataGoogleClientConfig } from '@cdktf/provider-google/lib/data-google-client-config/index.js';
import { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network/index.js';
import { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork/index.js';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account/index.js';
import { ContainerCluster } from '@cdktf/provider-google/lib/container-cluster/index.js';
import { ContainerNodePool } from '@cdktf/provider-google/lib/container-node-pool/index.js';
import { KmsKeyRing } from '@cdktf/provider-google/lib/kms-key-ring/index.js';
import { KmsCryptoKey } from '@cdktf/provider-google/lib/kms-crypto-key/index.js';
import { KmsCryptoKeyIamMember } from '@cdktf/provider-google/lib/kms-crypto-key-iam-member/index.js';
import { DataGoogleStorageProjectServiceAccount } from '@cdktf/provider-google/lib/data-google-storage-project-service-account/index.js';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket/index.js';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member/index.js';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member/index.js';
import { DataGoogleStorageTransferProjectServiceAccount } from '@cdktf/provider-google/lib/data-google-storage-transfer-project-service-account/index.js';
import { StorageTransferJob } from '@cdktf/provider-google/lib/storage-transfer-job/index.js';
import { ComputeAddress } from '@cdktf/provider-google/lib/compute-address/index.js';
import { DataGoogleComputeAddress } from '@cdktf/provider-google/lib/data-google-compute-address/index.js';
import { ComputeHealthCheck } from '@cdktf/provider-google/lib/compute-health-check/index.js';
import { DnsRecordSet } from '@cdktf/provider-google/lib/dns-record-set/index.js';
import type { StackInstance } from '../../stacks/types.js';
import { cloudTags, dashed, drPeer, groupIntents, kubeconfigYaml, replicationKind, secondaryCidrs, subnetCidrs, TRANSFER_SCHEDULE, TERRAFORM_PROVIDERS } from '../common.js';
import { exportKubeconfig, pinProvider } from '../terraform-shared.js';
import { gatewayAddressName, GKE_EXEC, HEALTH_CHECK_SOURCE_REGIONS, managedZoneName, peerClusterName, serviceAccountId, TRANSFER_SINK_ROLES, TRANSFER_SOURCE_ROLES, workloadIdentityMember } from './names.js';

export function renderTerraform(scope: Construct, stack: StackInstance, kubectl: TerraformProvider): void {
  const intents = groupIntents(stack.cloud);
  const location = stack.region.location;
  const labels = cloudTags(stack);
  new GoogleProvider(scope, 'google', { region: location, defaultLabels: labels });
  pinProvider(scope, TERRAFORM_PROVIDERS.gcp);
  // The project comes from the provider's configuration (GOOGLE_PROJECT), not from platform.yaml.
  const project = new DataGoogleClientConfig(scope, 'current', {}).project;

  let network: ComputeNetwork | undefined;
  let subnet: ComputeSubnetwork | undefined;
  if (intents.network) {
    const net = intents.network;
    network = new ComputeNetwork(scope, 'network', { name: net.name, autoCreateSubnetworks: false });
    // A GCP subnetwork is regional: one subnet spans every zone of the region (the cluster is regional).
    const ranges = secondaryCidrs(net.cidr);
    subnet = new ComputeSubnetwork(scope, 'subnet', {
      name: net.name,
      network: network.id,
      region: location,
      ipCidrRange: subnetCidrs(net.cidr, 1)[0],
      privateIpGoogleAccess: true,
      secondaryIpRange: [
        { rangeName: 'pods', ipCidrRange: ranges.pods },
        { rangeName: 'services', ipCidrRange: ranges.services },
      ],
    });
  }

  let cluster: ContainerCluster | undefined;
  if (intents.cluster) {
    const c = intents.cluster;
    cluster = new ContainerCluster(scope, 'cluster', {
      name: c.name,
      location, // regional: control plane and pools spread across the region's zones
      minMasterVersion: c.version,
      network: network?.id,
      subnetwork: subnet?.id,
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      deletionProtection: true,
      ipAllocationPolicy: { clusterSecondaryRangeName: 'pods', servicesSecondaryRangeName: 'services' },
      workloadIdentityConfig: { workloadPool: `${project}.svc.id.goog` },
      releaseChannel: { channel: 'REGULAR' },
    });
    const nodeAccount = new ServiceAccount(scope, 'node-account', { accountId: serviceAccountId(`${c.name}-nodes`), displayName: `${c.name} nodes` });
    for (const pool of c.pools) {
      new ContainerNodePool(scope, `pool-${pool.name}`, {
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
          taint: pool.role === 'system' ? [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NO_SCHEDULE' }] : undefined,
        },
      });
    }
    const kubeconfig = kubeconfigYaml(c.name, `https://${cluster.endpoint}`, cluster.masterAuth.clusterCaCertificate, GKE_EXEC);
    exportKubeconfig(scope, kubectl, kubeconfig, {
      host: `https://${cluster.endpoint}`,
      cluster_ca_certificate: Fn.base64decode(cluster.masterAuth.clusterCaCertificate),
      exec: { api_version: GKE_EXEC.apiVersion, command: GKE_EXEC.command, args: GKE_EXEC.args },
    });
  }

  if (intents.bucket) {
    const b = intents.bucket;
    // Customer-managed encryption key, rotated every 90 days; the GCS service agent may use it.
    const ring = new KmsKeyRing(scope, 'backup-keyring', { name: b.name, location });
    const key = new KmsCryptoKey(scope, 'backup-key', { name: 'backups', keyRing: ring.id, rotationPeriod: '7776000s' });
    const gcsAgent = new DataGoogleStorageProjectServiceAccount(scope, 'gcs-agent', {});
    const keyAccess = new KmsCryptoKeyIamMember(scope, 'backup-key-gcs', { cryptoKeyId: key.id, role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter', member: `serviceAccount:${gcsAgent.emailAddress}` });
    const bucket = new StorageBucket(scope, 'backup-bucket', {
      name: b.name,
      location: location.toUpperCase(),
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      versioning: { enabled: true },
      encryption: { defaultKmsKeyName: key.id },
      dependsOn: [keyAccess],
    });
    if (b.replicateTo) {
      replicationKind('gcp', b.replicateTo.cloud);
      // GCS has no bucket-to-bucket replication between regions: a Storage Transfer job mirrors the
      // bucket into the DR region's every 15 minutes.
      const agent = new DataGoogleStorageTransferProjectServiceAccount(scope, 'transfer-agent', {});
      const grants = [
        ...TRANSFER_SOURCE_ROLES.map((role) => ({ bucket: bucket.name, role, id: `source-${role.split('.').pop()}` })),
        ...TRANSFER_SINK_ROLES.map((role) => ({ bucket: b.replicateTo!.bucket, role, id: `sink-${role.split('.').pop()}` })),
      ].map((g) => new StorageBucketIamMember(scope, `transfer-${g.id}`, { bucket: g.bucket, role: g.role, member: `serviceAccount:${agent.email}` }));
      new StorageTransferJob(scope, 'backup-bucket-replication', {
        description: `${b.name} → ${b.replicateTo.bucket} (${b.replicateTo.region})`,
        transferSpec: {
          gcsDataSource: { bucketName: bucket.name },
          gcsDataSink: { bucketName: b.replicateTo.bucket },
          transferOptions: { deleteObjectsUniqueInSink: true, overwriteWhen: 'DIFFERENT' },
        },
        schedule: TRANSFER_SCHEDULE,
        dependsOn: grants,
      });
    }

    if (intents.identity && cluster) {
      const id = intents.identity;
      // Workload Identity: the velero Kubernetes service account acts as this Google service account.
      const account = new ServiceAccount(scope, 'backup-identity', { accountId: serviceAccountId(id.name), displayName: `Velero of ${stack.region.name}` });
      new StorageBucketIamMember(scope, 'backup-identity-bucket', { bucket: bucket.name, role: 'roles/storage.objectAdmin', member: `serviceAccount:${account.email}` });
      new ServiceAccountIamMember(scope, 'backup-identity-workload', {
        serviceAccountId: account.name,
        role: 'roles/iam.workloadIdentityUser',
        member: workloadIdentityMember(project, id.namespace, id.serviceAccount),
        dependsOn: [cluster],
      });
      new TerraformOutput(scope, 'backup_identity', { value: account.email, description: `iam.gke.io/gcp-service-account for ${id.namespace}/${id.serviceAccount}` });
    }
  }

  if (intents.dns.length && intents.cluster) {
    // The gateway's regional static address: the origin the failover record points at.
    const address = new ComputeAddress(scope, 'gateway-address', { name: gatewayAddressName(intents.cluster.name), region: location, addressType: 'EXTERNAL' });
    new TerraformOutput(scope, 'gateway_address', { value: address.address, description: 'loadBalancerIP of the Istio ingress gateway' });
    const peer = drPeer(intents);
    for (const r of intents.dns.filter((d) => d.role === 'primary')) {
      const id = dashed(r.host);
      const check = new ComputeHealthCheck(scope, `health-${id}`, {
        name: `${id}-gateway`,
        checkIntervalSec: 10,
        timeoutSec: 5,
        httpsHealthCheck: { host: r.host, port: 443, requestPath: r.healthCheckPath },
        sourceRegions: HEALTH_CHECK_SOURCE_REGIONS,
      });
      // Failover routing: the primary's address while healthy, else the DR region's gateway address.
      const backup = peer
        ? new DataGoogleComputeAddress(scope, `peer-address-${peer.region}`, { name: gatewayAddressName(peerClusterName(intents.cluster.name, stack.region.name, peer.region)), region: peer.location }).address
        : address.address;
      new DnsRecordSet(scope, `failover-${id}`, {
        managedZone: managedZoneName(r.host),
        name: `${r.host}.`,
        type: 'A',
        ttl: 30,
        routingPolicy: {
          healthCheck: check.id,
          primaryBackup: {
            primary: { externalEndpoints: [address.address] },
            backupGeo: [{ location: peer?.location ?? location, healthCheckedTargets: { externalEndpoints: [backup] } }],
            trickleRatio: 0,
          },
        },
      });
    }
  }
}
