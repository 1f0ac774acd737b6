import type { KubeObject } from '../stacks/types.js';
export type CrdBundle = 'istio' | 'prometheus-operator' | 'velero';
// PLACEHOLDER: the toolchain work implements this (read the cached bundle, parse every CRD document).
export function loadCrdBundle(_bundle: CrdBundle): KubeObject[] {
  throw new Error('loadCrdBundle: not implemented yet');
}
