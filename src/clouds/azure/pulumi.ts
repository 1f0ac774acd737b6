/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call --
   The records' values are azurerm-shaped JSON (./resources.ts builds them); each mapping below reads them
   field by field into azure-native's typed arguments, which is where the types are checked. */
/**
 * Azure for the Pulumi engine: the azurerm-shaped records of ./resources.ts mapped onto
 * @pulumi/azure-native resources (per-resource module imports; loaded lazily by src/clouds/index.ts
 * only when a region is on Azure). ARM splits and names things differently from azurerm — blob
 * properties are a resource of their own, object replication is declared on both accounts, role
 * assignments take a role id — and each mapping below says so once.
 */
import * as pulumi from '@pulumi/pulumi';
import { Provider } from '@pulumi/azure-native/provider.js';
import { ResourceGroup } from '@pulumi/azure-native/resources/resourceGroup.js';
import { VirtualNetwork } from '@pulumi/azure-native/network/virtualNetwork.js';
import { Subnet } from '@pulumi/azure-native/network/subnet.js';
import { Workspace } from '@pulumi/azure-native/operationalinsights/workspace.js';
import { DiagnosticSetting } from '@pulumi/azure-native/monitor/diagnosticSetting.js';
import { Vault } from '@pulumi/azure-native/keyvault/vault.js';
import { Key } from '@pulumi/azure-native/keyvault/key.js';
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
import { Bug } from '../../errors.js';
import type { StackInstance } from '../../stacks/types.js';
import type { PulumiCloudResult } from '../pulumi-types.js';
import { registerRecords, type Invoke, type RegisterContext } from '../pulumi-shared.js';
import type { CloudResource } from '../records.js';
import { buildAzure } from './resources.js';

