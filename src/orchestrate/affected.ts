/**
 * `--affected`: the stacks whose synthesized output differs between the merge base with a ref and the
 * working tree. Each stack is hashed over what its engine would be given (objects, cloud intents,
 * engine, region, dependencies), so a change anywhere that reaches a stack — a shared setting, the
 * service defaults, a tenant's plan — marks exactly the stacks it changes, whatever file it was in.
 */
import { createHash } from 'node:crypto';
import type { LoadedConfig } from '../config/load.js';
import { git, loadConfigAtRef, resolveCommit } from '../git/index.js';
import { planStacks, topoOrder } from '../stacks/plan.js';
import type { StackInstance } from '../stacks/types.js';

export interface AffectedStack {
  stack: StackInstance;
  reason: string;
}

/** Canonical JSON: object keys sorted, so the hash depends on content only. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function stackHash(s: StackInstance): string {
  const { id, engine, region, dependsOn, objects, cloud } = s;
  return createHash('sha256').update(canonical({ id, engine, region, dependsOn, objects, cloud })).digest('hex');
}

/**
 * Affected stacks in DAG order. `forOperation` apply/destroy adds every stack that depends on an
 * affected one (its inputs may have moved); plan lists only the changed ones.
 */
export function affectedStacks(
  current: LoadedConfig,
  base: string,
  forOperation: 'plan' | 'apply' | 'destroy' = 'plan',
  now: StackInstance[] = planStacks(current.config),
): { mergeBase: string; stacks: AffectedStack[] } {
  const baseCommit = resolveCommit(current.projectDir, base);
  const mergeBase = git(current.projectDir, ['merge-base', baseCommit, 'HEAD']).trim();
  let before = new Map<string, string>();
  let beforeMissing = false;
  try {
    before = new Map(planStacks(loadConfigAtRef(current.file, mergeBase).config).map((s) => [s.id, stackHash(s)]));
  } catch {
    beforeMissing = true; // no (valid) platform.yaml at the merge base: everything is new
  }
  const reasons = new Map<string, string>();
  for (const s of now) {
    const old = before.get(s.id);
    if (beforeMissing || old === undefined) reasons.set(s.id, `new since ${mergeBase.slice(0, 12)}`);
    else if (old !== stackHash(s)) reasons.set(s.id, `synthesized output changed since ${mergeBase.slice(0, 12)}`);
  }
  if (forOperation !== 'plan') {
    // Dependents, transitively: visiting in DAG order sees every parent before its children.
    for (const s of topoOrder(now)) {
      if (reasons.has(s.id)) continue;
      const parent = s.dependsOn.find((d) => reasons.has(d));
      if (parent) reasons.set(s.id, `depends on ${parent}`);
    }
  }
  return {
    mergeBase,
    stacks: topoOrder(now)
      .filter((s) => reasons.has(s.id))
      .map((s) => ({ stack: s, reason: reasons.get(s.id)! })),
  };
}
