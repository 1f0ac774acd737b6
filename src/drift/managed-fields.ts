/**
 * Server-side apply's field ownership (metadata.managedFields, fieldsV1) as JSON pointers into the live
 * object. fieldsV1 keys: `f:<field>`, `k:<json keys of a list element>`, `v:<json value of a set
 * element>`, `i:<index>`, and `.` for "the element itself".
 */
import { escapePointer } from '../objects/pointer.js';
import type { KubeObject } from '../objects/model.js';
import { deepEqual } from '../objects/diff.js';

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  subresource?: string;
  fieldsType?: string;
  fieldsV1?: Record<string, unknown>;
}

export function managedFieldsOf(live: KubeObject): ManagedFieldsEntry[] {
  const entries = (live.metadata as { managedFields?: unknown }).managedFields;
  return Array.isArray(entries) ? (entries as ManagedFieldsEntry[]) : [];
}

/**
 * The leaf paths an entry owns, resolved against `live` (a `k:`/`v:` element that is no longer there
 * resolves to nothing). Leaves are fields without owned children.
 */
export function ownedLeafPaths(fieldsV1: Record<string, unknown> | undefined, live: unknown): string[] {
  const out: string[] = [];
  const walk = (node: Record<string, unknown>, value: unknown, path: string): void => {
    const children = Object.keys(node).filter((k) => k !== '.');
    if (children.length === 0) {
      out.push(path || '/');
      return;
    }
    for (const key of children) {
      const child = (node[key] ?? {}) as Record<string, unknown>;
      const type = key.slice(0, 2);
      const rest = key.slice(2);
      if (type === 'f:') {
        const next = isRecord(value) ? value[rest] : undefined;
        walk(child, next, `${path}/${escapePointer(rest)}`);
      } else if (type === 'k:' || type === 'v:' || type === 'i:') {
        if (!Array.isArray(value)) continue;
        const index = elementIndex(value, type, rest);
        if (index >= 0) walk(child, value[index], `${path}/${index}`);
      }
    }
  };
  if (fieldsV1) walk(fieldsV1, live, '');
  return out;
}

function elementIndex(list: unknown[], type: string, rest: string): number {
  if (type === 'i:') {
    const i = Number(rest);
    return Number.isInteger(i) && i < list.length ? i : -1;
  }
  let wanted: unknown;
  try {
    wanted = JSON.parse(rest);
  } catch {
    return -1;
  }
  if (type === 'v:') return list.findIndex((v) => deepEqual(v, wanted));
  const keys = isRecord(wanted) ? Object.entries(wanted) : [];
  return list.findIndex((v) => isRecord(v) && keys.every(([k, want]) => deepEqual(v[k], want)));
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
