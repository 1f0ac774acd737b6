/**
 * AWS for the Terraform engine: the records of ./resources.ts as typed @cdktf/provider-aws constructs
 * (each record's binding by its kind, ../terraform-shared.ts) under the providers configured here; this
 * module itself is loaded lazily by src/clouds/index.ts, only when a region is on AWS.
 */
import type { TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider/index.js';
import type { StackInstance } from '../../stacks/types.js';
import { TERRAFORM_PROVIDERS } from '../common.js';
import { buildAws } from './resources.js';
import { connectKubectl, pinProvider, renderRecords } from '../terraform-shared.js';

export function renderTerraform(scope: Construct, stack: StackInstance, kubectl: TerraformProvider): void {
  const build = buildAws(stack);
  for (const p of build.providers) {
    if (p.cloud === 'aws') {
      new AwsProvider(scope, 'aws', { region: p.region, defaultTags: [{ tags: p.tags }] });
      pinProvider(scope, TERRAFORM_PROVIDERS.aws);
    } else {
      new GoogleProvider(scope, 'google', { region: p.region });
      pinProvider(scope, TERRAFORM_PROVIDERS.gcp);
    }
  }
  renderRecords(scope, build);
  if (build.clusterAccess) connectKubectl(kubectl, build.clusterAccess);
}
