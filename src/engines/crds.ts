/**
 * CRDs a stack's objects need. In local regions the cluster, mesh and observability stacks install them
 * (with their real schemas, so the API server validates our CRs as a real cluster would); in real
 * clusters they are expected to be installed already.
 */
import { loadCrdBundle, type CrdBundle } from '../toolchain/crds.js';
import type { KubeObject, StackInstance } from '../stacks/types.js';

const BUNDLES_BY_LAYER: Partial<Record<StackInstance['layer'], CrdBundle[]>> = {
  cluster: ['velero'],
  mesh: ['istio'],
  observability: ['prometheus-operator'],
};

/** CRD manifests to apply ahead of the stack's own objects ([] outside local regions). */
export function crdsForStack(stack: StackInstance): KubeObject[] {
  if (stack.region.cloud !== 'local') return [];
  return (BUNDLES_BY_LAYER[stack.layer] ?? []).flatMap((b) => loadCrdBundle(b));
}
