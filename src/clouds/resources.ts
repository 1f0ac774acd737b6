/**
 * A cluster stack's cloud resources as engine-neutral data: one builder per cloud (`<cloud>/resources.ts`,
 * no SDK) turns the stack's intents into records, and two thin renderers map the same records onto the
 * CDKTF constructs (`<cloud>/terraform.ts`) and the Pulumi resources (`<cloud>/pulumi.ts`). The records are
 * also what the policy gate checks (`input.object` = `{ kind, name, values }`, the same for both engines).
 *
 * - `kind` is the Terraform type (`aws_eks_cluster`; a data source is `data.<type>`), `pulumiType` the
 *   Pulumi token the record is registered as (a data source's: the invoke token);
 * - `values` are the arguments as the CDKTF binding takes them (camelCase); where the Pulumi SDK shapes an
 *   argument differently (`taint` vs `taints`) the Pulumi renderer maps it, once;
 * - a reference to another record is a Terraform interpolation, `${aws_vpc.vpc.id}` (see `ref`): CDKTF
 *   writes it as it is, Pulumi resolves it to the other resource's output.
 */
import type { StackInstance } from '../stacks/types.js';
import { buildAws } from './aws/resources.js';
import { buildAzure } from './azure/resources.js';
import { cloudOf, type CloudName } from './common.js';
import { buildGcp } from './gcp/resources.js';
import type { CloudBuild, CloudResource } from './records.js';

export type { CloudBuild, CloudResource } from './records.js';

const BUILDERS: Record<CloudName, (stack: StackInstance) => CloudBuild> = { aws: buildAws, gcp: buildGcp, azure: buildAzure };

/** What a cluster stack on a cloud creates (nothing for other stacks). */
export function cloudBuild(stack: StackInstance): CloudBuild {
  const cloud = cloudOf(stack);
  return cloud ? BUILDERS[cloud](stack) : { providers: [], resources: [], outputs: [] };
}

/** The stack's cloud resources and data sources (the policy input's cloud objects). */
export const cloudResources = (stack: StackInstance): CloudResource[] => cloudBuild(stack).resources;
