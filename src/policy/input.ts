/**
 * The policy input: one document for every stack checked, the same for both engines. Per stack its
 * identity and every object — Kubernetes manifests (its own and those of the control planes it installs,
 * src/engines/crds.ts) and the cloud resources of a cluster stack as
 * engine-neutral records `{ kind, name, values }` (src/clouds/resources.ts) — each remembered with the
 * config entry that produced it. Secret values never enter it: a Secret's data fields show `[secret]`.
 */
import { cloudResources } from '../clouds/resources.js';
import { installedObjects } from '../engines/crds.js';
import type { KubeObject, SourcePath } from '../objects/model.js';
import { maskSecretData } from '../objects/secrets.js';
import type { StackInstance } from '../stacks/types.js';
import type { ObjectRef } from './types.js';

/** `input.stack` of the rules. */
export interface StackFacts {
  id: string;
  layer: string;
  region: string;
  cloud: string;
  tenant?: string;
  service?: string;
}

export interface CloudResourceDocument {
  kind: string;
  name: string;
  values: Record<string, unknown>;
}

export type PolicyObject = KubeObject | CloudResourceDocument;

export interface PolicyInput {
  stacks: Array<{ stack: StackFacts; objects: PolicyObject[] }>;
}

/** Beside the input (not sent to OPA): each object's identity and config entry, by stack and position. */
export interface InputIndex {
  stacks: StackInstance[];
  objects: Array<Array<{ ref: ObjectRef; source: SourcePath }>>;
}

export function policyInput(stacks: StackInstance[]): { input: PolicyInput; index: InputIndex } {
  const input: PolicyInput = { stacks: [] };
  const index: InputIndex = { stacks, objects: [] };
  for (const s of stacks) {
    const objects: PolicyObject[] = [];
    const refs: InputIndex['objects'][number] = [];
    for (const o of s.objects) {
      objects.push(maskSecretData(o.manifest));
      refs.push({ ref: kubeRef(o.manifest), source: o.source ?? s.source });
    }
    // The control planes the stack installs (istiod, the operator, Velero…) are checked like its own objects.
    for (const spec of s.installs) {
      for (const m of installedObjects({ ...s, installs: [spec] })) {
        objects.push(maskSecretData(m));
        refs.push({ ref: kubeRef(m), source: spec.configSource ?? s.source });
      }
    }
    for (const r of cloudResources(s)) {
      objects.push({ kind: r.kind, name: r.name, values: r.values });
      refs.push({ ref: { kind: r.kind, name: r.name }, source: r.source ?? s.source });
    }
    input.stacks.push({ stack: stackFacts(s), objects });
    index.objects.push(refs);
  }
  return { input, index };
}

function stackFacts(s: StackInstance): StackFacts {
  return {
    id: s.id,
    layer: s.layer,
    region: s.region.name,
    cloud: s.region.cloud,
    ...(s.tenant ? { tenant: s.tenant } : {}),
    ...(s.service ? { service: s.service } : {}),
  };
}

const kubeRef = (m: KubeObject): ObjectRef => ({ kind: m.kind, ...(m.metadata.namespace ? { namespace: m.metadata.namespace } : {}), name: m.metadata.name });
