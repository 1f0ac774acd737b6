/** What src/clouds/gcp/{terraform,pulumi}.ts create for a cluster stack, priced. */
import { drPeer, failoverRecords, replicationKind, type ClusterIntents } from '../../clouds/common.js';
import { TRANSFER_SINK_ROLES, TRANSFER_SOURCE_ROLES } from '../../clouds/gcp/names.js';
import type { StackInstance } from '../../stacks/types.js';
import type { UsageValues } from '../usage.js';
import { dataSource, item, notPriced, backupTransfer, both, poolNodes, free, hours, perMonth, provider, pulumiOnly, type BillItem } from './common.js';

/**
 * The boot disk a GKE node gets when node_config sets none, as the renderers leave it: 100 GB of
 * pd-balanced (the google provider's container_node_pool `disk_size_gb` / `disk_type` defaults).
 */
export const GKE_DEFAULT_BOOT_DISK_GB = 100;

export function gcpBill(stack: StackInstance, intents: ClusterIntents, usage: UsageValues, hoursPerMonth: number): BillItem[] {
  const region = stack.region.location;
  const iam = (types: BillItem['types'], name: string): BillItem => item(types, name, free('gcp', 'free.iam', region));
  const bucketMember = (name: string) => iam(both('google_storage_bucket_iam_member', 'gcp:storage/bucketIAMMember:BucketIAMMember'), name);
  const account = (name: string) => iam(both('google_service_account', 'gcp:serviceaccount/account:Account'), name);
  const kmsKey = (name: string, operations: string): BillItem =>
    item(
      both('google_kms_crypto_key', 'gcp:kms/cryptoKey:CryptoKey'),
      name,
      perMonth('gcp', 'kms.keyVersion', region, 'active key version', 1, 'rotated every 90 days: every version kept enabled is billed too'),
      notPriced('cryptographic operations', operations),
    );
  const items: BillItem[] = [
    item(pulumiOnly('pulumi:providers:gcp'), 'google', provider()),
    dataSource('google_client_config', 'current', 'the provider’s project'),
  ];

  if (intents.network) {
    items.push(item(both('google_compute_network', 'gcp:compute/network:Network'), 'network', free('gcp', 'free.network', region)));
    items.push(item(both('google_compute_subnetwork', 'gcp:compute/subnetwork:Subnetwork'), 'subnet', free('gcp', 'free.network', region)));
    items.push(item(both('google_compute_router', 'gcp:compute/router:Router'), 'router', free('gcp', 'free.router', region)));
    items.push(
      item(
        both('google_compute_router_nat', 'gcp:compute/routerNat:RouterNat'),
        'nat',
        notPriced('Cloud NAT', 'Cloud NAT bills per VM-hour of the nodes behind it and per GB processed; neither price is in this table'),
      ),
    );
  }

  if (intents.cluster) {
    items.push(dataSource('google_project', 'project', 'the project number (GKE’s service agent)'));
    items.push(item(both('google_kms_key_ring', 'gcp:kms/keyRing:KeyRing'), 'cluster-keyring', free('gcp', 'free.kmsKeyRing', region)));
    items.push(kmsKey('cluster-secrets-key', 'the API server encrypts and decrypts Secrets with it; how often depends on the workloads'));
    items.push(iam(both('google_kms_crypto_key_iam_member', 'gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember'), 'cluster-secrets-key-gke'));
    items.push(
      item(
        both('google_container_cluster', 'gcp:container/cluster:Cluster'),
        'cluster',
        perMonth('gcp', 'gke.cluster', region, 'GKE cluster management', hours(1, hoursPerMonth)),
        notPriced(
          'control-plane logs',
          'Cloud Logging bills ingested logs beyond the free allotment; the volume of API server logs depends on the API traffic',
        ),
      ),
    );
    items.push(account('node-account'));
    for (const pool of intents.cluster.pools) {
      // Regional pools: the autoscaler's total_min/max_node_count count nodes across all zones.
      items.push(
        item(
          both('google_container_node_pool', 'gcp:container/nodePool:NodePool'),
          `pool-${pool.name}`,
          poolNodes('gcp', region, pool, hoursPerMonth), // Private nodes: no external IPv4 address (egress goes through Cloud NAT).
          perMonth('gcp', 'pd.balanced', region, `boot disks (${GKE_DEFAULT_BOOT_DISK_GB} GB pd-balanced per node)`, {
            min: pool.min * GKE_DEFAULT_BOOT_DISK_GB,
            max: pool.max * GKE_DEFAULT_BOOT_DISK_GB,
          }),
        ),
      );
    }
  }

  if (intents.bucket) {
    const b = intents.bucket;
    items.push(item(both('google_kms_key_ring', 'gcp:kms/keyRing:KeyRing'), 'backup-keyring', free('gcp', 'free.kmsKeyRing', region)));
    items.push(kmsKey('backup-key', 'KMS operations depend on how often the bucket is written and read; not estimated'));
    items.push(dataSource('google_storage_project_service_account', 'gcs-agent', 'the Cloud Storage service agent'));
    items.push(iam(both('google_kms_crypto_key_iam_member', 'gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember'), 'backup-key-gcs'));
    items.push(
      item(
        both('google_storage_bucket', 'gcp:storage/bucket:Bucket'),
        'backup-bucket',
        perMonth('gcp', 'gcs.standard', region, 'storage', usage.backupStorageGb, 'usage assumption: backupStorageGb'),
        notPriced('operations', 'Cloud Storage operations depend on how often Velero writes and reads; not estimated'),
      ),
    );
    items.push(
      item(
        both('google_storage_bucket', 'gcp:storage/bucket:Bucket'),
        'backup-logs',
        notPriced('usage logs', 'usage logs are stored (and billed) as objects; their volume depends on how often Velero reads and writes'),
      ),
    );
    items.push(bucketMember('backup-logs-writer'));
    if (b.replicateTo) {
      const target = b.replicateTo;
      replicationKind('gcp', target.cloud);
      items.push(dataSource('google_storage_transfer_project_service_account', 'transfer-agent', 'the Storage Transfer service agent'));
      for (const r of TRANSFER_SOURCE_ROLES) items.push(bucketMember(`transfer-source-${r.split('.').pop()}`));
      for (const r of TRANSFER_SINK_ROLES) items.push(bucketMember(`transfer-sink-${r.split('.').pop()}`));
      items.push(
        item(
          both('google_storage_transfer_job', 'gcp:storage/transferJob:TransferJob'),
          'backup-bucket-replication',
          backupTransfer('gcp', region, `transfer to ${target.region} (${target.location})`, target, usage.replicatedGbPerMonth),
          notPriced('Storage Transfer Service', 'the per-GB fee of Storage Transfer Service (if any) is not in this table'),
        ),
      );
    }
    if (intents.identity && intents.cluster) {
      items.push(account('backup-identity'));
      items.push(bucketMember('backup-identity-bucket'));
      items.push(iam(both('google_service_account_iam_member', 'gcp:serviceaccount/iAMMember:IAMMember'), 'backup-identity-workload'));
    }
  }

  if (intents.dns.length && intents.cluster) {
    items.push(
      item(
        both('google_compute_address', 'gcp:compute/address:Address'),
        'gateway-address',
        notPriced(
          'static external IPv4',
          'its price depends on what uses it (the gateway load balancer’s forwarding rule, which Kubernetes creates) — not modelled',
        ),
      ),
    );
    const peer = drPeer(intents);
    for (const { record: r, id } of failoverRecords(intents)) {
      items.push(
        item(
          both('google_compute_health_check', 'gcp:compute/healthCheck:HealthCheck'),
          `health-${id}`,
          notPriced('health check of external endpoints', 'the price of Cloud DNS health checks of external endpoints is not in this table'),
        ),
      );
      if (peer) items.push(dataSource('google_compute_address', `peer-address-${peer.region}`, `the gateway address of ${peer.region}`));
      items.push(
        item(
          both('google_dns_record_set', 'gcp:dns/recordSet:RecordSet'),
          `failover-${id}`,
          perMonth('gcp', 'dns.queries', region, `DNS queries for ${r.host}`, usage.dnsQueriesPerMonth / 1e6, 'usage assumption: dnsQueriesPerMonth'),
        ),
      );
    }
  }
  return items;
}
