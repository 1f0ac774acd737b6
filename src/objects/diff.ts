/** Per-field differences between two JSON values, as JSON pointers to the changed leaves. */
import { escapePointer } from './pointer.js';

export interface FieldDiff {
  /** JSON pointer into the object, e.g. /spec/replicas. */
  path: string;
  old?: unknown;
  new?: unknown;
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * One pass over both values (re-comparing every subtree at every level costs seconds on the
 * multi-megabyte CRDs); arrays of equal length are compared element-wise, others replaced whole.
 */
export function diffJson(oldValue: unknown, newValue: unknown): FieldDiff[] {
  const out: FieldDiff[] = [];
  diffInto(oldValue, newValue, '', out);
  return out;
}

function diffInto(oldValue: unknown, newValue: unknown, path: string, out: FieldDiff[]): void {
  if (oldValue === newValue) return;
  if (isRecord(oldValue) && isRecord(newValue)) {
    const keys = [...new Set([...Object.keys(oldValue), ...Object.keys(newValue)])].sort();
    for (const k of keys) diffInto(oldValue[k], newValue[k], `${path}/${escapePointer(k)}`, out);
    return;
  }
  if (Array.isArray(oldValue) && Array.isArray(newValue) && oldValue.length === newValue.length) {
    oldValue.forEach((v, i) => diffInto(v, newValue[i], `${path}/${i}`, out));
    return;
  }
  const d: FieldDiff = { path: path || '/' };
  if (oldValue !== undefined) d.old = oldValue;
  if (newValue !== undefined) d.new = newValue;
  out.push(d);
}

/** Structural equality of JSON values; a key whose value is undefined counts as absent. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}
