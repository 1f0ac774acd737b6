/** What src/clouds/azure/{terraform,pulumi}.ts create for a cluster stack, priced. */
import { drPeer, failoverRecords, replicationKind, type ClusterIntents } from '../../clouds/common.js';
import type { StackInstance } from '../../stacks/types.js';
import type { UsageValues } from '../usage.js';
import {
  dataSource,
  item,
  noCharge,
  notPriced,
  backupTransfer,
  both,
  poolNodes,
  free,
  hours,
  perMonth,
  provider,
  pulumiOnly,
  type BillItem,
  type Charge,
} from './common.js';

const OS_DISKS: Charge = notPriced(
  'OS disks of the nodes',
  'the managed OS disk of each node (size and tier chosen by AKS for the VM size) — no managed-disk price in this table',
);

export function azureBill(stack: StackInstance, intents: ClusterIntents, usage: UsageValues, hoursPerMonth: number): BillItem[] {
  const region = stack.region.location;
  const network = (types: BillItem['types'], name: string): BillItem => item(types, name, free('azure', 'free.network', region));
  const identity = (types: BillItem['types'], name: string): BillItem => item(types, name, free('azure', 'free.identity', region));
  const storageConfig = (types: BillItem['types'], name: string): BillItem => item(types, name, free('azure', 'free.storageConfiguration', region));
  const items: BillItem[] = [item(pulumiOnly('pulumi:providers:azure-native'), 'azure-native', provider())];
  items.push(network(both('azurerm_resource_group', 'azure-native:resources:ResourceGroup'), 'group'));

  if (intents.network) {
    items.push(network(both('azurerm_virtual_network', 'azure-native:network:VirtualNetwork'), 'vnet'));
    items.push(network(both('azurerm_subnet', 'azure-native:network:Subnet'), 'subnet'));
  }

  if (intents.cluster || intents.bucket) {
    items.push(
      item(
        both('azurerm_log_analytics_workspace', 'azure-native:operationalinsights:Workspace'),
        'logs',
        notPriced(
          'log ingestion and retention',
          'Log Analytics bills each GB of audit and blob access logs ingested (kept 90 days); the volume depends on API and backup traffic',
        ),
      ),
    );
  }
  const diagnostics = (name: string, what: string): BillItem =>
    item(
      both('azurerm_monitor_diagnostic_setting', 'azure-native:monitor:DiagnosticSetting'),
      name,
      noCharge(
        `${what} → Log Analytics`,
        'a diagnostic setting routes logs; what they cost is billed on the workspace',
        'https://learn.microsoft.com/en-us/azure/azure-monitor/essentials/diagnostic-settings',
      ),
    );

  if (intents.cluster) {
    const c = intents.cluster;
    items.push(dataSource('azurerm_client_config', 'current', 'the tenant and the deploying principal'));
    items.push(identity(both('azurerm_user_assigned_identity', 'azure-native:managedidentity:UserAssignedIdentity'), 'cluster-identity'));
    items.push(
      item(
        both('azurerm_key_vault', 'azure-native:keyvault:Vault'),
        'cluster-vault',
        notPriced('Key Vault operations', 'a Standard vault bills per 10,000 operations (the API server wrapping and unwrapping data keys); not estimated'),
      ),
    );
    items.push(
      item(
        both('azurerm_key_vault_key', 'azure-native:keyvault:Key'),
        'cluster-secrets-key',
        noCharge(
          'software-protected RSA key',
          'Standard-tier software keys have no monthly charge; their operations are billed on the vault',
          'https://azure.microsoft.com/en-us/pricing/details/key-vault/',
        ),
      ),
    );
    for (const name of ['cluster-vault-officer', 'cluster-identity-kms', ...(intents.network ? ['cluster-identity-network'] : [])]) {
      items.push(identity(both('azurerm_role_assignment', 'azure-native:authorization:RoleAssignment'), name));
    }
    items.push(diagnostics('cluster-audit', 'control-plane audit logs'));
    // The system pool is the cluster's default pool (part of the cluster resource); the others are agent pools.
    const system = c.pools.find((p) => p.role === 'system') ?? c.pools[0];
    const nodes = (pool: typeof system): Charge => poolNodes('azure', region, pool, hoursPerMonth, `${pool.name} pool nodes (${pool.machine})`);
    items.push(
      item(
        both('azurerm_kubernetes_cluster', 'azure-native:containerservice:ManagedCluster'),
        'cluster',
        perMonth('azure', 'aks.freeTier', region, 'AKS control plane (Free tier)', hours(1, hoursPerMonth)),
        nodes(system),
        OS_DISKS,
        notPriced(
          'outbound load balancer',
          'AKS creates a Standard load balancer and a public IP for outbound traffic in its node resource group — not in this table',
        ),
      ),
    );
    for (const pool of c.pools.filter((p) => p !== system)) {
      items.push(item(both('azurerm_kubernetes_cluster_node_pool', 'azure-native:containerservice:AgentPool'), `pool-${pool.name}`, nodes(pool), OS_DISKS));
    }
  }

  if (intents.bucket) {
    const b = intents.bucket;
    items.push(
      item(
        both('azurerm_storage_account', 'azure-native:storage:StorageAccount'),
        'backup-account',
        perMonth('azure', 'blob.hotZrs', region, 'storage (Hot, ZRS)', usage.backupStorageGb, 'usage assumption: backupStorageGb'),
        notPriced('operations and change feed', 'blob operations and change-feed records depend on how often Velero writes and reads; not estimated'),
      ),
    );
    items.push(storageConfig(pulumiOnly('azure-native:storage:BlobServiceProperties'), 'backup-account-blob'));
    items.push(storageConfig(both('azurerm_storage_container', 'azure-native:storage:BlobContainer'), 'backup-container'));
    items.push(diagnostics('backup-account-logs', 'blob access logs'));
    if (b.replicateTo) {
      const target = b.replicateTo;
      replicationKind('azure', target.cloud);
      items.push(dataSource('azurerm_storage_account', 'replica-account', `the storage account of ${target.region}`));
      // Pulumi declares the policy on the destination account first; the source side reuses its id.
      items.push(storageConfig(pulumiOnly('azure-native:storage:ObjectReplicationPolicy'), 'backup-replication-destination'));
      items.push(
        item(
          both('azurerm_storage_object_replication', 'azure-native:storage:ObjectReplicationPolicy'),
          'backup-bucket-replication',
          backupTransfer('azure', region, `replication to ${target.region} (${target.location})`, target, usage.replicatedGbPerMonth),
        ),
      );
    }
    if (intents.identity && intents.cluster) {
      items.push(identity(both('azurerm_user_assigned_identity', 'azure-native:managedidentity:UserAssignedIdentity'), 'backup-identity'));
      items.push(
        identity(both('azurerm_federated_identity_credential', 'azure-native:managedidentity:FederatedIdentityCredential'), 'backup-identity-federation'),
      );
      items.push(identity(both('azurerm_role_assignment', 'azure-native:authorization:RoleAssignment'), 'backup-identity-blob'));
    }
  }

  if (intents.dns.length && intents.cluster) {
    items.push(
      item(
        both('azurerm_public_ip', 'azure-native:network:PublicIPAddress'),
        'gateway-ip',
        perMonth('azure', 'publicIp.standardStatic', region, 'static public IPv4 of the gateway', hours(1, hoursPerMonth)),
      ),
    );
    const peer = drPeer(intents);
    for (const { record: r, id } of failoverRecords(intents)) {
      const endpoint = (external: boolean) => {
        const kind = external ? 'external' : 'azure';
        return [
          perMonth('azure', `trafficManager.healthCheck.${kind}`, region, `health check of an ${external ? 'external' : 'Azure'} endpoint`, 1),
          perMonth('azure', `trafficManager.fastInterval.${kind}`, region, '10-second probing', 1),
        ];
      };
      items.push(
        item(
          both('azurerm_traffic_manager_profile', 'azure-native:trafficmanager:Profile'),
          `failover-${id}`,
          perMonth(
            'azure',
            'trafficManager.queries',
            region,
            `DNS queries for ${r.host}`,
            usage.dnsQueriesPerMonth / 1e6,
            'usage assumption: dnsQueriesPerMonth',
          ),
        ),
      );
      items.push(
        item(both('azurerm_traffic_manager_azure_endpoint', 'azure-native:trafficmanager:Endpoint'), `failover-${id}-${stack.region.name}`, ...endpoint(false)),
      );
      if (peer)
        items.push(
          item(both('azurerm_traffic_manager_external_endpoint', 'azure-native:trafficmanager:Endpoint'), `failover-${id}-${peer.region}`, ...endpoint(true)),
        );
    }
  }
  return items;
}
