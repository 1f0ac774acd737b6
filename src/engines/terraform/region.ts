/** The one cluster client (src/kube) for a stack's region, as the Terraform engine reaches it after or between tofu runs. */
import { resolveKubeAccess } from '../../kube/access.js';
import { KubeClient } from '../../kube/client.js';
import type { StackInstance } from '../../stacks/types.js';
import { stateContextOf, type RunContext } from '../types.js';
import { terraformStateReader } from './state.js';

/** Reached as drift reaches it; a cloud region through its cluster stack's output in state. The caller closes it. */
export async function connectRegion(stack: StackInstance, ctx: RunContext): Promise<KubeClient> {
  const reader = terraformStateReader(stateContextOf(ctx), ctx.store);
  return KubeClient.connect(await resolveKubeAccess(ctx.config, stack.region, ctx.projectDir, (id, output) => reader.output(id, output)));
}
