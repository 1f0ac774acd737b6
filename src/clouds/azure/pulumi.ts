/**
 * Azure for the Pulumi engine: a cluster stack's intents as @pulumi/azure-native resources (per-resource
 * module imports; loaded lazily by src/clouds/index.ts only when a region is on Azure). Mirrors ./terraform.ts.
 */
import * as pulumi from '@pulumi/pulumi';
import { Provider } from '@pulumi/azure-native/provider.js';
import { ResourceGroup } from '@pulumi/azure-native/resources/resourceGroup.js';
import { VirtualNetwork } from '@pulumi/azure-native/network/virtualNetwork.js';
import { Subnet } from '@pulumi/azure-native/network/subnet.js';
import { ManagedCluster } from '@pulumi/azure-native/containerservice/managedCluster.js';
import { AgentPool } from '@pulumi/azure-native/containerservice/agentPool.js';
import { listManagedClusterUserCredentialsOutput } from '@pulumi/azure-native/containerservice/listManagedClusterUserCredentials.js';
import { StorageAccount } from '@pulumi/azure-native/storage/storageAccount.js';
import { BlobServiceProperties } from '@pulumi/azure-native/storage/blobServiceProperties.js';
import { BlobContainer } from '@pulumi/azure-native/storage/blobContainer.js';
import { ObjectReplicationPolicy } from '@pulumi/azure-native/storage/objectReplicationPolicy.js';
import { UserAssignedIdentity } from '@pulumi/azure-native/managedidentity/userAssignedIdentity.js';
import { FederatedIdentityCredential } from '@pulumi/azure-native/managedidentity/federatedIdentityCredential.js';
import { RoleAssignment } from '@pulumi/azure-native/authorization/roleAssignment.js';
import { getClientConfigOutput } from '@pulumi/azure-native/authorization/getClientConfig.js';
import { PublicIPAddress } from '@pulumi/azure-native/network/publicIPAddress.js';
import { Profile } from '@pulumi/azure-native/trafficmanager/profile.js';
import { Endpoint } from '@pulumi/azure-native/trafficmanager/endpoint.js';
import type { StackInstance } from '../../stacks/types.js';
import type { PulumiCloudResult } from '../pulumi-types.js';
import { Registry } from '../pulumi-shared.js';
import { azureZones, cloudTags, dashed, drPeer, groupIntents, originHost, replicationKind, subnetCidrs } from '../common.js';
import { BACKUP_CONTAINER, BLOB_CONTRIBUTOR_ROLE_ID, peerClusterName, poolName, resourceGroupName, storageAccountName, TOKEN_AUDIENCE } from './names.js';

