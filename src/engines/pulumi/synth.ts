/**
 * `platform synth` for Pulumi: the resources each stack's program registers. No pulumi binary, no
 * cluster, no secrets needed. A stack of Kubernetes objects alone is listed straight from what the
 * program registers (registrations.ts); running it under the SDK's runtime mocks cost ~2 ms per object
 * (every input serialised as the engine's gRPC would: 12 of 14 s for 609 stacks). A stack with cloud
 * resources, or that reads its cluster's kubeconfig, runs the program under the mocks (synth-mocks.ts),
 * since only the cloud SDKs know what those register.
 */
import type { StackInstance } from '../../stacks/types.js';
import { cloudOf } from '../../clouds/index.js';
import { controlPlaneFor } from '../crds.js';
import { regionAccess } from '../../kube/access.js';
import type { SynthResource } from '../types.js';
import type { KubeObject } from '../../objects/model.js';
import { OBJECT_TYPE } from './state.js';
import { PROVIDER_TYPE, programObjects, providerNameOf } from './registrations.js';

export interface SynthOptions {
  /** CRDs and rendered installs per stack; defaults to controlPlaneFor (none when the toolchain has not cached them). */
  controlPlaneFor?: (stack: StackInstance) => KubeObject[];
  projectName?: string;
}

export async function synthPulumi(stacks: StackInstance[], options: SynthOptions = {}): Promise<Map<string, SynthResource[]>> {
  const withControlPlane = { ...options, controlPlaneFor: options.controlPlaneFor ?? defaultControlPlane };
  const viaMocks = stacks.filter((s) => needsSdk(s, options.projectName));
  const mocked = viaMocks.length ? await (await import('./synth-mocks.js')).synthUnderMocks(viaMocks, withControlPlane) : new Map<string, SynthResource[]>();
  return new Map(stacks.map((s) => [s.id, mocked.get(s.id) ?? listObjectsOnly(s, withControlPlane.controlPlaneFor(s))]));
}

/** The program registers more than its provider and objects: cloud resources, or a StackReference to its cluster. */
function needsSdk(stack: StackInstance, projectName: string | undefined): boolean {
  return cloudOf(stack) !== undefined || regionAccess({ name: projectName ?? stack.project }, stack.region, '.').via !== 'kubeconfig';
}

function listObjectsOnly(stack: StackInstance, controlPlane: KubeObject[]): SynthResource[] {
  return [{ type: PROVIDER_TYPE, name: providerNameOf(stack) }, ...programObjects(stack, controlPlane).map(({ name }) => ({ type: OBJECT_TYPE, name }))];
}

function defaultControlPlane(stack: StackInstance): KubeObject[] {
  try {
    return controlPlaneFor(stack);
  } catch {
    return [];
  }
}
