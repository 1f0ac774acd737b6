/**
 * What a stack's Pulumi program registers, computed without the Pulumi SDK: the program (program.ts)
 * and synth (synth.ts) both take the stack's provider name and object order from here.
 */
import type { StackInstance } from '../../stacks/types.js';
import type { KubeObject } from '../../objects/model.js';
import { withApplyDependencies, type OrderedObject } from '../../objects/order.js';

/** The package of our resource provider (provider/main.ts), whose provider resource each stack registers once. */
export const PROVIDER_PACKAGE = 'platform';
export const PROVIDER_TYPE = `pulumi:providers:${PROVIDER_PACKAGE}`;

/** The logical name of a stack's provider: one per region context. */
export const providerNameOf = (stack: StackInstance): string => `region-${stack.region.name}`;

/** The stack's objects in registration order, its control plane (CRDs, installs) ahead of its own. */
export const programObjects = (stack: StackInstance, controlPlane: KubeObject[]): OrderedObject[] =>
  withApplyDependencies([...controlPlane.map((manifest) => ({ manifest })), ...stack.objects]);
