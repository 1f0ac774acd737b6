/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call --
   The records' values are azurerm-shaped JSON (./resources.ts builds them); each mapping below reads them
   field by field into azure-native's typed arguments, which is where the types are checked. */
/**
 * Azure for the Pulumi engine: the azurerm-shaped records of ./resources.ts mapped onto
 * @pulumi/azure-native resources (each record's class by its token, ../pulumi-shared.ts; loaded lazily
 * by src/clouds/index.ts only when a region is on Azure). ARM splits and names things differently from
 * azurerm — blob properties are a resource of their own, object replication is declared on both
 * accounts, role assignments take a role id — and each mapping below says so once: `ARGS` where a
 * record is one resource with other arguments, `CUSTOM` where it is more.
 */
import * as pulumi from '@pulumi/pulumi';
import { Provider } from '@pulumi/azure-native/provider.js';
import { listManagedClusterUserCredentialsOutput } from '@pulumi/azure-native/containerservice/listManagedClusterUserCredentials.js';
import { BlobServiceProperties } from '@pulumi/azure-native/storage/blobServiceProperties.js';
import type { ObjectReplicationPolicy } from '@pulumi/azure-native/storage/objectReplicationPolicy.js';
import { getClientConfigOutput } from '@pulumi/azure-native/authorization/getClientConfig.js';
import { Bug } from '../../errors.js';
import type { StackInstance } from '../../stacks/types.js';
import { SYSTEM_POOL_TAINT } from '../cluster.js';
import type { PulumiCloudResult } from '../pulumi-types.js';
import { registerRecords, type PulumiCloud, type RegisterContext } from '../pulumi-shared.js';
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

/** One azurerm record's values → its azure-native resource's arguments (references resolve afterwards). */
type Args = (v: V, ctx: RegisterContext, r: CloudResource) => V;

const inGroup = (v: V): { resourceGroupName: string; location: string; tags: Record<string, string> } => ({
  resourceGroupName: v.resourceGroupName,
  location: v.location,
  tags: v.tags,
});