export function renderPulumi(stack: StackInstance): PulumiCloudResult {
  const intents = groupIntents(stack.cloud);
  const location = stack.region.location;
  const tags = cloudTags(stack);
  const reg = new Registry();
  // Subscription and tenant come from ARM_* settings (or `az login`).
  const provider = reg.add(new Provider('azure-native', {}));
  const opts = (dependsOn?: pulumi.Resource[]): pulumi.CustomResourceOptions => ({ provider, dependsOn });
  const baseName = intents.cluster?.name ?? intents.network?.name ?? stack.label;
  const group = reg.add(new ResourceGroup('group', { resourceGroupName: resourceGroupName(baseName), location, tags }, opts()));
  const inGroup = { resourceGroupName: group.name, location, tags };

  let subnet: Subnet | undefined;
  if (intents.network) {
    const net = intents.network;
    const vnet = reg.add(new VirtualNetwork('vnet', { ...inGroup, virtualNetworkName: net.name, addressSpace: { addressPrefixes: [net.cidr] } }, opts()));
    subnet = reg.add(new Subnet('subnet', { resourceGroupName: group.name, virtualNetworkName: vnet.name, subnetName: 'nodes', addressPrefix: subnetCidrs(net.cidr, 1)[0] }, opts()));
  }

  let cluster: ManagedCluster | undefined;
  if (intents.cluster) {
    const c = intents.cluster;
    const zones = azureZones(intents.network?.zones ?? 3);
    const system = c.pools.find((p) => p.role === 'system') ?? c.pools[0];
    cluster = reg.add(
      new ManagedCluster(
        'cluster',
        {
          ...inGroup,
          resourceName: c.name,
          dnsPrefix: c.name,
          kubernetesVersion: c.version,
          identity: { type: 'SystemAssigned' },
          agentPoolProfiles: [
            {
              name: poolName(system.name),
              mode: 'System',
              osType: 'Linux',
              vmSize: system.machine,
              enableAutoScaling: true,
              count: system.min,
              minCount: system.min,
              maxCount: system.max,
              availabilityZones: zones,
              vnetSubnetID: subnet?.id,
              nodeTaints: ['CriticalAddonsOnly=true:NoSchedule'],
              nodeLabels: { 'platform.dev/pool': system.role },
            },
          ],
          oidcIssuerProfile: { enabled: true },
          securityProfile: { workloadIdentity: { enabled: true } },
          networkProfile: { networkPlugin: 'azure', networkPluginMode: 'overlay' },
        },
        opts(),
      ),
    );
    for (const pool of c.pools.filter((p) => p !== system)) {
      reg.add(
        new AgentPool(
          `pool-${pool.name}`,
          {
            resourceGroupName: group.name,
            resourceName: cluster.name,
            agentPoolName: poolName(pool.name),
            mode: 'User',
            osType: 'Linux',
            vmSize: pool.machine,
            enableAutoScaling: true,
            count: pool.min,
            minCount: pool.min,
            maxCount: pool.max,
            availabilityZones: zones,
            vnetSubnetID: subnet?.id,
            nodeLabels: { 'platform.dev/pool': pool.role },
            tags,
          },
          opts(),
        ),
      );
    }
    // AKS hands out a client-certificate kubeconfig: a secret output.
    const creds = listManagedClusterUserCredentialsOutput({ resourceGroupName: group.name, resourceName: cluster.name }, { provider });
    reg.output('kubeconfig', creds.kubeconfigs.apply((k) => Buffer.from(k[0]?.value ?? '', 'base64').toString('utf8')), true);
  }

  if (intents.bucket) {
    const b = intents.bucket;
    const account = reg.add(
      new StorageAccount(
        'backup-account',
        {
          ...inGroup,
          accountName: storageAccountName(b.name),
          kind: 'StorageV2',
          sku: { name: 'Standard_ZRS' },
          minimumTlsVersion: 'TLS1_2',
          allowBlobPublicAccess: false,
          encryption: { keySource: 'Microsoft.Storage', requireInfrastructureEncryption: true, services: { blob: { enabled: true, keyType: 'Account' } } },
        },
        opts(),
      ),
    );
    const blobService = reg.add(
      new BlobServiceProperties('backup-account-blob', { resourceGroupName: group.name, accountName: account.name, blobServicesName: 'default', isVersioningEnabled: true, changeFeed: { enabled: true } }, opts()),
    );
    const container = reg.add(new BlobContainer('backup-container', { resourceGroupName: group.name, accountName: account.name, containerName: BACKUP_CONTAINER, publicAccess: 'None' }, opts([blobService])));
    if (b.replicateTo) {
      const target = b.replicateTo;
      replicationKind('azure', target.cloud);
      // Object replication is declared on the destination account first; the source policy reuses its id.
      const targetGroup = resourceGroupName(peerClusterName(baseName, stack.region.name, target.region));
      const targetAccount = storageAccountName(target.bucket);
      const rules = [{ sourceContainer: container.name, destinationContainer: BACKUP_CONTAINER }];
      const onDestination = reg.add(
        new ObjectReplicationPolicy(
          'backup-replication-destination',
          { resourceGroupName: targetGroup, accountName: targetAccount, objectReplicationPolicyId: 'default', sourceAccount: account.id, destinationAccount: targetAccount, rules },
          opts([blobService]),
        ),
      );
      reg.add(
        new ObjectReplicationPolicy(
          'backup-bucket-replication',
          {
            resourceGroupName: group.name,
            accountName: account.name,
            objectReplicationPolicyId: onDestination.policyId,
            sourceAccount: account.id,
            destinationAccount: targetAccount,
            rules: onDestination.rules.apply((applied) => applied ?? rules),
          },
          opts([onDestination]),
        ),
      );
    }

    if (intents.identity && cluster) {
      const id = intents.identity;
      const identity = reg.add(new UserAssignedIdentity('backup-identity', { ...inGroup, resourceName: id.name }, opts()));
      const issuer = cluster.oidcIssuerProfile.apply((p) => p?.issuerURL ?? '');
      reg.add(
        new FederatedIdentityCredential(
          'backup-identity-federation',
          {
            resourceGroupName: group.name,
            resourceName: identity.name,
            federatedIdentityCredentialResourceName: `${id.namespace}-${id.serviceAccount}`,
            issuer,
            subject: `system:serviceaccount:${id.namespace}:${id.serviceAccount}`,
            audiences: [TOKEN_AUDIENCE],
          },
          opts(),
        ),
      );
      const subscription = getClientConfigOutput({ provider }).subscriptionId;
      reg.add(
        new RoleAssignment(
          'backup-identity-blob',
          {
            scope: account.id,
            principalId: identity.principalId,
            principalType: 'ServicePrincipal',
            roleDefinitionId: pulumi.interpolate`/subscriptions/${subscription}/providers/Microsoft.Authorization/roleDefinitions/${BLOB_CONTRIBUTOR_ROLE_ID}`,
          },
          opts(),
        ),
      );
      reg.output('backupIdentity', identity.clientId);
    }
  }

  if (intents.dns.length && intents.cluster) {
    const ip = reg.add(
      new PublicIPAddress(
        'gateway-ip',
        {
          ...inGroup,
          publicIpAddressName: `${intents.cluster.name}-gateway`,
          publicIPAllocationMethod: 'Static',
          sku: { name: 'Standard' },
          zones: azureZones(3),
          dnsSettings: { domainNameLabel: intents.cluster.name },
        },
        opts(),
      ),
    );
    reg.output('gatewayAddress', ip.ipAddress);
    const peer = drPeer(intents);
    for (const r of intents.dns.filter((d) => d.role === 'primary')) {
      const id = dashed(r.host);
      const profile = reg.add(
        new Profile(
          `failover-${id}`,
          {
            resourceGroupName: group.name,
            profileName: id,
            location: 'global',
            profileStatus: 'Enabled',
            trafficRoutingMethod: 'Priority',
            dnsConfig: { relativeName: id, ttl: 30 },
            monitorConfig: { protocol: 'HTTPS', port: 443, path: r.healthCheckPath, intervalInSeconds: 10, timeoutInSeconds: 5, toleratedNumberOfFailures: 2 },
            tags,
          },
          opts(),
        ),
      );
      reg.add(
        new Endpoint(
          `failover-${id}-${stack.region.name}`,
          { resourceGroupName: group.name, profileName: id, endpointName: stack.region.name, endpointType: 'AzureEndpoints', targetResourceId: ip.id, priority: 1, endpointStatus: 'Enabled' },
          opts([profile]),
        ),
      );
      if (peer) {
        reg.add(
          new Endpoint(
            `failover-${id}-${peer.region}`,
            { resourceGroupName: group.name, profileName: id, endpointName: peer.region, endpointType: 'ExternalEndpoints', target: originHost(peer.region, r.host), priority: 2, endpointStatus: 'Enabled' },
            opts([profile]),
          ),
        );
      }
      reg.output(`failover_${id.replaceAll('-', '_')}`, profile.dnsConfig.apply((d) => d?.fqdn ?? ''));
    }
  }
  return reg.result;
}
