/**
 * What a stack applies ahead of its own objects, in every region: the CRDs its objects need (cluster:
 * Velero's, mesh: Istio's, observability: prometheus-operator's — with their real schemas, so the API
 * server validates our CRs) and the control planes it installs (its `installs`, rendered once per
 * version and values by src/toolchain/installs.ts), all carrying the stack's ownership labels, so
 * engines, drift and destroy treat them like the stack's own objects.
 */
import { loadCrdBundle, type CrdBundle } from '../toolchain/crds.js';
import { renderInstall } from '../toolchain/installs.js';
import { ExternalError } from '../errors.js';
import { installName, PROJECT_LABEL, STACK_LABEL, type StackInstance } from '../stacks/types.js';
import type { KubeObject } from '../objects/model.js';

const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';

const BUNDLES_BY_LAYER: Partial<Record<StackInstance['layer'], CrdBundle[]>> = {
  cluster: ['velero'],
  mesh: ['istio'],
  observability: ['prometheus-operator'],
};

/** CRDs the stack's objects need, then its rendered installs (apply order is settled by the engines). */
export function controlPlaneFor(stack: StackInstance): KubeObject[] {
  const crds = (BUNDLES_BY_LAYER[stack.layer] ?? []).flatMap((b) => loadCrdBundle(b));
  return [...crds, ...installedObjects(stack)];
}

/**
 * The stack's rendered installs with its ownership labels: what the policy gate checks besides the
 * stack's own objects (the CRDs are upstream schemas, not workloads or grants, so it leaves them out).
 */
export function installedObjects(stack: StackInstance): KubeObject[] {
  const installs = stack.installs.flatMap((spec) => renderInstall(spec));
  for (const o of installs) {
    // Rendered by Helm's template engine, but applied (and owned) by us: no Helm release exists.
    const managed: Record<string, string> = o.metadata.labels?.[MANAGED_BY_LABEL] === 'Helm' ? { [MANAGED_BY_LABEL]: 'platform' } : {};
    o.metadata.labels = { ...o.metadata.labels, ...managed, [PROJECT_LABEL]: stack.project, [STACK_LABEL]: stack.label };
  }
  return installs;
}

/** One install of a stack: its rendered objects, or why it could not be rendered here. */
export type RenderedInstall = { install: string; objects: KubeObject[] } | { install: string; unavailable: string };

/**
 * Each of the stack's installs rendered on its own (what cost prices): an install the toolchain cache
 * cannot render yet (before `platform toolchain install`) is named with the reason instead of failing
 * or being left out silently. Only the cache's absence is tolerated; any other error is a bug and is thrown.
 */
export function renderedInstalls(stack: StackInstance): RenderedInstall[] {
  return stack.installs.map((spec) => {
    const install = installName(spec);
    try {
      return { install, objects: installedObjects({ ...stack, installs: [spec] }) };
    } catch (e) {
      if (!(e instanceof ExternalError)) throw e;
      return { install, unavailable: e.hint ? `${e.message}. ${e.hint}` : e.message };
    }
  });
}

/**
 * For `platform synth`, which must work before the toolchain is installed: the control plane when its
 * artefacts are cached, else none — and `missing` names what was left out, for a warning.
 */
export function lenientControlPlane(): { controlPlaneFor: (stack: StackInstance) => KubeObject[]; missing: Set<string> } {
  const missing = new Set<string>();
  return {
    missing,
    controlPlaneFor: (stack) => {
      try {
        return controlPlaneFor(stack);
      } catch (e) {
        missing.add((e as Error).message);
        return [];
      }
    },
  };
}
