/**
 * GCP for the Terraform engine: the records of ./resources.ts as typed @cdktf/provider-google constructs
 * (each record's binding by its kind, ../terraform-shared.ts) under the provider configured here; loaded
 * lazily by src/clouds/index.ts only when a region is on GCP.
 */
import type { TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider/index.js';
import type { StackInstance } from '../../stacks/types.js';
import { TERRAFORM_PROVIDERS } from '../common.js';
import { connectKubectl, pinProvider, renderRecords } from '../terraform-shared.js';
import { buildGcp } from './resources.js';

export function renderTerraform(scope: Construct, stack: StackInstance, kubectl: TerraformProvider): void {
  const build = buildGcp(stack);
  for (const p of build.providers) new GoogleProvider(scope, 'google', { region: p.region, defaultLabels: p.tags });
  pinProvider(scope, TERRAFORM_PROVIDERS.gcp);
  renderRecords(scope, build);
  if (build.clusterAccess) connectKubectl(kubectl, build.clusterAccess);
}
