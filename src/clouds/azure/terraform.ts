/**
 * Azure for the Terraform engine: a cluster stack's intents as typed @cdktf/provider-azurerm resources
 * (deep imports; loaded lazily by src/clouds/index.ts only when a region is on Azure).
 */
import { Fn, TerraformOutput, type TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider/index.js';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group/index.js';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network/index.js';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet/index.js';
import { KubernetesCluster } from '@cdktf/provider-azurerm/lib/kubernetes-cluster/index.js';
import { KubernetesClusterNodePool } from '@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool/index.js';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account/index.js';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container/index.js';
import { StorageObjectReplication } from '@cdktf/provider-azurerm/lib/storage-object-replication/index.js';
import { DataAzurermStorageAccount } from '@cdktf/provider-azurerm/lib/data-azurerm-storage-account/index.js';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity/index.js';
import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential/index.js';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment/index.js';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip/index.js';
import { TrafficManagerProfile } from '@cdktf/provider-azurerm/lib/traffic-manager-profile/index.js';
import { TrafficManagerAzureEndpoint } from '@cdktf/provider-azurerm/lib/traffic-manager-azure-endpoint/index.js';
import { TrafficManagerExternalEndpoint } from '@cdktf/provider-azurerm/lib/traffic-manager-external-endpoint/index.js';
import type { StackInstance } from '../../stacks/types.js';
import { azureZones, cloudTags, dashed, drPeer, groupIntents, originHost, replicationKind, subnetCidrs, TERRAFORM_PROVIDERS } from '../common.js';
import { exportKubeconfig, pinProvider } from '../terraform-shared.js';
import { BACKUP_CONTAINER, BLOB_CONTRIBUTOR, peerClusterName, poolName, resourceGroupName, storageAccountName, TOKEN_AUDIENCE } from './names.js';

export function renderTerraform(scope: Construct, stack: StackInstance, kubectl: TerraformProvider): void {
  const intents = groupIntents(stack.cloud);
  const location = stack.region.location;
  const tags = cloudTags(stack);
  // Subscription and tenant come from ARM_* settings (or `az login`), not from platform.yaml.
  new AzurermProvider(scope, 'azurerm', { features: [{}] });
  pinProvider(scope, TERRAFORM_PROVIDERS.azure);
  const baseName = intents.cluster?.name ?? intents.network?.name ?? stack.label;
  const group = new ResourceGroup(scope, 'group', { name: resourceGroupName(baseName), location, tags });
  const inGroup = { resourceGroupName: group.name, location, tags };

  let subnet: Subnet | undefined;
  if (intents.network) {
    const net = intents.network;
    const vnet = new VirtualNetwork(scope, 'vnet', { ...inGroup, name: net.name, addressSpace: [net.cidr] });
    // Azure subnets span the region's zones; the node pools are spread over zones 1–3.
    subnet = new Subnet(scope, 'subnet', { name: 'nodes', resourceGroupName: group.name, virtualNetworkName: vnet.name, addressPrefixes: [subnetCidrs(net.cidr, 1)[0]] });
  }

  let cluster: KubernetesCluster | undefined;
  if (intents.cluster) {
    const c = intents.cluster;
    const zones = azureZones(intents.network?.zones ?? 3);
    const system = c.pools.find((p) => p.role === 'system') ?? c.pools[0];
    cluster = new KubernetesCluster(scope, 'cluster', {
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
        nodeLabels: { 'platform.dev/pool': system.role },
      },
      identity: { type: 'SystemAssigned' },
      oidcIssuerEnabled: true,
      workloadIdentityEnabled: true,
      networkProfile: { networkPlugin: 'azure', networkPluginMode: 'overlay' },
    });
    for (const pool of c.pools.filter((p) => p !== system)) {
      new KubernetesClusterNodePool(scope, `pool-${pool.name}`, {
        name: poolName(pool.name),
        kubernetesClusterId: cluster.id,
        vmSize: pool.machine,
        mode: 'User',
        autoScalingEnabled: true,
        minCount: pool.min,
        maxCount: pool.max,
        zones,
        vnetSubnetId: subnet?.id,
        nodeLabels: { 'platform.dev/pool': pool.role },
        tags,
      });
    }
    // AKS hands out a client-certificate kubeconfig: a secret, so the output is sensitive.
    const kube = cluster.kubeConfig.get(0);
    exportKubeconfig(
      scope,
      kubectl,
      cluster.kubeConfigRaw,
      {
        host: kube.host,
        client_certificate: Fn.base64decode(kube.clientCertificate),
        client_key: Fn.base64decode(kube.clientKey),
        cluster_ca_certificate: Fn.base64decode(kube.clusterCaCertificate),
      },
      true,
    );
  }

  if (intents.bucket) {
    const b = intents.bucket;
    // Zone-redundant, versioned, change feed on (object replication needs both), double encryption at rest.
    const account = new StorageAccount(scope, 'backup-account', {
      ...inGroup,
      name: storageAccountName(b.name),
      accountTier: 'Standard',
      accountReplicationType: 'ZRS',
      minTlsVersion: 'TLS1_2',
      allowNestedItemsToBePublic: false,
      infrastructureEncryptionEnabled: true,
      blobProperties: { versioningEnabled: true, changeFeedEnabled: true },
    });
    const container = new StorageContainer(scope, 'backup-container', { name: BACKUP_CONTAINER, storageAccountId: account.id, containerAccessType: 'private' });
    if (b.replicateTo) {
      replicationKind('azure', b.replicateTo.cloud);
      // Blob object replication into the DR region's account (created by its own cluster stack).
      const target = new DataAzurermStorageAccount(scope, 'replica-account', {
        name: storageAccountName(b.replicateTo.bucket),
        resourceGroupName: resourceGroupName(peerClusterName(baseName, stack.region.name, b.replicateTo.region)),
      });
      new StorageObjectReplication(scope, 'backup-bucket-replication', {
        sourceStorageAccountId: account.id,
        destinationStorageAccountId: target.id,
        rules: [{ sourceContainerName: container.name, destinationContainerName: BACKUP_CONTAINER }],
      });
    }

    if (intents.identity && cluster) {
      const id = intents.identity;
      // Workload identity: a managed identity federated with the velero service account's tokens.
      const identity = new UserAssignedIdentity(scope, 'backup-identity', { ...inGroup, name: id.name });
      new FederatedIdentityCredential(scope, 'backup-identity-federation', {
        name: `${id.namespace}-${id.serviceAccount}`,
        resourceGroupName: group.name,
        parentId: identity.id,
        issuer: cluster.oidcIssuerUrl,
        subject: `system:serviceaccount:${id.namespace}:${id.serviceAccount}`,
        audience: [TOKEN_AUDIENCE],
      });
      new RoleAssignment(scope, 'backup-identity-blob', { scope: account.id, roleDefinitionName: BLOB_CONTRIBUTOR, principalId: identity.principalId });
      new TerraformOutput(scope, 'backup_identity', { value: identity.clientId, description: `azure.workload.identity/client-id for ${id.namespace}/${id.serviceAccount}` });
    }
  }

  if (intents.dns.length && intents.cluster) {
    // The gateway's static public IP: the primary's Traffic Manager endpoint.
    const ip = new PublicIp(scope, 'gateway-ip', { ...inGroup, name: `${intents.cluster.name}-gateway`, allocationMethod: 'Static', sku: 'Standard', zones: azureZones(3), domainNameLabel: intents.cluster.name });
    new TerraformOutput(scope, 'gateway_address', { value: ip.ipAddress, description: 'loadBalancerIP of the Istio ingress gateway' });
    const peer = drPeer(intents);
    for (const r of intents.dns.filter((d) => d.role === 'primary')) {
      const id = dashed(r.host);
      // Priority routing: this region (1) while its health probe passes, else the DR origin (2).
      const profile = new TrafficManagerProfile(scope, `failover-${id}`, {
        name: id,
        resourceGroupName: group.name,
        trafficRoutingMethod: 'Priority',
        dnsConfig: { relativeName: id, ttl: 30 },
        monitorConfig: { protocol: 'HTTPS', port: 443, path: r.healthCheckPath, intervalInSeconds: 10, timeoutInSeconds: 5, toleratedNumberOfFailures: 2 },
        tags,
      });
      new TrafficManagerAzureEndpoint(scope, `failover-${id}-${stack.region.name}`, { name: stack.region.name, profileId: profile.id, targetResourceId: ip.id, priority: 1 });
      if (peer) new TrafficManagerExternalEndpoint(scope, `failover-${id}-${peer.region}`, { name: peer.region, profileId: profile.id, target: originHost(peer.region, r.host), priority: 2 });
      new TerraformOutput(scope, `failover_${id.replaceAll('-', '_')}`, { value: profile.fqdn, description: `CNAME ${r.host} to this Traffic Manager name` });
    }
  }
}
