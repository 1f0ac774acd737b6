/**
 * Azure: a cluster stack's intents as engine-neutral records (../resources.ts) in the azurerm shape;
 * ./pulumi.ts maps each onto azure-native. Hardened by default (docs/policy.md): the AKS API private or
 * limited to `publicAccessCidrs`, Kubernetes secrets encrypted with a Key Vault key (KMS), the
 * control plane's audit log in Log Analytics, Cilium enforcing network policies, nodes without public
 * IPs, and a backup storage account with infrastructure encryption, versioning and soft delete, closed
 * to the public and its blob access logged.
 */
import type { SourcePath } from '../../objects/model.js';
import type { StackInstance } from '../../stacks/types.js';
import {
  azureZones,
  cloudTags,
  drPeer,
  failoverRecords,
  gatewayAddressOutput,
  groupIntents,
  originHost,
  replicationKind,
  subnetCidrs,
  type ClusterIntents,
} from '../common.js';
import { hasPublicEndpoint, kubeconfigOutput, poolLabels } from '../cluster.js';
import { CloudBuilder, type CloudBuild, type Handle } from '../records.js';
import { BACKUP_CONTAINER, BLOB_CONTRIBUTOR, keyVaultName, peerClusterName, poolName, resourceGroupName, storageAccountName, TOKEN_AUDIENCE } from './names.js';

/** Control-plane logs kept in Log Analytics (`kube-audit-admin`: every change made through the API). */
export const AKS_LOG_CATEGORIES = ['kube-audit-admin', 'kube-apiserver'];
/** Blob access logs of the backup account. */
export const BLOB_LOG_CATEGORIES = ['StorageRead', 'StorageWrite', 'StorageDelete'];
export const LOG_RETENTION_DAYS = 90;
/** Deleted blobs and containers stay recoverable this long. */
export const SOFT_DELETE_DAYS = 7;

type Src = { source?: SourcePath };

export function buildAzure(stack: StackInstance): CloudBuild {
  const intents = groupIntents(stack.cloud);
  const location = stack.region.location;
  const tags = cloudTags(stack);
  const b = new CloudBuilder();
  // Subscription and tenant come from ARM_* settings (or `az login`), not from platform.yaml.
  b.provider({ cloud: 'azure' });
  const baseName = intents.cluster?.name ?? intents.network?.name ?? stack.label;
  const group = b.add('azurerm_resource_group', 'azure-native:resources:ResourceGroup', 'group', { name: resourceGroupName(baseName), location, tags });
  const inGroup = { resourceGroupName: group.attr('name'), location, tags };

  let subnet: Handle | undefined;
  if (intents.network) {
    const net = intents.network;
    const src = { source: net.source };
    const vnet = b.add('azurerm_virtual_network', 'azure-native:network:VirtualNetwork', 'vnet', { ...inGroup, name: net.name, addressSpace: [net.cidr] }, src);
    // Azure subnets span the region's zones; the node pools are spread over zones 1–3.
    subnet = b.add(
      'azurerm_subnet',
      'azure-native:network:Subnet',
      'subnet',
      { name: 'nodes', resourceGroupName: group.attr('name'), virtualNetworkName: vnet.attr('name'), addressPrefixes: [subnetCidrs(net.cidr, 1)[0]] },
      src,
    );
  }
  // Control-plane audit logs and blob access logs land here.
  const logs =
    intents.cluster || intents.bucket
      ? b.add('azurerm_log_analytics_workspace', 'azure-native:operationalinsights:Workspace', 'logs', {
          ...inGroup,
          name: `${baseName}-logs`,
          sku: 'PerGB2018',
          retentionInDays: LOG_RETENTION_DAYS,
        })
      : undefined;
  const client = intents.cluster ? b.add('data.azurerm_client_config', 'azure-native:authorization:getClientConfig', 'current', {}) : undefined;

  const cluster = intents.cluster ? aks(b, intents, inGroup, subnet, logs!, client!) : undefined;
  if (intents.bucket) backupAccount(b, stack, intents, inGroup, baseName, logs!, cluster);
  if (intents.dns.length && intents.cluster) trafficManager(b, stack, intents, inGroup);
  return b.build;
}

