/**
 * Azure for the Terraform engine: the records of ./resources.ts as typed @cdktf/provider-azurerm
 * constructs (deep imports; loaded lazily by src/clouds/index.ts only when a region is on Azure).
 */
import type { TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider/index.js';
import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config/index.js';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group/index.js';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network/index.js';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet/index.js';
import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace/index.js';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting/index.js';
import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault/index.js';
import { KeyVaultKey } from '@cdktf/provider-azurerm/lib/key-vault-key/index.js';
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
import { TERRAFORM_PROVIDERS } from '../common.js';
import { connectKubectl, pinProvider, renderRecords } from '../terraform-shared.js';
import { buildAzure } from './resources.js';

const RESOURCES = [
  ResourceGroup,
  VirtualNetwork,
  Subnet,
  LogAnalyticsWorkspace,
  MonitorDiagnosticSetting,
  KeyVault,
  KeyVaultKey,
  KubernetesCluster,
  KubernetesClusterNodePool,
  StorageAccount,
  StorageContainer,
  StorageObjectReplication,
  UserAssignedIdentity,
  FederatedIdentityCredential,
  RoleAssignment,
  PublicIp,
  TrafficManagerProfile,
  TrafficManagerAzureEndpoint,
  TrafficManagerExternalEndpoint,
];
const DATA_SOURCES = [DataAzurermClientConfig, DataAzurermStorageAccount];

export function renderTerraform(scope: Construct, stack: StackInstance, kubectl: TerraformProvider): void {
  const build = buildAzure(stack);
  new AzurermProvider(scope, 'azurerm', { features: [{}] });
  pinProvider(scope, TERRAFORM_PROVIDERS.azure);
  renderRecords(scope, build, { resources: RESOURCES, dataSources: DATA_SOURCES });
  if (build.clusterAccess) connectKubectl(kubectl, build.clusterAccess);
}