/** Built-in role ids (the same in every tenant) of the role names the records use. */
const ROLE_IDS: Partial<Record<string, string>> = {
  'Storage Blob Data Contributor': 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  'Key Vault Crypto Officer': '14b46e9e-c2b7-41b4-b07b-48a6ebf60603',
  'Key Vault Crypto User': '12338af0-0e69-4776-bea7-57ae8d297424',
  'Network Contributor': '4d97b98b-1d4f-4787-a291-c67834d212e7',
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- azurerm-shaped values, mapped field by field
type V = Record<string, any>;

/** One azurerm record → its azure-native resource(s). */
type Mapping = (r: CloudResource, v: V, ctx: RegisterContext) => pulumi.Resource | undefined;

/** Register `resource` (its args already resolved) in the result. */
const add = <T extends pulumi.Resource>(ctx: RegisterContext, resource: T): T => ctx.registry.add(resource);

const inGroup = (v: V, ctx: RegisterContext): { resourceGroupName: pulumi.Input<string>; location: string; tags: Record<string, string> } => ({
  resourceGroupName: ctx.resolve(v.resourceGroupName as string),
  location: v.location,
  tags: v.tags,
});

const MAPPINGS: Record<string, Mapping> = {
  azurerm_resource_group: (r, v, ctx) =>
    add(ctx, new ResourceGroup(r.name, ctx.resolve({ resourceGroupName: v.name, location: v.location, tags: v.tags }) as never, ctx.opts(r))),
  azurerm_virtual_network: (r, v, ctx) =>
    add(ctx, new VirtualNetwork(r.name, { ...inGroup(v, ctx), virtualNetworkName: v.name, addressSpace: { addressPrefixes: v.addressSpace } }, ctx.opts(r))),
  azurerm_subnet: (r, v, ctx) =>
    add(
      ctx,
      new Subnet(
        r.name,
        ctx.resolve({
          resourceGroupName: v.resourceGroupName,
          virtualNetworkName: v.virtualNetworkName,
          subnetName: v.name,
          addressPrefix: v.addressPrefixes[0],
        }) as never,
        ctx.opts(r),
      ),
    ),
  azurerm_log_analytics_workspace: (r, v, ctx) =>
    add(ctx, new Workspace(r.name, { ...inGroup(v, ctx), workspaceName: v.name, sku: { name: v.sku }, retentionInDays: v.retentionInDays }, ctx.opts(r))),
  azurerm_monitor_diagnostic_setting: (r, v, ctx) =>
    add(
      ctx,
      new DiagnosticSetting(
        r.name,
        ctx.resolve({
          name: v.name,
          resourceUri: v.targetResourceId,
          workspaceId: v.logAnalyticsWorkspaceId,
          logs: v.enabledLog.map((l: V) => ({ category: l.category, enabled: true })),
        }) as never,
        ctx.opts(r),
      ),
    ),
  azurerm_key_vault: (r, v, ctx) =>
    add(
      ctx,
      new Vault(
        r.name,
        {
          ...inGroup(v, ctx),
          vaultName: v.name,
          properties: ctx.resolve({
            tenantId: v.tenantId,
            sku: { family: 'A', name: v.skuName },
            enableRbacAuthorization: v.rbacAuthorizationEnabled,
            enablePurgeProtection: v.purgeProtectionEnabled,
            softDeleteRetentionInDays: v.softDeleteRetentionDays,
          }) as never,
        },
        ctx.opts(r),
      ),
    ),
  azurerm_key_vault_key: (r, v, ctx) => {
    const vault = ctx.record(v.keyVaultId).values as V;
    return add(
      ctx,
      new Key(
        r.name,
        ctx.resolve({
          resourceGroupName: vault.resourceGroupName,
          vaultName: vault.name,
          keyName: v.name,
          properties: { kty: v.keyType, keySize: v.keySize, keyOps: v.keyOpts },
        }) as never,
        ctx.opts(r),
      ),
    );
  },
  azurerm_kubernetes_cluster: (r, v, ctx) => {
    const pool = v.defaultNodePool as V;
    const args = {
      ...inGroup(v, ctx),
      resourceName: v.name,
      dnsPrefix: v.dnsPrefix,
      kubernetesVersion: v.kubernetesVersion,
      identity: { type: v.identity.type, userAssignedIdentities: v.identity.identityIds },
      agentPoolProfiles: [
        {
          ...agentPool(pool),
          mode: 'System',
          // azurerm's only_critical_addons_enabled is this taint.
          nodeTaints: pool.onlyCriticalAddonsEnabled ? ['CriticalAddonsOnly=true:NoSchedule'] : undefined,
        },
      ],
      oidcIssuerProfile: { enabled: v.oidcIssuerEnabled },
      securityProfile: {
        workloadIdentity: { enabled: v.workloadIdentityEnabled },
        azureKeyVaultKms: { enabled: true, keyId: v.keyManagementService.keyVaultKeyId, keyVaultNetworkAccess: v.keyManagementService.keyVaultNetworkAccess },
      },
      networkProfile: {
        networkPlugin: v.networkProfile.networkPlugin,
        networkPluginMode: v.networkProfile.networkPluginMode,
        networkDataplane: v.networkProfile.networkDataPlane,
        networkPolicy: v.networkProfile.networkPolicy,
      },
      apiServerAccessProfile: { enablePrivateCluster: v.privateClusterEnabled, authorizedIPRanges: v.apiServerAccessProfile?.authorizedIpRanges },
    };
    return add(ctx, new ManagedCluster(r.name, ctx.resolve(args) as never, ctx.opts(r)));
  },
  azurerm_kubernetes_cluster_node_pool: (r, v, ctx) => {
    const cluster = ctx.record(v.kubernetesClusterId);
    const args = {
      resourceGroupName: cluster.values.resourceGroupName,
      resourceName: `\${${cluster.kind}.${cluster.name}.name}`,
      agentPoolName: v.name,
      mode: v.mode,
      ...agentPool(v),
      tags: v.tags,
    };
    return add(ctx, new AgentPool(r.name, ctx.resolve(args) as never, ctx.opts(r)));
  },
  azurerm_storage_account: (r, v, ctx) => {
    const account = add(
      ctx,
      new StorageAccount(
        r.name,
        {
          ...inGroup(v, ctx),
          accountName: v.name,
          kind: 'StorageV2',
          sku: { name: `${v.accountTier}_${v.accountReplicationType}` },
          minimumTlsVersion: v.minTlsVersion,
          allowBlobPublicAccess: v.allowNestedItemsToBePublic,
          encryption: {
            keySource: 'Microsoft.Storage',
            requireInfrastructureEncryption: v.infrastructureEncryptionEnabled,
            services: { blob: { enabled: true, keyType: 'Account' } },
          },
        },
        ctx.opts(r),
      ),
    );
    // ARM keeps blob settings on the account's blob service, a resource of its own.
    const p = v.blobProperties as V;
    const blob = add(
      ctx,
      new BlobServiceProperties(
        `${r.name}-blob`,
        {
          resourceGroupName: ctx.resolve(v.resourceGroupName) as pulumi.Input<string>,
          accountName: account.name,
          blobServicesName: 'default',
          isVersioningEnabled: p.versioningEnabled,
          changeFeed: { enabled: p.changeFeedEnabled },
          deleteRetentionPolicy: { enabled: true, days: p.deleteRetentionPolicy.days },
          containerDeleteRetentionPolicy: { enabled: true, days: p.containerDeleteRetentionPolicy.days },
        },
        ctx.opts(r),
      ),
    );
    ctx.remember(`${r.name}-blob`, blob);
    return account;
  },
  azurerm_storage_container: (r, v, ctx) => {
    const account = ctx.record(v.storageAccountId);
    const args = {
      resourceGroupName: account.values.resourceGroupName,
      accountName: `\${${account.kind}.${account.name}.name}`,
      containerName: v.name,
      publicAccess: v.containerAccessType === 'private' ? 'None' : v.containerAccessType,
    };
    return add(ctx, new BlobContainer(r.name, ctx.resolve(args) as never, { ...ctx.opts(r), dependsOn: [ctx.lookup(`${account.name}-blob`)!] }));
  },
  // The DR account is read by the object replication mapping; nothing to register.
  'data.azurerm_storage_account': () => undefined,
  azurerm_storage_object_replication: (r, v, ctx) => {
    const source = ctx.record(v.sourceStorageAccountId);
    const target = ctx.record(v.destinationStorageAccountId).values as V;
    const rules = v.rules.map((rule: V) => ({ sourceContainer: rule.sourceContainerName, destinationContainer: rule.destinationContainerName }));
    const blob = ctx.lookup(`${source.name}-blob`)!;
    // Declared on the destination account first; the source policy reuses its id.
    const onDestination = add(
      ctx,
      new ObjectReplicationPolicy(
        'backup-replication-destination',
        ctx.resolve({
          resourceGroupName: target.resourceGroupName,
          accountName: target.name,
          objectReplicationPolicyId: 'default',
          sourceAccount: v.sourceStorageAccountId,
          destinationAccount: target.name,
          rules,
        }) as never,
        { ...ctx.opts(r), dependsOn: [blob] },
      ),
    );
    const onSource = {
      resourceGroupName: source.values.resourceGroupName,
      accountName: `\${${source.kind}.${source.name}.name}`,
      sourceAccount: v.sourceStorageAccountId,
      destinationAccount: target.name,
    };
    return add(
      ctx,
      new ObjectReplicationPolicy(
        r.name,
        {
          ...(ctx.resolve(onSource) as V),
          objectReplicationPolicyId: onDestination.policyId,
          rules: onDestination.rules.apply((applied) => applied ?? (ctx.resolve(rules) as never)),
        } as never,
        { ...ctx.opts(r), dependsOn: [onDestination] },
      ),
    );
  },
  azurerm_user_assigned_identity: (r, v, ctx) => add(ctx, new UserAssignedIdentity(r.name, { ...inGroup(v, ctx), resourceName: v.name }, ctx.opts(r))),
  azurerm_federated_identity_credential: (r, v, ctx) => {
    const identity = ctx.record(v.parentId);
    const args = {
      resourceGroupName: v.resourceGroupName,
      resourceName: `\${${identity.kind}.${identity.name}.name}`,
      federatedIdentityCredentialResourceName: v.name,
      issuer: v.issuer,
      subject: v.subject,
      audiences: v.audience,
    };
    return add(ctx, new FederatedIdentityCredential(r.name, ctx.resolve(args) as never, ctx.opts(r)));
  },
  azurerm_role_assignment: (r, v, ctx) => {
    const role = ROLE_IDS[v.roleDefinitionName] ?? fail(`no role id for "${v.roleDefinitionName}": add it to ROLE_IDS`);
    const subscription = getClientConfigOutput(ctx.opts(r)).subscriptionId;
    // The deployer may be a user or a service principal; the identities we create are service principals.
    const principalType = String(v.principalId).includes('azurerm_user_assigned_identity.') ? { principalType: 'ServicePrincipal' } : {};
    return add(
      ctx,
      new RoleAssignment(
        r.name,
        {
          ...(ctx.resolve({ scope: v.scope, principalId: v.principalId }) as V),
          ...principalType,
          roleDefinitionId: pulumi.interpolate`/subscriptions/${subscription}/providers/Microsoft.Authorization/roleDefinitions/${role}`,
        } as never,
        ctx.opts(r),
      ),
    );
  },
  azurerm_public_ip: (r, v, ctx) =>
    add(
      ctx,
      new PublicIPAddress(
        r.name,
        {
          ...inGroup(v, ctx),
          publicIpAddressName: v.name,
          publicIPAllocationMethod: v.allocationMethod,
          sku: { name: v.sku },
          zones: v.zones,
          dnsSettings: { domainNameLabel: v.domainNameLabel },
        },
        ctx.opts(r),
      ),
    ),
  azurerm_traffic_manager_profile: (r, v, ctx) =>
    add(
      ctx,
      new Profile(
        r.name,
        ctx.resolve({
          resourceGroupName: v.resourceGroupName,
          profileName: v.name,
          location: 'global',
          profileStatus: 'Enabled',
          trafficRoutingMethod: v.trafficRoutingMethod,
          dnsConfig: v.dnsConfig,
          monitorConfig: v.monitorConfig,
          tags: v.tags,
        }) as never,
        ctx.opts(r),
      ),
    ),
  azurerm_traffic_manager_azure_endpoint: (r, v, ctx) => endpoint(r, v, ctx, { endpointType: 'AzureEndpoints', targetResourceId: v.targetResourceId }),
  azurerm_traffic_manager_external_endpoint: (r, v, ctx) => endpoint(r, v, ctx, { endpointType: 'ExternalEndpoints', target: v.target }),
};

/** azurerm's pool fields in ARM's names (the default pool and user pools share them). */
function agentPool(p: V): V {
  return {
    name: p.name,
    osType: 'Linux',
    vmSize: p.vmSize,
    enableAutoScaling: p.autoScalingEnabled,
    count: p.minCount,
    minCount: p.minCount,
    maxCount: p.maxCount,
    availabilityZones: p.zones,
    vnetSubnetID: p.vnetSubnetId,
    enableNodePublicIP: p.nodePublicIpEnabled,
    nodeLabels: p.nodeLabels,
  };
}

function endpoint(r: CloudResource, v: V, ctx: RegisterContext, target: V): pulumi.Resource {
  const profile = ctx.record(v.profileId);
  const args = {
    resourceGroupName: profile.values.resourceGroupName,
    profileName: profile.values.name,
    endpointName: v.name,
    ...target,
    priority: v.priority,
    endpointStatus: 'Enabled',
  };
  return add(ctx, new Endpoint(r.name, ctx.resolve(args) as never, { ...ctx.opts(r), dependsOn: [ctx.lookup(profile.name)!] }));
}

const fail = (message: string): never => {
  throw new Bug(message);
};

const INVOKES: Record<string, Invoke> = {
  'data.azurerm_client_config': (_, opts) => getClientConfigOutput(opts) as unknown as pulumi.Output<Record<string, unknown>>,
};

const ATTRIBUTES = {
  'azurerm_kubernetes_cluster.oidc_issuer_url': 'oidcIssuerProfile.issuerURL',
  // AKS hands out a client-certificate kubeconfig through an action, base64-encoded.
  'azurerm_kubernetes_cluster.kube_config_raw': (cluster: pulumi.Resource, record: CloudResource, resolve: <T>(v: T) => pulumi.Input<T>) =>
    listManagedClusterUserCredentialsOutput({
      resourceGroupName: resolve(record.values.resourceGroupName as string),
      resourceName: (cluster as unknown as { name: pulumi.Output<string> }).name,
    }).kubeconfigs.apply((k) => Buffer.from(k[0]?.value ?? '', 'base64').toString('utf8')),
  'azurerm_key_vault_key.id': 'keyUriWithVersion',
  'azurerm_traffic_manager_profile.fqdn': 'dnsConfig.fqdn',
};

export function renderPulumi(stack: StackInstance): PulumiCloudResult {
  const build = buildAzure(stack);
  const provider = new Provider('azure-native', {});
  const custom = Object.fromEntries(Object.entries(MAPPINGS).map(([kind, map]) => [kind, (r: CloudResource, ctx: RegisterContext) => map(r, r.values, ctx)]));
  const result = registerRecords(build, { classes: [], invokes: INVOKES, provider: () => provider, custom, attributes: ATTRIBUTES });
  result.resources.unshift(provider);
  return result;
}
