/**
 * Synth of the stacks whose program registers cloud resources or a StackReference (synth.ts): runs the
 * engine's own stack program under Pulumi runtime mocks and reports what it registers.
 */
import * as pulumi from '@pulumi/pulumi';
import type { StackInstance } from '../../stacks/types.js';
import { KUBECONFIG_OUTPUT, regionAccess, type RegionAccess } from '../../kube/access.js';
import type { SynthResource } from '../types.js';
import { Bug } from '../../errors.js';
import { registerStack } from './program.js';
import { PROVIDER_TYPE } from './registrations.js';
import type { KubeObject } from '../../objects/model.js';
import { OBJECT_TYPE, pulumiStackName } from './state.js';

const STACK_REFERENCE = 'pulumi:pulumi:StackReference';

const promiseOf = <T>(output: pulumi.Output<T>): Promise<T> => new Promise((resolve) => output.apply((v) => (resolve(v), v)));

export interface MockSynthOptions {
  controlPlaneFor: (stack: StackInstance) => KubeObject[];
  projectName?: string;
}

export async function synthUnderMocks(stacks: StackInstance[], options: MockSynthOptions): Promise<Map<string, SynthResource[]>> {
  // The SDK captures a stack trace for every promise and resource (debugging aids and source positions,
  // which mocks do not need): at thousands of resources that was most of synth's time.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return await synthAll(stacks, options);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

async function synthAll(stacks: StackInstance[], options: MockSynthOptions): Promise<Map<string, SynthResource[]>> {
  const out = new Map<string, SynthResource[]>();
  // Mocks are process-global: one stack at a time.
  for (const stack of stacks) {
    const registered: SynthResource[] = [];
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push({ type: args.type, name: args.name });
          // A cloud region's Kubernetes stacks read the cluster stack's kubeconfig: a placeholder, never a real one.
          if (args.type === STACK_REFERENCE)
            return {
              id: `${args.name}-id`,
              state: { ...(args.inputs as Record<string, unknown>), outputs: { [KUBECONFIG_OUTPUT]: '(synth)' }, secretOutputNames: [KUBECONFIG_OUTPUT] },
            };
          return { id: `${args.name}-id`, state: args.inputs as Record<string, unknown> };
        },
        call: (args) => args.inputs as Record<string, unknown>,
      },
      options.projectName ?? 'platform',
      pulumiStackName(stack.id),
      true,
    );
    // Synth never touches a cluster: a placeholder file for regions reached by one (a cloud region keeps
    // its wiring to the cluster stack's output, which the mocks answer), secret values that are never real.
    const region = regionAccess({ name: options.projectName ?? stack.project }, stack.region, '.');
    const access: RegionAccess = region.via === 'kubeconfig' ? { via: 'kubeconfig', access: { kubeconfig: '(synth)', context: stack.region.name } } : region;
    const { provider, providerName, objects, names, cloud } = registerStack({
      stack,
      access,
      crds: options.controlPlaneFor(stack),
      force: false,
      secretsFor: (o) => Object.fromEntries(Object.keys(o.secretEnv ?? {}).map((k) => [k, '(secret)'])),
    });
    await Promise.all([provider, ...objects, ...cloud.resources].map((r) => promiseOf(r.urn)));
    await Promise.all(objects.map((r) => promiseOf(r.id)));
    // Report in program order (mock registration order is asynchronous); the mock saw every one.
    const resources: SynthResource[] = [{ type: PROVIDER_TYPE, name: providerName }, ...names.map((name) => ({ type: OBJECT_TYPE, name }))];
    const seen = new Set(registered.map((r) => `${r.type}|${r.name}`));
    const missing = resources.filter((r) => !seen.has(`${r.type}|${r.name}`));
    if (missing.length) throw new Bug(`synth of ${stack.id}: ${missing.length} resources never registered (first: ${missing[0].name})`);
    // A cluster stack's cloud resources (src/clouds), after its Kubernetes objects, sorted by type and name.
    const ours = new Set(resources.map((r) => `${r.type}|${r.name}`));
    resources.push(
      ...registered
        .filter((r) => !ours.has(`${r.type}|${r.name}`))
        .sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type.localeCompare(b.type))),
    );
    out.set(stack.id, resources);
  }
  return out;
}
