/** The bill of materials of a stack's cloud resources (see ./common.ts), by the cloud of its region. */
import { cloudOf, groupIntents } from '../../clouds/common.js';
import type { StackInstance } from '../../stacks/types.js';
import type { UsageValues } from '../usage.js';
import { awsBill } from './aws.js';
import { azureBill } from './azure.js';
import type { BillItem } from './common.js';
import { gcpBill } from './gcp.js';

export type { BillItem, Charge, Range } from './common.js';

const BILLS = { aws: awsBill, gcp: gcpBill, azure: azureBill };

/** Every cloud resource the renderers create for `stack` (none for stacks without cloud intents). */
export function billOfMaterials(stack: StackInstance, usage: UsageValues, hoursPerMonth: number): BillItem[] {
  const cloud = cloudOf(stack);
  return cloud ? BILLS[cloud](stack, groupIntents(stack.cloud), usage, hoursPerMonth) : [];
}