type InGroup = { resourceGroupName: string; location: string; tags: Record<string, string> };

function aks(b: CloudBuilder, intents: ClusterIntents, inGroup: InGroup, subnet: Handle | undefined, logs: Handle, client: Handle): Handle {
  const c = intents.cluster!;
  const src = { source: c.source };
  const zones = azureZones(intents.network?.zones ?? 3);
  const system = c.pools.find((p) => p.role === 'system') ?? c.pools[0];
  // KMS needs a control-plane identity we can grant the key to (a system-assigned one exists only after the cluster).
  const identity = b.add(
    'azurerm_user_assigned_identity',
    'azure-native:managedidentity:UserAssignedIdentity',
    'cluster-identity',
    { ...inGroup, name: `${c.name}-control-plane` },
    src,
  );
  const vault = b.add(
    'azurerm_key_vault',
    'azure-native:keyvault:Vault',
    'cluster-vault',
    {
      ...inGroup,
      name: keyVaultName(c.name),
      tenantId: client.attr('tenant_id'),
      skuName: 'standard',
      rbacAuthorizationEnabled: true,
      purgeProtectionEnabled: true,
      softDeleteRetentionDays: 90,
    },
    src,
  );
  // Whoever applies the stack creates the key; the control plane uses it.
  const officer = roleAssignment(b, 'cluster-vault-officer', vault.id, 'Key Vault Crypto Officer', client.attr('object_id'), src);
  const key = b.add(
    'azurerm_key_vault_key',
    'azure-native:keyvault:Key',
    'cluster-secrets-key',
    { name: 'kubernetes-secrets', keyVaultId: vault.id, keyType: 'RSA', keySize: 2048, keyOpts: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'] },
    { ...src, dependsOn: [officer] },
  );
  const keyUser = roleAssignment(b, 'cluster-identity-kms', vault.id, 'Key Vault Crypto User', identity.attr('principal_id'), src);
  // A user-assigned control-plane identity manages the load balancers in our subnet only with this role.
  const network = subnet ? roleAssignment(b, 'cluster-identity-network', subnet.id, 'Network Contributor', identity.attr('principal_id'), src) : undefined;
  const publicAccess = hasPublicEndpoint(c);
  const cluster = b.add(
    'azurerm_kubernetes_cluster',
    'azure-native:containerservice:ManagedCluster',
    'cluster',
    {
      ...inGroup,
      name: c.name,
      dnsPrefix: c.name,
      kubernetesVersion: c.version,
      // AKS creates the system pool with the cluster; only critical add-ons run there.
      defaultNodePool: {
        name: poolName(system.name),
        vmSize: system.machine,
        autoScalingEnabled: true,
        minCount: system.min,
        maxCount: system.max,
        zones,
        vnetSubnetId: subnet?.id,
        onlyCriticalAddonsEnabled: true,
        nodePublicIpEnabled: false,
        nodeLabels: poolLabels(system),
      },
      identity: { type: 'UserAssigned', identityIds: [identity.id] },
      oidcIssuerEnabled: true,
      workloadIdentityEnabled: true,
      // Cilium dataplane: NetworkPolicy objects are enforced.
      networkProfile: { networkPlugin: 'azure', networkPluginMode: 'overlay', networkDataPlane: 'cilium', networkPolicy: 'cilium' },
      keyManagementService: { keyVaultKeyId: key.id, keyVaultNetworkAccess: 'Public' },
      privateClusterEnabled: !publicAccess,
      ...(publicAccess ? { apiServerAccessProfile: { authorizedIpRanges: c.publicAccessCidrs } } : {}),
    },
    { ...src, dependsOn: [keyUser, ...(network ? [network] : [])] },
  );
  for (const pool of c.pools.filter((p) => p !== system)) {
    b.add(
      'azurerm_kubernetes_cluster_node_pool',
      'azure-native:containerservice:AgentPool',
      `pool-${pool.name}`,
      {
        name: poolName(pool.name),
        kubernetesClusterId: cluster.id,
        vmSize: pool.machine,
        mode: 'User',
        autoScalingEnabled: true,
        minCount: pool.min,
        maxCount: pool.max,
        zones,
        vnetSubnetId: subnet?.id,
        nodePublicIpEnabled: false,
        nodeLabels: poolLabels(pool),
        tags: inGroup.tags,
      },
      src,
    );
  }
  diagnostics(b, 'cluster-audit', cluster.id, logs, AKS_LOG_CATEGORIES, src);
  b.output(kubeconfigOutput(cluster.attr('kube_config_raw')));
  b.build.clusterAccess = {
    host: cluster.attr('kube_config[0].host'),
    clientCertificate: cluster.attr('kube_config[0].client_certificate'),
    clientKey: cluster.attr('kube_config[0].client_key'),
    caCertificate: cluster.attr('kube_config[0].cluster_ca_certificate'),
  };
  return cluster;
}

/** `principalId` gets the built-in `role` on `scope`. */
function roleAssignment(b: CloudBuilder, name: string, scope: string, role: string, principalId: string, src: Src): Handle {
  return b.add('azurerm_role_assignment', 'azure-native:authorization:RoleAssignment', name, { scope, roleDefinitionName: role, principalId }, src);
}

function diagnostics(b: CloudBuilder, name: string, target: string, logs: Handle, categories: string[], src: Src): void {
  b.add(
    'azurerm_monitor_diagnostic_setting',
    'azure-native:monitor:DiagnosticSetting',
    name,
    { name, targetResourceId: target, logAnalyticsWorkspaceId: logs.id, enabledLog: categories.map((category) => ({ category })) },
    src,
  );
}

function backupAccount(
  b: CloudBuilder,
  stack: StackInstance,
  intents: ClusterIntents,
  inGroup: InGroup,
  baseName: string,
  logs: Handle,
  cluster: Handle | undefined,
): void {
  const bk = intents.bucket!;
  const src = { source: bk.source };
  // Zone-redundant, versioned, change feed on (object replication needs both), soft delete, double encryption at rest.
  const account = b.add(
    'azurerm_storage_account',
    'azure-native:storage:StorageAccount',
    'backup-account',
    {
      ...inGroup,
      name: storageAccountName(bk.name),
      accountTier: 'Standard',
      accountReplicationType: 'ZRS',
      minTlsVersion: 'TLS1_2',
      allowNestedItemsToBePublic: false,
      infrastructureEncryptionEnabled: true,
      blobProperties: {
        versioningEnabled: true,
        changeFeedEnabled: true,
        deleteRetentionPolicy: { days: SOFT_DELETE_DAYS },
        containerDeleteRetentionPolicy: { days: SOFT_DELETE_DAYS },
      },
    },
    src,
  );
  const container = b.add(
    'azurerm_storage_container',
    'azure-native:storage:BlobContainer',
    'backup-container',
    { name: BACKUP_CONTAINER, storageAccountId: account.id, containerAccessType: 'private' },
    src,
  );
  diagnostics(b, 'backup-account-logs', `${account.id}/blobServices/default`, logs, BLOB_LOG_CATEGORIES, src);
  if (bk.replicateTo) {
    replicationKind('azure', bk.replicateTo.cloud);
    // Blob object replication into the DR region's account (created by its own cluster stack).
    const target = b.add(
      'data.azurerm_storage_account',
      'azure-native:storage:getStorageAccount',
      'replica-account',
      {
        name: storageAccountName(bk.replicateTo.bucket),
        resourceGroupName: resourceGroupName(peerClusterName(baseName, stack.region.name, bk.replicateTo.region)),
      },
      src,
    );
    b.add(
      'azurerm_storage_object_replication',
      'azure-native:storage:ObjectReplicationPolicy',
      'backup-bucket-replication',
      {
        sourceStorageAccountId: account.id,
        destinationStorageAccountId: target.id,
        rules: [{ sourceContainerName: container.attr('name'), destinationContainerName: BACKUP_CONTAINER }],
      },
      src,
    );
  }

  if (intents.identity && cluster) {
    const id = intents.identity;
    const isrc = { source: id.source };
    // Workload identity: a managed identity federated with the velero service account's tokens.
    const identity = b.add(
      'azurerm_user_assigned_identity',
      'azure-native:managedidentity:UserAssignedIdentity',
      'backup-identity',
      { ...inGroup, name: id.name },
      isrc,
    );
    b.add(
      'azurerm_federated_identity_credential',
      'azure-native:managedidentity:FederatedIdentityCredential',
      'backup-identity-federation',
      {
        name: `${id.namespace}-${id.serviceAccount}`,
        resourceGroupName: inGroup.resourceGroupName,
        parentId: identity.id,
        issuer: cluster.attr('oidc_issuer_url'),
        subject: `system:serviceaccount:${id.namespace}:${id.serviceAccount}`,
        audience: [TOKEN_AUDIENCE],
      },
      isrc,
    );
    roleAssignment(b, 'backup-identity-blob', account.id, BLOB_CONTRIBUTOR, identity.attr('principal_id'), isrc);
    b.output({
      name: 'backupIdentity',
      value: identity.attr('client_id'),
      description: `azure.workload.identity/client-id for ${id.namespace}/${id.serviceAccount}`,
    });
  }
}

function trafficManager(b: CloudBuilder, stack: StackInstance, intents: ClusterIntents, inGroup: InGroup): void {
  const clusterName = intents.cluster!.name;
  // The gateway's static public IP: the primary's Traffic Manager endpoint.
  const ip = b.add(
    'azurerm_public_ip',
    'azure-native:network:PublicIPAddress',
    'gateway-ip',
    { ...inGroup, name: `${clusterName}-gateway`, allocationMethod: 'Static', sku: 'Standard', zones: azureZones(3), domainNameLabel: clusterName },
    { source: intents.dns[0].source },
  );
  b.output(gatewayAddressOutput(ip.attr('ip_address')));
  const peer = drPeer(intents);
  for (const { record: r, id, src } of failoverRecords(intents)) {
    // Priority routing: this region (1) while its health probe passes, else the DR origin (2).
    const profile = b.add(
      'azurerm_traffic_manager_profile',
      'azure-native:trafficmanager:Profile',
      `failover-${id}`,
      {
        name: id,
        resourceGroupName: inGroup.resourceGroupName,
        trafficRoutingMethod: 'Priority',
        dnsConfig: { relativeName: id, ttl: 30 },
        monitorConfig: { protocol: 'HTTPS', port: 443, path: r.healthCheckPath, intervalInSeconds: 10, timeoutInSeconds: 5, toleratedNumberOfFailures: 2 },
        tags: inGroup.tags,
      },
      src,
    );
    b.add(
      'azurerm_traffic_manager_azure_endpoint',
      'azure-native:trafficmanager:Endpoint',
      `failover-${id}-${stack.region.name}`,
      { name: stack.region.name, profileId: profile.id, targetResourceId: ip.id, priority: 1 },
      src,
    );
    if (peer) {
      b.add(
        'azurerm_traffic_manager_external_endpoint',
        'azure-native:trafficmanager:Endpoint',
        `failover-${id}-${peer.region}`,
        { name: peer.region, profileId: profile.id, target: originHost(peer.region, r.host), priority: 2 },
        src,
      );
    }
    b.output({ name: `failover_${id.replaceAll('-', '_')}`, value: profile.attr('fqdn'), description: `CNAME ${r.host} to this Traffic Manager name` });
  }
}
