/**
 * The secret policy — the one place that decides what is secret and how it is shown. Every output path
 * (engine events and results, JSON, Markdown, terminal, drift, reports, state readers) goes through it:
 *
 * - a core/v1 Secret's `/data` and `/stringData` fields are secret, whatever their origin;
 * - a secret value is shown as `[secret]` (which view has a value, or that it changed, stays visible);
 * - text from outside (engine diagnostics, error messages) is scrubbed of the values an operation
 *   resolved, in clear and base64, before it leaves the engine.
 */
import { isUnder } from './pointer.js';
import type { KubeObject } from './model.js';

export const REDACTED = '[secret]';

type Kind = Pick<KubeObject, 'apiVersion' | 'kind'>;

/** A core/v1 Secret. */
export const isSecretObject = (o: Kind): boolean => o.kind === 'Secret' && (o.apiVersion === 'v1' || o.apiVersion === '');

const SECRET_FIELDS = ['/data', '/stringData'];

/** A field whose value must never be shown: a Secret's data, or a parent of it (`/` included). */
export function isSecretPath(o: Kind, pointer: string): boolean {
  if (!isSecretObject(o)) return false;
  const path = pointer === '' ? '/' : pointer;
  return SECRET_FIELDS.some((field) => isUnder(path, field) || path === '/' || field.startsWith(`${path}/`));
}

/**
 * One finding or diff entry with its values shown per the policy: every view (old/new, git/state/live)
 * that holds a value at a secret path shows `[secret]` instead.
 */
export function redactViews<T extends { path: string }>(o: Kind, entry: T, views: ReadonlyArray<Exclude<keyof T, 'path'>>): T {
  if (!isSecretPath(o, entry.path)) return entry;
  const out = { ...entry };
  for (const view of views) if (out[view] !== undefined) (out as Record<string, unknown>)[view as string] = REDACTED;
  return out;
}

/** A Secret with each data key's value shown as `[secret]`; the keys stay visible (a policy may require one). */
export function maskSecretData<T extends Kind & { data?: unknown; stringData?: unknown }>(o: T): T {
  if (!isSecretObject(o)) return o;
  const out = { ...o };
  for (const field of ['data', 'stringData'] as const) {
    const values = o[field];
    if (values && typeof values === 'object') out[field] = Object.fromEntries(Object.keys(values).map((k) => [k, REDACTED]));
  }
  return out;
}

/** Removes known secret values (and their base64 forms) from text produced outside our control. */
export class SecretScrubber {
  private needles: string[] = [];

  /** Values of fewer than 4 characters are not scrubbed (they would garble ordinary text). */
  add(values: Iterable<string>): void {
    for (const v of values) if (v.length >= 4) this.needles.push(v, Buffer.from(v, 'utf8').toString('base64'));
    this.needles.sort((a, b) => b.length - a.length);
  }

  scrub(text: string): string {
    return this.needles.reduce((t, v) => t.replaceAll(v, REDACTED), text);
  }
}
