/**
 * The three comparisons, pure functions over plain objects (unit-testable without a cluster):
 *
 * - pending   Git ≠ state: the manifests synthesized at the ref against the manifests the engine last
 *             applied (both are ours in full, so a plain per-field diff is exact).
 * - drifted   state ≠ live, without noise. Two sound rules, together:
 *             1. every path of the applied manifest is compared with the live value at that path — the
 *                manifest only holds fields we set, so server defaults, status and controller-added
 *                fields are never looked at;
 *             2. fields the applied manifest does not have are reported only when managedFields says a
 *                non-controller manager other than our own Apply owns them (kubectl label/scale/edit/patch,
 *                other SSA managers): someone added them out of band. Controller managers and
 *                server-written bookkeeping are never drift; presets silence fields controllers own.
 * - missing   in state, not live.
 * - unmanaged live in a tenant namespace, without our stack label, not a controller's child or a
 *             namespace default.
 */
import { PROJECT_LABEL, STACK_LABEL } from '../stacks/types.js';
import { managedFieldsOf, ownedLeafPaths } from './managed-fields.js';
import { isControllerManager, isServerWritten, presetFor, type PresetContext } from './noise.js';
import type { FieldManager } from '../engines/types.js';
import type { DriftFinding, DriftPath } from './types.js';
import type { DesiredObject, KubeObject } from '../objects/model.js';
import { diffJson, isRecord } from '../objects/diff.js';
import { parseQuantity } from '../objects/quantity.js';
import { escapePointer, unescapePointer, valueAt } from '../objects/pointer.js';
import { isSecretObject, redactViews } from '../objects/secrets.js';
import { objectKey } from '../objects/identity.js';
import { manifestDigest } from '../objects/digest.js';

const isEmpty = (v: unknown): boolean =>
  v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0) || (isRecord(v) && Object.keys(v).length === 0);

const findingOf = (o: KubeObject, cls: DriftFinding['class'], paths: DriftPath[]): DriftFinding => ({
  class: cls,
  apiVersion: o.apiVersion,
  kind: o.kind,
  ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
  name: o.metadata.name,
  paths,
});

/** Secret values never leave drift: a Secret's data paths keep which views differ, not the values. */
export const redactPaths = (o: Pick<KubeObject, 'kind' | 'apiVersion'>, paths: DriftPath[]): DriftPath[] => paths.map((p) => redactViews(o, p, VIEWS));
const VIEWS = ['git', 'state', 'live'] as const;

/** Null/undefined pruned (Pulumi's wire format and YAML keep what JSON from kubernetes-models drops). */
function prune(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(prune);
  if (isRecord(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) out[k] = prune(x);
    return out;
  }
  return v;
}

/** A desired object as compared with state: secretEnv keys are filled by the engine at run time. */
function withoutRuntimeSecrets(o: KubeObject, secretKeys: string[]): KubeObject {
  if (!secretKeys.length || !isRecord(o.data)) return o;
  const runtime = new Set(secretKeys);
  const data = Object.fromEntries(Object.entries(o.data).filter(([k]) => !runtime.has(k)));
  if (Object.keys(data).length) return { ...o, data };
  const { data: _data, ...rest } = o;
  return rest;
}

export interface GitObject {
  manifest: KubeObject;
  secretEnv?: DesiredObject['secretEnv'];
}

/** Stands for a whole object in the one view that has it (pending create: `git`, pending delete: `state`). */
export const WHOLE_OBJECT = '(object)';

/** Git ≠ state. An object only in Git (to create) or only in state (to delete) has the one path `/`. */
export function pendingFindings(git: GitObject[], state: KubeObject[], stubDigests?: ReadonlyMap<string, string>): DriftFinding[] {
  const stateByKey = new Map(state.map((o) => [objectKey(o), o]));
  const gitKeys = new Set<string>();
  const out: DriftFinding[] = [];
  for (const g of git) {
    const key = objectKey(g.manifest);
    gitKeys.add(key);
    const applied = stateByKey.get(key);
    if (!applied) {
      out.push(findingOf(g.manifest, 'pending', [{ path: '/', git: WHOLE_OBJECT }]));
      continue;
    }
    const stateDigest = stubDigests?.get(key);
    if (stateDigest) {
      // Only the digest of the applied body is known: equal digests, equal manifests.
      const gitDigest = manifestDigest(g.manifest);
      if (gitDigest !== stateDigest)
        out.push(findingOf(g.manifest, 'pending', [{ path: '/', git: `sha256:${gitDigest.slice(0, 12)}`, state: `sha256:${stateDigest.slice(0, 12)}` }]));
      continue;
    }
    const secretKeys = Object.keys(g.secretEnv ?? {});
    const paths: DriftPath[] = diffJson(prune(withoutRuntimeSecrets(applied, secretKeys)), prune(withoutRuntimeSecrets(g.manifest, secretKeys))).map((d) => ({
      path: d.path,
      ...(d.new !== undefined ? { git: d.new } : {}),
      ...(d.old !== undefined ? { state: d.old } : {}),
    }));
    if (paths.length) {
      out.push(findingOf(g.manifest, 'pending', redactPaths(g.manifest, paths)));
    }
  }
  for (const s of state) if (!gitKeys.has(objectKey(s))) out.push(findingOf(s, 'pending', [{ path: '/', state: WHOLE_OBJECT }]));
  return out;
}

/** Paths where resource quantities live: there the server canonicalizes (`0.5` → `500m`, `1000m` → `1`). */
const QUANTITY_SEGMENTS = new Set([
  'resources',
  'limits',
  'requests',
  'hard',
  'default',
  'defaultRequest',
  'max',
  'min',
  'maxLimitRequestRatio',
  'capacity',
  'storage',
]);

