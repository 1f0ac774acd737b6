/** What src/clouds/gcp/{terraform,pulumi}.ts create for a cluster stack, priced. */
import { dashed, drPeer, replicationKind, type ClusterIntents } from '../../clouds/common.js';
import { TRANSFER_SINK_ROLES, TRANSFER_SOURCE_ROLES } from '../../clouds/gcp/names.js';
import type { StackInstance } from '../../stacks/types.js';
import type { UsageValues } from '../usage.js';
import { dataSource, backupTransfer, both, poolNodes, free, hours, perMonth, provider, pulumiOnly, type BillItem } from './common.js';

/**
 * The boot disk a GKE node gets when node_config sets none, as the renderers leave it: 100 GB of
 * pd-balanced (the google provider's container_node_pool `disk_size_gb` / `disk_type` defaults).
 */
export const GKE_DEFAULT_BOOT_DISK_GB = 100;

export function gcpBill(stack: StackInstance, intents: ClusterIntents, usage: UsageValues, hoursPerMonth: number): BillItem[] {
  const region = stack.region.location;
  const iam = (types: BillItem['types'], name: string): BillItem => ({ types, name, charges: [free('gcp', 'free.iam', region)] });
  const bucketMember = (name: string) => iam(both('google_storage_bucket_iam_member', 'gcp:storage/bucketIAMMember:BucketIAMMember'), name);
  const account = (name: string) => iam(both('google_service_account', 'gcp:serviceaccount/account:Account'), name);
  const kmsKey = (name: string, operations: string): BillItem => ({
    types: both('google_kms_crypto_key', 'gcp:kms/cryptoKey:CryptoKey'),
    name,
    charges: [
      perMonth('gcp', 'kms.keyVersion', region, 'active key version', 1, 'rotated every 90 days: every version kept enabled is billed too'),
      { kind: 'notPriced', component: 'cryptographic operations', reason: operations },
    ],
  });
  const items: BillItem[] = [
    { types: pulumiOnly('pulumi:providers:gcp'), name: 'google', charges: [provider()] },
    dataSource('google_client_config', 'current', 'the provider’s project'),
  ];

  if (intents.network) {
    items.push({ types: both('google_compute_network', 'gcp:compute/network:Network'), name: 'network', charges: [free('gcp', 'free.network', region)] });
    items.push({
      types: both('google_compute_subnetwork', 'gcp:compute/subnetwork:Subnetwork'),
      name: 'subnet',
      charges: [free('gcp', 'free.network', region)],
    });
    items.push({ types: both('google_compute_router', 'gcp:compute/router:Router'), name: 'router', charges: [free('gcp', 'free.router', region)] });
    items.push({
      types: both('google_compute_router_nat', 'gcp:compute/routerNat:RouterNat'),
      name: 'nat',
      charges: [
        {
          kind: 'notPriced',
          component: 'Cloud NAT',
          reason: 'Cloud NAT bills per VM-hour of the nodes behind it and per GB processed; neither price is in this table',
        },
      ],
    });
  }

  if (intents.cluster) {
    items.push(dataSource('google_project', 'project', 'the project number (GKE’s service agent)'));
    items.push({ types: both('google_kms_key_ring', 'gcp:kms/keyRing:KeyRing'), name: 'cluster-keyring', charges: [free('gcp', 'free.kmsKeyRing', region)] });
    items.push(kmsKey('cluster-secrets-key', 'the API server encrypts and decrypts Secrets with it; how often depends on the workloads'));
    items.push(iam(both('google_kms_crypto_key_iam_member', 'gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember'), 'cluster-secrets-key-gke'));
    items.push({
      types: both('google_container_cluster', 'gcp:container/cluster:Cluster'),
      name: 'cluster',
      charges: [
        perMonth('gcp', 'gke.cluster', region, 'GKE cluster management', hours(1, hoursPerMonth)),
        {
          kind: 'notPriced',
          component: 'control-plane logs',
          reason: 'Cloud Logging bills ingested logs beyond the free allotment; the volume of API server logs depends on the API traffic',
        },
      ],
    });
    items.push(account('node-account'));
    for (const pool of intents.cluster.pools) {
      // Regional pools: the autoscaler's total_min/max_node_count count nodes across all zones.
      items.push({
        types: both('google_container_node_pool', 'gcp:container/nodePool:NodePool'),
        name: `pool-${pool.name}`,
        charges: [
          poolNodes('gcp', region, pool, hoursPerMonth),
          // Private nodes: no external IPv4 address (egress goes through Cloud NAT).
          perMonth('gcp', 'pd.balanced', region, `boot disks (${GKE_DEFAULT_BOOT_DISK_GB} GB pd-balanced per node)`, {
            min: pool.min * GKE_DEFAULT_BOOT_DISK_GB,
            max: pool.max * GKE_DEFAULT_BOOT_DISK_GB,
          }),
        ],
      });
    }
  }

  if (intents.bucket) {
    const b = intents.bucket;
    items.push({ types: both('google_kms_key_ring', 'gcp:kms/keyRing:KeyRing'), name: 'backup-keyring', charges: [free('gcp', 'free.kmsKeyRing', region)] });
    items.push(kmsKey('backup-key', 'KMS operations depend on how often the bucket is written and read; not estimated'));
    items.push(dataSource('google_storage_project_service_account', 'gcs-agent', 'the Cloud Storage service agent'));
    items.push(iam(both('google_kms_crypto_key_iam_member', 'gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember'), 'backup-key-gcs'));
    items.push({
      types: both('google_storage_bucket', 'gcp:storage/bucket:Bucket'),
      name: 'backup-bucket',
      charges: [
        perMonth('gcp', 'gcs.standard', region, 'storage', usage.backupStorageGb, 'usage assumption: backupStorageGb'),
        { kind: 'notPriced', component: 'operations', reason: 'Cloud Storage operations depend on how often Velero writes and reads; not estimated' },
      ],
    });
    items.push({
      types: both('google_storage_bucket', 'gcp:storage/bucket:Bucket'),
      name: 'backup-logs',
      charges: [
        {
          kind: 'notPriced',
          component: 'usage logs',
          reason: 'usage logs are stored (and billed) as objects; their volume depends on how often Velero reads and writes',
        },
      ],
    });
    items.push(bucketMember('backup-logs-writer'));
    if (b.replicateTo) {
      const target = b.replicateTo;
      replicationKind('gcp', target.cloud);
      items.push(dataSource('google_storage_transfer_project_service_account', 'transfer-agent', 'the Storage Transfer service agent'));
      for (const r of TRANSFER_SOURCE_ROLES) items.push(bucketMember(`transfer-source-${r.split('.').pop()}`));
      for (const r of TRANSFER_SINK_ROLES) items.push(bucketMember(`transfer-sink-${r.split('.').pop()}`));
      items.push({
        types: both('google_storage_transfer_job', 'gcp:storage/transferJob:TransferJob'),
        name: 'backup-bucket-replication',
        charges: [
          backupTransfer('gcp', region, `transfer to ${target.region} (${target.location})`, target, usage.replicatedGbPerMonth),
          { kind: 'notPriced', component: 'Storage Transfer Service', reason: 'the per-GB fee of Storage Transfer Service (if any) is not in this table' },
        ],
      });
    }
    if (intents.identity && intents.cluster) {
      items.push(account('backup-identity'));
      items.push(bucketMember('backup-identity-bucket'));
      items.push(iam(both('google_service_account_iam_member', 'gcp:serviceaccount/iAMMember:IAMMember'), 'backup-identity-workload'));
    }
  }

  if (intents.dns.length && intents.cluster) {
    items.push({
      types: both('google_compute_address', 'gcp:compute/address:Address'),
      name: 'gateway-address',
      charges: [
        {
          kind: 'notPriced',
          component: 'static external IPv4',
          reason: 'its price depends on what uses it (the gateway load balancer’s forwarding rule, which Kubernetes creates) — not modelled',
        },
      ],
    });
    const peer = drPeer(intents);
    for (const r of intents.dns.filter((d) => d.role === 'primary')) {
      const id = dashed(r.host);
      items.push({
        types: both('google_compute_health_check', 'gcp:compute/healthCheck:HealthCheck'),
        name: `health-${id}`,
        charges: [
          {
            kind: 'notPriced',
            component: 'health check of external endpoints',
            reason: 'the price of Cloud DNS health checks of external endpoints is not in this table',
          },
        ],
      });
      if (peer) items.push(dataSource('google_compute_address', `peer-address-${peer.region}`, `the gateway address of ${peer.region}`));
      items.push({
        types: both('google_dns_record_set', 'gcp:dns/recordSet:RecordSet'),
        name: `failover-${id}`,
        charges: [perMonth('gcp', 'dns.queries', region, `DNS queries for ${r.host}`, usage.dnsQueriesPerMonth / 1e6, 'usage assumption: dnsQueriesPerMonth')],
      });
    }
  }
  return items;
}
