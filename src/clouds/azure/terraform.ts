/**
 * Azure for the Terraform engine: the records of ./resources.ts as typed @cdktf/provider-azurerm
 * constructs (each record's binding by its kind, ../terraform-shared.ts) under the provider configured
 * here; loaded lazily by src/clouds/index.ts only when a region is on Azure.
 */
import type { TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider/index.js';
import type { StackInstance } from '../../stacks/types.js';
import { TERRAFORM_PROVIDERS } from '../common.js';
import { connectKubectl, pinProvider, renderRecords } from '../terraform-shared.js';
import { buildAzure } from './resources.js';

export function renderTerraform(scope: Construct, stack: StackInstance, kubectl: TerraformProvider): void {
  const build = buildAzure(stack);
  new AzurermProvider(scope, 'azurerm', { features: [{}] });
  pinProvider(scope, TERRAFORM_PROVIDERS.azure);
  renderRecords(scope, build);
  if (build.clusterAccess) connectKubectl(kubectl, build.clusterAccess);
}
