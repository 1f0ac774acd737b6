/** Per-field differences between two JSON values, as JSON pointers (RFC 6901) to the changed leaves. */
import type { FieldDiff } from './types.js';

const escape = (s: string): string => s.replaceAll('~', '~0').replaceAll('/', '~1');

export function diffJson(oldValue: unknown, newValue: unknown, path = ''): FieldDiff[] {
  if (deepEqual(oldValue, newValue)) return [];
  const bothObjects = isPlainObject(oldValue) && isPlainObject(newValue);
  const bothArrays = Array.isArray(oldValue) && Array.isArray(newValue);
  if (bothObjects) {
    const keys = [...new Set([...Object.keys(oldValue), ...Object.keys(newValue)])].sort();
    return keys.flatMap((k) => diffJson(oldValue[k], newValue[k], `${path}/${escape(k)}`));
  }
  if (bothArrays && oldValue.length === newValue.length) {
    return oldValue.flatMap((v, i) => diffJson(v, newValue[i], `${path}/${i}`));
  }
  const d: FieldDiff = { path: path || '/' };
  if (oldValue !== undefined) d.old = oldValue;
  if (newValue !== undefined) d.new = newValue;
  return [d];
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