const ARGS: Record<string, Args> = {
  azurerm_resource_group: (v) => ({ resourceGroupName: v.name, location: v.location, tags: v.tags }),
  azurerm_virtual_network: (v) => ({ ...inGroup(v), virtualNetworkName: v.name, addressSpace: { addressPrefixes: v.addressSpace } }),
  azurerm_subnet: (v) => ({
    resourceGroupName: v.resourceGroupName,
    virtualNetworkName: v.virtualNetworkName,
    subnetName: v.name,
    addressPrefix: v.addressPrefixes[0],
  }),
  azurerm_log_analytics_workspace: (v) => ({ ...inGroup(v), workspaceName: v.name, sku: { name: v.sku }, retentionInDays: v.retentionInDays }),
  azurerm_monitor_diagnostic_setting: (v) => ({
    name: v.name,
    resourceUri: v.targetResourceId,
    workspaceId: v.logAnalyticsWorkspaceId,
    logs: v.enabledLog.map((l: V) => ({ category: l.category, enabled: true })),
  }),
  azurerm_key_vault: (v) => ({
    ...inGroup(v),
    vaultName: v.name,
    properties: {
      tenantId: v.tenantId,
      sku: { family: 'A', name: v.skuName },
      enableRbacAuthorization: v.rbacAuthorizationEnabled,
      enablePurgeProtection: v.purgeProtectionEnabled,
      softDeleteRetentionInDays: v.softDeleteRetentionDays,
    },
  }),
  azurerm_key_vault_key: (v, ctx) => {
    const vault = ctx.record(v.keyVaultId).values as V;
    return {
      resourceGroupName: vault.resourceGroupName,
      vaultName: vault.name,
      keyName: v.name,
      properties: { kty: v.keyType, keySize: v.keySize, keyOps: v.keyOpts },
    };
  },
  azurerm_kubernetes_cluster: (v) => {
    const pool = v.defaultNodePool as V;
    return {
      ...inGroup(v),
      resourceName: v.name,
      dnsPrefix: v.dnsPrefix,
      kubernetesVersion: v.kubernetesVersion,
      identity: { type: v.identity.type, userAssignedIdentities: v.identity.identityIds },
      agentPoolProfiles: [
        {
          ...agentPool(pool),
          mode: 'System',
          // azurerm's only_critical_addons_enabled is this taint.
          nodeTaints: pool.onlyCriticalAddonsEnabled ? [`${SYSTEM_POOL_TAINT}=true:NoSchedule`] : undefined,
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
  },
  azurerm_kubernetes_cluster_node_pool: (v, ctx) => {
    const cluster = ctx.record(v.kubernetesClusterId);
    return {
      resourceGroupName: cluster.values.resourceGroupName,
      resourceName: `\${${cluster.kind}.${cluster.name}.name}`,
      agentPoolName: v.name,
      mode: v.mode,
      ...agentPool(v),
      tags: v.tags,
    };
  },
  azurerm_user_assigned_identity: (v) => ({ ...inGroup(v), resourceName: v.name }),
  azurerm_federated_identity_credential: (v, ctx) => {
    const identity = ctx.record(v.parentId);
    return {
      resourceGroupName: v.resourceGroupName,
      resourceName: `\${${identity.kind}.${identity.name}.name}`,
      federatedIdentityCredentialResourceName: v.name,
      issuer: v.issuer,
      subject: v.subject,
      audiences: v.audience,
    };
  },
  azurerm_role_assignment: (v, ctx, r) => {
    const role = ROLE_IDS[v.roleDefinitionName] ?? fail(`no role id for "${v.roleDefinitionName}": add it to ROLE_IDS`);
    const subscription = getClientConfigOutput(ctx.opts(r)).subscriptionId;
    // The deployer may be a user or a service principal; the identities we create are service principals.
    const principalType = String(v.principalId).includes('azurerm_user_assigned_identity.') ? { principalType: 'ServicePrincipal' } : {};
    return {
      scope: v.scope,
      principalId: v.principalId,
      ...principalType,
      roleDefinitionId: pulumi.interpolate`/subscriptions/${subscription}/providers/Microsoft.Authorization/roleDefinitions/${role}`,
    };
  },
  azurerm_public_ip: (v) => ({
    ...inGroup(v),
    publicIpAddressName: v.name,
    publicIPAllocationMethod: v.allocationMethod,
    sku: { name: v.sku },
    zones: v.zones,
    dnsSettings: { domainNameLabel: v.domainNameLabel },
  }),
  azurerm_traffic_manager_profile: (v) => ({
    resourceGroupName: v.resourceGroupName,
    profileName: v.name,
    location: 'global',
    profileStatus: 'Enabled',
    trafficRoutingMethod: v.trafficRoutingMethod,
    dnsConfig: v.dnsConfig,
    monitorConfig: v.monitorConfig,
    tags: v.tags,
  }),
};

/** Records that map onto more than one resource, or onto a resource that needs more than its arguments. */
const CUSTOM: NonNullable<PulumiCloud['custom']> = {
  azurerm_storage_account: (r, ctx) => {
    const v = r.values as V;
    const account = ctx.create(r, {
      ...inGroup(v),
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
    });
    // ARM keeps blob settings on the account's blob service, a resource of its own (no azurerm record).
    const p = v.blobProperties as V;
    const blob = ctx.registry.add(
      new BlobServiceProperties(
        `${r.name}-blob`,
        {
          resourceGroupName: ctx.resolve(v.resourceGroupName) as pulumi.Input<string>,
          accountName: (account as unknown as { name: pulumi.Output<string> }).name,
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
  azurerm_storage_container: (r, ctx) => {
    const v = r.values as V;
    const account = ctx.record(v.storageAccountId);
    const args = {
      resourceGroupName: account.values.resourceGroupName,
      accountName: `\${${account.kind}.${account.name}.name}`,
      containerName: v.name,
      publicAccess: v.containerAccessType === 'private' ? 'None' : v.containerAccessType,
    };
    return ctx.create(r, args, { dependsOn: [ctx.lookup(`${account.name}-blob`)!] });
  },
  // The DR account is read by the object replication mapping; nothing to register.
  'data.azurerm_storage_account': () => undefined,
  azurerm_storage_object_replication: (r, ctx) => {
    const v = r.values as V;
    const source = ctx.record(v.sourceStorageAccountId);
    const target = ctx.record(v.destinationStorageAccountId).values as V;
    const rules = v.rules.map((rule: V) => ({ sourceContainer: rule.sourceContainerName, destinationContainer: rule.destinationContainerName }));
    const blob = ctx.lookup(`${source.name}-blob`)!;
    // Declared on the destination account first; the source policy reuses its id.
    const onDestination = ctx.create(
      r,
      {
        resourceGroupName: target.resourceGroupName,
        accountName: target.name,
        objectReplicationPolicyId: 'default',
        sourceAccount: v.sourceStorageAccountId,
        destinationAccount: target.name,
        rules,
      },
      { name: 'backup-replication-destination', dependsOn: [blob] },
    );
    const applied = onDestination as unknown as Pick<ObjectReplicationPolicy, 'policyId' | 'rules'>;
    const onSource = {
      resourceGroupName: source.values.resourceGroupName,
      accountName: `\${${source.kind}.${source.name}.name}`,
      sourceAccount: v.sourceStorageAccountId,
      destinationAccount: target.name,
      objectReplicationPolicyId: applied.policyId,
      rules: applied.rules.apply((set) => set ?? (ctx.resolve(rules) as never)),
    };
    return ctx.create(r, onSource, { dependsOn: [onDestination] });
  },
  azurerm_traffic_manager_azure_endpoint: (r, ctx) => endpoint(r, ctx, { endpointType: 'AzureEndpoints', targetResourceId: r.values.targetResourceId }),
  azurerm_traffic_manager_external_endpoint: (r, ctx) => endpoint(r, ctx, { endpointType: 'ExternalEndpoints', target: r.values.target }),
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

/** ARM names the profile by name, not by reference: the endpoint waits for it explicitly. */
function endpoint(r: CloudResource, ctx: RegisterContext, target: V): pulumi.Resource {
  const v = r.values as V;
  const profile = ctx.record(v.profileId);
  const args = {
    resourceGroupName: profile.values.resourceGroupName,
    profileName: profile.values.name,
    endpointName: v.name,
    ...target,
    priority: v.priority,
    endpointStatus: 'Enabled',
  };
  return ctx.create(r, args, { dependsOn: [ctx.lookup(profile.name)!] });
}

const fail = (message: string): never => {
  throw new Bug(message);
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
  const result = registerRecords(build, { provider: () => provider, args: ARGS, custom: CUSTOM, attributes: ATTRIBUTES });
  result.resources.unshift(provider);
  return result;
}
