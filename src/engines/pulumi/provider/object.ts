/**
 * `platform:kubernetes:Object`: one Pulumi resource type for any Kubernetes manifest, with the
 * semantics of `kubectl apply --server-side` (field manager `platform`, force only when asked).
 *
 * Inputs:  { manifest, secretData? (Pulumi secret: data keys → clear values, base64-encoded here) }
 * Outputs: inputs + { live (the object as the server returned it, minus server fields and Secret data),
 *          resourceVersion }
 *
 * This module is the provider's logic only (no gRPC), so it is unit-testable with a fake client.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeRef, KubeApiError, refOf, withoutServerFields, type KubeClient, type ObjectRef } from '../../../kube/client.js';
import { pointerToPropertyPath } from '../paths.js';
import type { KubeObject } from '../../../objects/model.js';
import { deepEqual, diffJson, type FieldDiff } from '../../../objects/diff.js';
import { objectKey, objectName } from '../../../objects/identity.js';
import { isUnder } from '../../../objects/pointer.js';
import { redactViews } from '../../../objects/secrets.js';

// Pulumi's wire encoding of a secret value inside a Struct (runtime/rpc.ts specialSigKey/specialSecretSig).
const SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

export const isSecretValue = (v: unknown): v is { value: unknown } =>
  typeof v === 'object' && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
export const unwrapSecret = (v: unknown): unknown => (isSecretValue(v) ? v.value : v);
export const wrapSecret = (value: unknown): unknown => ({ [SIG_KEY]: SECRET_SIG, value });

export interface ObjectInputs {
  /** The manifest; for big objects (CRDs) only a stub naming it, the body being in a blob. */
  manifest: KubeObject;
  /** sha256 of the full manifest stored as `<blobDir>/<digest>.json` (keeps MB-sized CRDs out of RPCs and state). */
  manifestDigest?: string;
  /** Secret data keys (clear text, possibly secret-wrapped on the wire). */
  secretData?: unknown;
}

export interface ObjectOutputs extends ObjectInputs {
  live?: KubeObject;
  resourceVersion?: string;
}

export interface ProviderSettings {
  force: boolean;
  /** Where manifests passed by digest live. */
  blobDir?: string;
  /** Wait for Deployments to become Available on create/update. */
  awaitReady: boolean;
}

/** Fields that cannot change after creation, per kind: a change there means delete + create. */
const IMMUTABLE: Record<string, string[]> = {
  Deployment: ['/spec/selector'],
  ReplicaSet: ['/spec/selector'],
  DaemonSet: ['/spec/selector'],
  StatefulSet: ['/spec/selector', '/spec/serviceName', '/spec/volumeClaimTemplates', '/spec/podManagementPolicy'],
  Job: ['/spec/selector', '/spec/template', '/spec/completionMode'],
  Service: ['/spec/clusterIP', '/spec/clusterIPs'],
  PersistentVolumeClaim: ['/spec/storageClassName', '/spec/accessModes', '/spec/volumeName', '/spec/volumeMode'],
  RoleBinding: ['/roleRef'],
  ClusterRoleBinding: ['/roleRef'],
};

export const immutablePaths = (kind: string, paths: string[]): string[] => paths.filter((p) => (IMMUTABLE[kind] ?? []).some((prefix) => isUnder(p, prefix)));

export type BlobLoader = (digest: string) => KubeObject | undefined;

/** The manifest to send: the full body (from its blob when passed by digest), secret data merged in as base64 `data`. */
export function manifestToApply(inputs: ObjectInputs, loadBlob?: BlobLoader): KubeObject {
  const manifest = (inputs.manifestDigest && loadBlob?.(inputs.manifestDigest)) || inputs.manifest;
  const secretData = unwrapSecret(inputs.secretData) as Record<string, string> | undefined;
  if (!secretData || Object.keys(secretData).length === 0) return manifest;
  const data = { ...((manifest.data as Record<string, string> | undefined) ?? {}) };
  for (const [k, v] of Object.entries(secretData)) data[k] = Buffer.from(String(unwrapSecret(v)), 'utf8').toString('base64');
  return { ...manifest, data };
}