function sameScalar(applied: unknown, live: unknown, path: string): boolean {
  if (applied === live) return true;
  if (path.split('/').some((s) => QUANTITY_SEGMENTS.has(s))) {
    const a = parseQuantity(applied);
    const b = parseQuantity(live);
    if (a !== undefined && b !== undefined) return Math.abs(a - b) <= Math.abs(a) * 1e-9;
  }
  return false;
}

/** Rule 1: every path of the applied manifest against the live value there. */
function compareAppliedPaths(applied: unknown, live: unknown, path: string, out: Map<string, DriftPath>, secret: boolean): void {
  if (applied === null || applied === undefined) return;
  if (secret && path.startsWith('/stringData')) return; // the server turns stringData into data
  if (path && isServerWritten(path)) return;
  const report = () => out.set(path || '/', { path: path || '/', state: applied, ...(live !== undefined ? { live } : {}) });
  if (isRecord(applied)) {
    if (!isRecord(live)) {
      if (!(isEmpty(applied) && isEmpty(live))) report();
      return;
    }
    for (const [k, v] of Object.entries(applied)) compareAppliedPaths(v, live[k], `${path}/${escapePointer(k)}`, out, secret);
    return;
  }
  if (Array.isArray(applied)) {
    if (Array.isArray(live) && live.length === applied.length) {
      applied.forEach((v, i) => compareAppliedPaths(v, live[i], `${path}/${i}`, out, secret));
    } else if (!(isEmpty(applied) && isEmpty(live))) report();
    return;
  }
  if (!sameScalar(applied, live, path) && !(applied === '' && live === undefined)) report();
}

/** The top-most prefix of `path` that the applied manifest does not have; undefined when it has the path. */
function topMissingPrefix(applied: unknown, path: string): string | undefined {
  let current: unknown = applied;
  let prefix = '';
  for (const raw of path.slice(1).split('/')) {
    prefix += `/${raw}`;
    if (Array.isArray(current)) current = current[Number(raw)];
    else if (isRecord(current)) current = current[unescapePointer(raw)];
    else return undefined; // below a scalar we set: rule 1 compares that scalar
    if (current === undefined || current === null) return prefix;
  }
  return undefined;
}

const isOwnEntry = (e: { manager?: string; operation?: string }, own: FieldManager): boolean => e.manager === own.manager && e.operation === own.operation;

/** state ≠ live for one object present in both. Presets and server-written paths are already removed. */
export function driftedPaths(applied: KubeObject, live: KubeObject, own: FieldManager, ctx: PresetContext): DriftPath[] {
  const secret = isSecretObject(applied);
  const found = new Map<string, DriftPath>();
  compareAppliedPaths(prune(applied), live, '', found, secret);

  // Rule 2: fields we never set, owned by someone who is neither us nor a controller.
  for (const entry of managedFieldsOf(live)) {
    if (entry.subresource === 'status' || isOwnEntry(entry, own) || isControllerManager(entry.manager)) continue;
    for (const leaf of ownedLeafPaths(entry.fieldsV1, live)) {
      if (leaf === '/' || isServerWritten(leaf)) continue;
      const top = topMissingPrefix(applied, leaf);
      if (!top || isServerWritten(top)) continue;
      const covered = [...found.keys()].some((p) => top === p || top.startsWith(`${p}/`));
      if (!covered) found.set(top, { path: top, live: valueAt(live, top) });
    }
  }
  const paths = [...found.values()].filter((p) => !presetFor(live, p.path, ctx)).sort((a, b) => a.path.localeCompare(b.path));
  return redactPaths(applied, paths);
}

/** Live lookup of one applied object: the object, `undefined` (gone). */
export type LiveLookup = (applied: KubeObject) => KubeObject | undefined;

/** state ≠ live for a stack: drifted and missing findings. */
export function liveFindings(state: KubeObject[], lookup: LiveLookup, own: FieldManager, ctx: PresetContext): DriftFinding[] {
  const out: DriftFinding[] = [];
  for (const applied of state) {
    const live = lookup(applied);
    if (!live) {
      out.push(findingOf(applied, 'missing', []));
      continue;
    }
    const paths = driftedPaths(applied, live, own, ctx);
    if (paths.length) out.push(findingOf(applied, 'drifted', paths));
  }
  return out;
}

/** Objects every namespace gets from the cluster or the mesh: never unmanaged. */
const NAMESPACE_DEFAULTS = new Set(['ConfigMap/kube-root-ca.crt', 'ConfigMap/istio-ca-root-cert', 'ServiceAccount/default']);

/** Why a live object in a managed namespace is not a finding; undefined when it is unmanaged. */
export function notUnmanagedBecause(o: KubeObject, project: string, known: ReadonlySet<string>): string | undefined {
  const labels = o.metadata.labels ?? {};
  if (labels[STACK_LABEL] && labels[PROJECT_LABEL] === project) return 'ours';
  if (known.has(objectKey(o))) return 'in Git or state';
  if (NAMESPACE_DEFAULTS.has(`${o.kind}/${o.metadata.name}`)) return 'namespace default';
  const owners = (o.metadata as { ownerReferences?: unknown[] }).ownerReferences;
  if (Array.isArray(owners) && owners.length) return 'created by a controller for its owner';
  if (o.kind === 'Secret' && (o as { type?: string }).type === 'kubernetes.io/service-account-token') return 'service account token';
  return undefined;
}

export function unmanagedFindings(live: KubeObject[], project: string, known: ReadonlySet<string>): DriftFinding[] {
  return live.filter((o) => !notUnmanagedBecause(o, project, known)).map((o) => findingOf(o, 'unmanaged', []));
}
