/**
 * CRDs a stack's objects need. In local regions the cluster, mesh and observability stacks install them
 * (with their real schemas, so the API server validates our CRs as a real cluster would); in real
 * clusters they are expected to be installed already.
 */
import { loadCrdBundle, type CrdBundle } from '../toolchain/crds.js';
import type { StackInstance } from '../stacks/types.js';
import type { KubeObject } from '../objects/model.js';

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

/**
 * For `platform synth`, which must work before the toolchain is installed: the CRDs when their bundles
 * are cached, else none — and `missing` names the bundles that were left out, for a warning.
 */
export function lenientCrds(): { crdsFor: (stack: StackInstance) => KubeObject[]; missing: Set<string> } {
  const missing = new Set<string>();
  return {
    missing,
    crdsFor: (stack) => {
      try {
        return crdsForStack(stack);
      } catch (e) {
        missing.add((e as Error).message);
        return [];
      }
    },
  };
}