/**
 * What we keep of a live object in state: no server bookkeeping, never a Secret's data, and nothing
 * for CRDs (their schemas are hundreds of KB and already in the inputs).
 */
export function sanitizeLive(live: KubeObject): KubeObject | undefined {
  if (live.kind === 'CustomResourceDefinition') return undefined;
  const clean = withoutServerFields(live);
  if (clean.kind === 'Secret') {
    const { data: _d, stringData: _s, ...rest } = clean;
    return rest;
  }
  return clean;
}

/** The comparable form of an object: server fields stripped (Secret data kept: compared, never shown). */
const comparable = (o: KubeObject): KubeObject => withoutServerFields(o);

/** Field diffs as they may leave the provider (the secret policy). */
const redact = (o: KubeObject, diffs: FieldDiff[]): FieldDiff[] => diffs.map((d) => redactViews(o, d, ['old', 'new']));

export type PropertyDiffKind = 'add' | 'add-replace' | 'delete' | 'delete-replace' | 'update' | 'update-replace';

export interface ObjectDiff {
  changes: boolean;
  replace: boolean;
  deleteBeforeReplace: boolean;
  /** JSON-pointer field diffs (server-side dry-run result vs live; Secret values redacted). */
  fields: FieldDiff[];
  /** Pulumi detailed diff: property path → kind. */
  detailed: Record<string, PropertyDiffKind>;
}

const fieldKind = (d: FieldDiff, replace: boolean): PropertyDiffKind => {
  const base = d.old === undefined ? 'add' : d.new === undefined ? 'delete' : 'update';
  return replace ? `${base}-replace` : base;
};

/**
 * Live objects, listed once per kind + namespace for the lifetime of the provider process (one Pulumi
 * operation), then kept current by our own writes. Turns N reads into one list call per kind+namespace.
 */
export class LiveObjects {
  private readonly lists = new Map<string, Promise<Map<string, KubeObject>>>();
  constructor(private readonly client: KubeClient) {}

  private key(ref: ObjectRef): string {
    return `${ref.apiVersion}|${ref.kind}|${ref.namespace ?? ''}`;
  }

  private async collection(ref: ObjectRef): Promise<Map<string, KubeObject>> {
    const key = this.key(ref);
    let entry = this.lists.get(key);
    if (!entry) {
      entry = this.client
        .isNamespaced(ref.apiVersion, ref.kind)
        .then((namespaced) => (namespaced === undefined ? [] : this.client.list(ref.apiVersion, ref.kind, namespaced ? ref.namespace : undefined)))
        .then((items) => new Map(items.map((o) => [o.metadata.name, o])));
      entry.catch(() => this.lists.delete(key));
      this.lists.set(key, entry);
    }
    return entry;
  }

  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    return (await this.collection(ref)).get(ref.name);
  }

  /** Records our own write (or deletion) so later diffs in the same run see it. */
  async remember(ref: ObjectRef, live: KubeObject | undefined): Promise<void> {
    const key = this.key(ref);
    if (!this.lists.has(key)) return;
    const map = await this.lists.get(key)!;
    if (live) map.set(ref.name, live);
    else map.delete(ref.name);
  }
}

export class ObjectProvider {
  private readonly live: LiveObjects;
  private readonly blobs = new Map<string, KubeObject | undefined>();
  constructor(
    private readonly client: KubeClient,
    private readonly settings: ProviderSettings,
  ) {
    this.live = new LiveObjects(client);
  }

