/** Values on one line for people: JSON, absent as `∅`, long ones cut with a count of what was cut; drift changes as `before → after`. */
import type { DriftFinding, DriftPath } from '../drift/types.js';

/** `"abc…" (+1,234 chars)`: at most `max` characters of the value's JSON, then how many more there were. */
export function shortValue(v: unknown, max = 80): string {
  if (v === undefined) return '∅';
  if (typeof v === 'string') {
    if (v.length <= max) return JSON.stringify(v);
    return `${JSON.stringify(v.slice(0, max)).slice(0, -1)}…" (+${count(v.length - max)} chars)`;
  }
  const text = JSON.stringify(v) ?? String(v);
  return text.length <= max ? text : `${text.slice(0, max)}… (+${count(text.length - max)} chars)`;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** `before → after` for one drift path, per class: pending state → Git, otherwise state → live. */
export function changeOf(cls: DriftFinding['class'], p: DriftPath, max = 80): string {
  if (cls === 'pending' && p.path === '/' && p.state === undefined) return 'only in Git: apply creates it';
  if (cls === 'pending' && p.path === '/' && p.git === undefined) return 'only in state: apply deletes it';
  if (cls === 'pending') return `${shortValue(p.state, max)} → ${shortValue(p.git, max)}`;
  return `${shortValue(p.state, max)} → ${shortValue(p.live, max)}`;
}

/** What a finding of each class means when the whole object is the finding. */
export const FINDING_NOTE: Record<DriftFinding['class'], string> = {
  pending: 'not applied yet',
  drifted: 'changed out of band',
  missing: 'in state, gone from the cluster',
  unmanaged: 'live, managed by no stack',
};
