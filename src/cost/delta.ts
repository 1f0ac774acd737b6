/** Before and after: the difference per stack and per line (`--base`, and the cost table of `plan`). */
import type { CostLine, CostDelta, CostReport, LineChange, StackCost, StackDelta } from './types.js';

const lineKey = (l: CostLine): string => `${l.type}\u0000${l.resource}\u0000${l.component}`;
const snapshot = (l: CostLine) => ({ quantity: l.quantity, unitPrice: l.unitPrice, monthly: l.monthly });

/** `after − before`, per stack (only stacks whose cost or lines changed) and in total. */
export function compareCosts(
  before: Pick<CostReport, 'total' | 'stacks' | 'notPriced'>,
  after: Pick<CostReport, 'total' | 'stacks' | 'notPriced'>,
  base: CostDelta['base'],
  commentThreshold?: string,
): CostDelta {
  const old = new Map(before.stacks.map((s) => [s.id, s]));
  const now = new Map(after.stacks.map((s) => [s.id, s]));
  // Stacks of the working tree in their order, then those that only the base has.
  const ids = [...now.keys(), ...[...old.keys()].filter((id) => !now.has(id))];
  const partial = new Set([...before.notPriced, ...after.notPriced].map((n) => n.stack));
  const stacks: StackDelta[] = [];
  for (const id of ids) {
    const b = old.get(id);
    const a = now.get(id);
    const lines = lineChanges(b, a);
    const difference = (a?.monthly ?? 0) - (b?.monthly ?? 0);
    if (difference !== 0 || lines.length) stacks.push({ id, before: b?.monthly ?? 0, after: a?.monthly ?? 0, difference, partial: partial.has(id), lines });
  }
  const total = { before: before.total.monthly, after: after.total.monthly, difference: after.total.monthly - before.total.monthly };
  const percent = commentThreshold === undefined ? undefined : Number(commentThreshold.replace('%', ''));
  return { base, total, stacks, ...(percent === undefined ? {} : { threshold: { percent, crossed: thresholdCrossed(total, percent) } }) };
}

/** The total moved by at least `percent` of what it was (any move from zero counts). */
export function thresholdCrossed(total: { before: number; difference: number }, percent: number): boolean {
  if (total.difference === 0) return false;
  if (total.before === 0) return true;
  return (Math.abs(total.difference) / total.before) * 100 >= percent;
}

function lineChanges(before: StackCost | undefined, after: StackCost | undefined): LineChange[] {
  const old = new Map((before?.lines ?? []).map((l) => [lineKey(l), l]));
  const now = new Map((after?.lines ?? []).map((l) => [lineKey(l), l]));
  const out: LineChange[] = [];
  for (const [key, a] of now) {
    const b = old.get(key);
    const id = { resource: a.resource, type: a.type, component: a.component };
    if (!b) out.push({ ...id, change: 'added', before: null, after: snapshot(a), difference: a.monthly });
    else if (b.quantity !== a.quantity || b.unitPrice !== a.unitPrice)
      out.push({ ...id, change: 'changed', before: snapshot(b), after: snapshot(a), difference: a.monthly - b.monthly });
  }
  for (const [key, b] of old) {
    if (!now.has(key))
      out.push({ resource: b.resource, type: b.type, component: b.component, change: 'removed', before: snapshot(b), after: null, difference: -b.monthly });
  }
  return out;
}