  /** A manifest passed by digest (undefined when its blob is gone, e.g. an old one cleaned up). */
  private readonly loadBlob: BlobLoader = (digest) => {
    if (!this.blobs.has(digest)) {
      const file = this.settings.blobDir ? join(this.settings.blobDir, `${digest}.json`) : undefined;
      this.blobs.set(digest, file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as KubeObject) : undefined);
    }
    return this.blobs.get(digest);
  };

  /** Validates the manifest's shape (the API server validates the rest on dry-run). */
  check(news: ObjectInputs): Array<{ property: string; reason: string }> {
    const failures: Array<{ property: string; reason: string }> = [];
    const m = news.manifest as Partial<KubeObject> | undefined;
    if (!m || typeof m !== 'object') return [{ property: 'manifest', reason: 'a Kubernetes manifest object is required' }];
    if (typeof m.apiVersion !== 'string' || !m.apiVersion) failures.push({ property: 'manifest.apiVersion', reason: 'apiVersion is required' });
    if (typeof m.kind !== 'string' || !m.kind) failures.push({ property: 'manifest.kind', reason: 'kind is required' });
    if (!m.metadata || typeof m.metadata.name !== 'string' || !m.metadata.name)
      failures.push({ property: 'manifest.metadata.name', reason: 'metadata.name is required' });
    else if (!/^[a-z0-9]([-a-z0-9.:]*[a-z0-9])?$/.test(m.metadata.name))
      failures.push({ property: 'manifest.metadata.name', reason: `"${m.metadata.name}" is not a valid object name` });
    if (news.secretData !== undefined && m.kind !== 'Secret') failures.push({ property: 'secretData', reason: 'secretData is only allowed on Secrets' });
    if (news.manifestDigest && !this.loadBlob(news.manifestDigest))
      failures.push({ property: 'manifestDigest', reason: `the manifest body ${news.manifestDigest} is not in ${this.settings.blobDir ?? '(no blob dir)'}` });
    return failures;
  }

  async diff(olds: ObjectOutputs, news: ObjectInputs): Promise<ObjectDiff> {
    const none: ObjectDiff = { changes: false, replace: false, deleteBeforeReplace: false, fields: [], detailed: {} };
    const desired = manifestToApply(news, this.loadBlob);
    const kind = desired.kind;

    // A different object altogether (renamed, moved, other group/kind): create the new, delete the old.
    if (objectKey(olds.manifest) !== objectKey(news.manifest)) {
      const fields = redact(desired, diffJson(comparable(manifestToApply(olds, this.loadBlob)), comparable(desired)));
      return { changes: true, replace: true, deleteBeforeReplace: false, fields, detailed: { manifest: 'update-replace' } };
    }

    const live = await this.live.get(refOf(desired));
    if (!live) {
      // Deleted out of band: the update re-creates it.
      return { changes: true, replace: false, deleteBeforeReplace: false, fields: [{ path: '/', new: '(re-create)' }], detailed: { manifest: 'add' } };
    }

    // Fast path: same inputs and nobody touched the object since we last wrote or read it.
    const sameInputs =
      deepEqual(olds.manifest, news.manifest) &&
      olds.manifestDigest === news.manifestDigest &&
      deepEqual(unwrapSecret(olds.secretData), unwrapSecret(news.secretData));
    if (sameInputs && olds.resourceVersion && live.metadata.resourceVersion === olds.resourceVersion) return none;

    let dryRun: KubeObject;
    try {
      dryRun = await this.dryRunApply(desired);
    } catch (e) {
      if (e instanceof KubeApiError && e.immutable) {
        const fields = redact(desired, diffJson(comparable(manifestToApply(olds, this.loadBlob)), comparable(desired)));
        const detailed = Object.fromEntries(fields.map((f) => [pointerToPropertyPath(f.path, 'manifest'), fieldKind(f, true)]));
        return {
          changes: true,
          replace: true,
          deleteBeforeReplace: true,
          fields,
          detailed: Object.keys(detailed).length ? detailed : { manifest: 'update-replace' },
        };
      }
      throw toProviderError(e, desired);
    }

    const fields = redact(desired, diffJson(comparable(live), comparable(dryRun)));
    if (fields.length === 0) return none;
    const immutable = immutablePaths(
      kind,
      fields.map((f) => f.path),
    );
    const replace = immutable.length > 0;
    const detailed = Object.fromEntries(fields.map((f) => [pointerToPropertyPath(f.path, 'manifest'), fieldKind(f, immutable.includes(f.path))]));
    return { changes: true, replace, deleteBeforeReplace: replace, fields, detailed };
  }

  /**
   * The object as an apply would leave it. A conflict with another field manager still yields the
   * diff (computed as if forced) so plans show it; the apply itself then fails unless forced.
   */
  private async dryRunApply(desired: KubeObject): Promise<KubeObject> {
    try {
      return await this.client.apply(desired, { dryRun: true, force: this.settings.force });
    } catch (e) {
      if (e instanceof KubeApiError && e.conflict && !this.settings.force) return this.client.apply(desired, { dryRun: true, force: true });
      throw e;
    }
  }

  async create(inputs: ObjectInputs): Promise<{ id: string; outs: ObjectOutputs }> {
    const outs = await this.applyAndAwait(inputs);
    return { id: objectName(inputs.manifest), outs };
  }

  async update(news: ObjectInputs): Promise<ObjectOutputs> {
    return this.applyAndAwait(news);
  }

  /** The live object (refresh/import); undefined when it is gone. Inputs stay what we asked for. */
  async read(props: ObjectOutputs): Promise<{ id: string; props: ObjectOutputs; inputs: ObjectInputs } | undefined> {
    const live = await this.client.get(refOf(props.manifest));
    if (!live) return undefined;
    const inputs: ObjectInputs = {
      manifest: props.manifest,
      ...(props.manifestDigest ? { manifestDigest: props.manifestDigest } : {}),
      ...(props.secretData !== undefined ? { secretData: props.secretData } : {}),
    };
    return { id: objectName(props.manifest), props: outputsOf(inputs, live), inputs };
  }

  async delete(props: ObjectOutputs): Promise<void> {
    const ref = refOf(props.manifest);
    try {
      await this.client.deleteAndWait(ref);
    } catch (e) {
      throw toProviderError(e, props.manifest);
    }
    await this.live.remember(ref, undefined);
  }

  private async applyAndAwait(inputs: ObjectInputs): Promise<ObjectOutputs> {
    const desired = manifestToApply(inputs, this.loadBlob);
    let live: KubeObject;
    try {
      live = await this.client.apply(desired, { force: this.settings.force });
    } catch (e) {
      throw toProviderError(e, desired);
    }
    await this.live.remember(refOf(desired), live);
    // CRs of a new CRD can only be applied once it is Established; Deployments are awaited like kubectl rollout status.
    if (desired.kind === 'CustomResourceDefinition') await this.client.waitForCrdEstablished(desired.metadata.name);
    if (desired.kind === 'Deployment' && this.settings.awaitReady && desired.metadata.namespace) {
      await this.client.waitForDeploymentAvailable(desired.metadata.namespace, desired.metadata.name, { timeoutMs: 300_000 });
    }
    return outputsOf(inputs, live);
  }
}

/** Inputs + what we keep of the live object (no undefined values: they do not survive the wire). */
function outputsOf(inputs: ObjectInputs, live: KubeObject): ObjectOutputs {
  const kept = sanitizeLive(live);
  return { ...inputs, ...(kept ? { live: kept } : {}), resourceVersion: live.metadata.resourceVersion as string };
}

/** A one-line error that names the object and never carries Secret data. */
export function toProviderError(e: unknown, object: KubeObject): Error {
  const what = describeRef(refOf(object));
  if (e instanceof KubeApiError) {
    if (e.conflict && /conflict/i.test(e.message)) {
      return new Error(`${what}: server-side apply conflict (another field manager owns these fields): ${e.message}. Re-run with --force to take them over.`);
    }
    return new Error(`${what}: ${e.message}`);
  }
  return new Error(`${what}: ${e instanceof Error ? e.message : String(e)}`);
}
