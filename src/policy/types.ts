/** What the policy gate reports (docs/policy.md): violations, with where they come from, and what a waiver let through. */
import type { SourceLocation } from '../config/load.js';

/** mandatory stops plan/apply (exit 4); advisory is shown and goes into --json. */
export type ViolationLevel = 'mandatory' | 'advisory';

/** The object a violation is about: a Kubernetes object (namespace when namespaced) or a cloud resource (its Terraform type). */
export interface ObjectRef {
  kind: string;
  namespace?: string;
  name: string;
}

export interface Violation {
  policy: string;
  level: ViolationLevel;
  stack: string;
  object: ObjectRef;
  message: string;
  /** The platform.yaml (or override file) entry that produced the object. */
  source: SourceLocation;
  /** A waiver matched but its last day has passed: it no longer waives. */
  waiverExpired?: { expires: string; reason: string };
}

export interface WaivedViolation extends Violation {
  waiver: { reason: string; expires?: string };
}

export interface PolicyReport {
  violations: Violation[];
  waived: WaivedViolation[];
  /** What was checked: stacks, objects (Kubernetes objects and cloud resources) and policies. */
  checked: { stacks: number; objects: number; policies: string[] };
}

/** `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects and cloud resources: what waivers match. */
export const objectPath = (o: ObjectRef): string => (o.namespace ? `${o.kind}/${o.namespace}/${o.name}` : `${o.kind}/${o.name}`);

export const mandatory = (r: Pick<PolicyReport, 'violations'>): Violation[] => r.violations.filter((v) => v.level === 'mandatory');
