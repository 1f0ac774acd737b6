/**
 * The one way we talk to a Kubernetes API server: server-side apply (field manager `platform`), its
 * dry-run, get, delete-and-wait, bulk list per kind + namespace, kind → resource discovery, and waits.
 *
 * Raw JSON over node:https with a keep-alive agent instead of `KubernetesObjectApi`: that class
 * deserializes known kinds into typed models (dates become Date objects, unknown fields vanish), which
 * would corrupt the exact comparisons diff and drift rely on. `KubeConfig` still does all the auth work.
 */
import http from 'node:http';
import https from 'node:https';
import { ExternalError } from '../errors.js';
import type { KubeAccess } from './access.js';
import { plainKubeconfigOptions } from './kubeconfig.js';
import type { KubeObject } from '../objects/model.js';

export const FIELD_MANAGER = 'platform';
const ROUTE_NOT_FOUND = 'RouteNotFound';

/** What identifies one object on a server. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface ApiResource {
  /** Plural resource name used in URLs, e.g. `deployments`. */
  name: string;
  namespaced: boolean;
  kind: string;
}

/** A non-2xx answer of the API server, with the Status body's reason and message. */
export class KubeApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly reason: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }
  get notFound(): boolean {
    return this.statusCode === 404 && this.reason !== ROUTE_NOT_FOUND;
  }
  get conflict(): boolean {
    return this.statusCode === 409;
  }
  /** The server refused a change to a field that cannot change after creation. */
  get immutable(): boolean {
    return this.statusCode === 422 && /immutable|may not change|cannot be changed|field is immutable/i.test(this.message);
  }
}

export const refOf = (o: KubeObject): ObjectRef => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace });
export const describeRef = (r: ObjectRef): string => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

export interface ApplyOptions {
  dryRun?: boolean;
  force?: boolean;
  /** Another field manager than `platform` (tests and tools that simulate out-of-band edits). */
  fieldManager?: string;
}

export interface WaitOptions {
  timeoutMs?: number;
  /** The first pause between polls; it doubles up to `maxIntervalMs` (default 1 s). */
  intervalMs?: number;
  maxIntervalMs?: number;
  signal?: AbortSignal;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const aborted = (): Error => (signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    if (signal?.aborted) {
      reject(aborted());
      return;
    }
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(aborted());
      },
      { once: true },
    );
  });

export class KubeClient {
  private readonly discovery = new Map<string, Promise<ApiResource[]>>();
  private readonly agent: http.Agent;
  private readonly server: URL;
  private readonly baseOptions: https.RequestOptions;

  private constructor(
    readonly access: KubeAccess,
    server: string,
    baseOptions: https.RequestOptions,
  ) {
    this.server = new URL(server);
    // Keep-alive: a plan of 1,000 objects makes thousands of small requests.
    const agentOptions = { keepAlive: true, maxSockets: 32 };
    this.agent = this.server.protocol === 'https:' ? new https.Agent({ ...agentOptions, ...pickTls(baseOptions) }) : new http.Agent(agentOptions);
    this.baseOptions = baseOptions;
  }

  /** A client for one kubeconfig context. Throws ExternalError when the file or context is unusable. */
  static async connect(access: KubeAccess): Promise<KubeClient> {
    const plain = plainKubeconfigOptions(access);
    if (plain) return new KubeClient(access, plain.server, plain.options);
    // Loaded only for kubeconfigs that need it (exec plugins, auth providers…): ~0.4 s of start-up.
    const { KubeConfig } = await import('@kubernetes/client-node');
    const kc = new KubeConfig();
    try {
      if (access.kubeconfigData === undefined) kc.loadFromFile(access.kubeconfig);
      else kc.loadFromString(access.kubeconfigData);
    } catch (e) {
      throw new ExternalError(
        // A parse error quotes the text: never for data that holds credentials.
        `cannot read kubeconfig ${access.kubeconfig}${access.kubeconfigData === undefined ? `: ${(e as Error).message}` : ' (not a valid kubeconfig)'}`,
        'For a local region run `platform local up`; otherwise check regions[].cluster.kubeconfig.',
      );
    }
    if (!kc.getContexts().some((c) => c.name === access.context)) {
      throw new ExternalError(
        `kubeconfig ${access.kubeconfig} has no context "${access.context}"`,
        'For a local region run `platform local up`; otherwise check regions[].cluster.context.',
      );
    }
    kc.setCurrentContext(access.context);
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new ExternalError(`context "${access.context}" names no cluster`, 'Check the kubeconfig.');
    const options: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(options);
    return new KubeClient(access, cluster.server, options);
  }

  close(): void {
    this.agent.destroy();
  }

  // ---- discovery -------------------------------------------------------------------------------

  /** The resources of one apiVersion (cached; refreshed when a kind is missing, e.g. a new CRD). */
  private resources(apiVersion: string, refresh = false): Promise<ApiResource[]> {
    let entry = this.discovery.get(apiVersion);
    if (!entry || refresh) {
      const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      // No retry here: an API group that does not exist (yet) is an answer, not a transient state.
      entry = this.send<{ resources: ApiResource[] }>('GET', path)
        .then((r) => r.resources.filter((x) => !x.name.includes('/')))
        .catch((e: unknown) => {
          if (e instanceof KubeApiError && e.statusCode === 404) return [];
          throw e;
        });
      // Failed lookups must not stick.
      entry.catch(() => this.discovery.delete(apiVersion));
      this.discovery.set(apiVersion, entry);
    }
    return entry;
  }

  /** kind → resource (plural name, scope); undefined when the server does not serve the kind. */
  async resourceFor(apiVersion: string, kind: string): Promise<ApiResource | undefined> {
    const found = (await this.resources(apiVersion)).find((r) => r.kind === kind);
    if (found) return found;
    return (await this.resources(apiVersion, true)).find((r) => r.kind === kind);
  }

  private async collectionPath(apiVersion: string, kind: string, namespace?: string): Promise<string> {
    const resource = await this.resourceFor(apiVersion, kind);
    if (!resource) {
      throw new KubeApiError(404, 'NotFound', `the server does not serve ${kind} in ${apiVersion} (is its CRD installed?)`);
    }
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    if (resource.namespaced && namespace) return `${base}/namespaces/${encodeURIComponent(namespace)}/${resource.name}`;
    return `${base}/${resource.name}`;
  }

  private async objectPath(ref: ObjectRef): Promise<string> {
    const resource = await this.resourceFor(ref.apiVersion, ref.kind);
    if (resource?.namespaced && !ref.namespace) {
      throw new KubeApiError(400, 'BadRequest', `${ref.kind} ${ref.name} is namespaced but has no metadata.namespace`);
    }
    return `${await this.collectionPath(ref.apiVersion, ref.kind, resource?.namespaced ? ref.namespace : undefined)}/${encodeURIComponent(ref.name)}`;
  }

  /**
   * Polls discovery until the server serves the kind (a new CRD's kinds appear a moment after it is
   * Established); false when it still does not after `timeoutMs` (default 30 s).
   */
  async waitUntilServed(apiVersion: string, kind: string, options: WaitOptions = {}): Promise<boolean> {
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    for (let wait = options.intervalMs ?? 100; ; wait = Math.min(wait * 2, options.maxIntervalMs ?? 1_000)) {
      if (await this.resourceFor(apiVersion, kind)) return true;
      if (Date.now() >= deadline) return false;
      await sleep(wait, options.signal);
    }
  }

  /** Whether the kind is namespaced on this server (undefined when not served). */
  async isNamespaced(apiVersion: string, kind: string): Promise<boolean | undefined> {
    return (await this.resourceFor(apiVersion, kind))?.namespaced;
  }

  // ---- objects ---------------------------------------------------------------------------------

  /** Server-side apply with field manager `platform`; creates the object if needed (adopting an existing one). */
  async apply(object: KubeObject, options: ApplyOptions = {}): Promise<KubeObject> {
    const query = new URLSearchParams({ fieldManager: options.fieldManager ?? FIELD_MANAGER });
    if (options.force) query.set('force', 'true');
    if (options.dryRun) query.set('dryRun', 'All');
    // Discovery lags a moment behind a CRD becoming Established: give a kind that is about to exist time to appear.
    await this.waitUntilServed(object.apiVersion, object.kind, { timeoutMs: 30_000 });
    const path = await this.objectPath(refOf(object));
    return this.request<KubeObject>('PATCH', `${path}?${query.toString()}`, object, 'application/apply-patch+yaml');
  }

  /** The live object, or undefined when it does not exist. */
  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    try {
      return await this.request<KubeObject>('GET', await this.objectPath(ref));
    } catch (e) {
      if (e instanceof KubeApiError && e.notFound) return undefined;
      throw e;
    }
  }

  /**
   * Every object of one kind in one namespace (or cluster-wide / all namespaces without one): one list
   * call (paged by the server only past 500 items). Items get apiVersion/kind filled in.
   */
  async list(apiVersion: string, kind: string, namespace?: string, labelSelector?: string): Promise<KubeObject[]> {
    const base = await this.collectionPath(apiVersion, kind, namespace);
    const items: KubeObject[] = [];
    let next: string | undefined;
    do {
      const query = new URLSearchParams({ limit: '500' });
      if (labelSelector) query.set('labelSelector', labelSelector);
      if (next) query.set('continue', next);
      const page = await this.request<{ items: KubeObject[]; metadata?: { continue?: string } }>('GET', `${base}?${query.toString()}`);
      for (const item of page.items) items.push({ ...item, apiVersion, kind });
      next = page.metadata?.continue || undefined;
    } while (next);
    return items;
  }

  /**
   * Every namespaced kind the server lists, at its group's preferred version (Velero's view of "every
   * object"): sub-resources and kinds that cannot be listed are left out.
   */
  async listableNamespacedKinds(): Promise<Array<{ apiVersion: string; kind: string; resource: string }>> {
    const core = await this.request<{ resources: Array<ApiResource & { verbs?: string[] }> }>('GET', '/api/v1');
    const groups = await this.request<{ groups: Array<{ preferredVersion: { groupVersion: string } }> }>('GET', '/apis');
    const out: Array<{ apiVersion: string; kind: string; resource: string }> = [];
    const add = (apiVersion: string, resources: Array<ApiResource & { verbs?: string[] }>) => {
      for (const r of resources)
        if (r.namespaced && !r.name.includes('/') && r.verbs?.includes('list') && r.verbs.includes('create'))
          out.push({ apiVersion, kind: r.kind, resource: r.name });
    };
    add('v1', core.resources);
    for (const g of groups.groups) {
      const gv = g.preferredVersion.groupVersion;
      add(gv, (await this.request<{ resources: Array<ApiResource & { verbs?: string[] }> }>('GET', `/apis/${gv}`)).resources);
    }
    return out;
  }

  /** Creates the object unless one with its name exists (Velero's default restore policy): which happened. */
  async createIfAbsent(object: KubeObject): Promise<'created' | 'exists'> {
    const path = await this.collectionPath(object.apiVersion, object.kind, object.metadata.namespace);
    try {
      await this.request<KubeObject>('POST', `${path}?fieldManager=${encodeURIComponent(FIELD_MANAGER)}`, object);
      return 'created';
    } catch (e) {
      if (e instanceof KubeApiError && e.statusCode === 409) return 'exists';
      throw e;
    }
  }

  /** Deletes the object (background propagation) and waits until it is gone (finalizers, namespaces). */
  async deleteAndWait(ref: ObjectRef, wait: WaitOptions = {}): Promise<void> {
    const path = await this.objectPath(ref).catch((e: unknown) => {
      // A kind the server no longer serves (its CRD went first) has no objects left to delete.
      if (e instanceof KubeApiError && e.notFound) return undefined;
      throw e;
    });
    if (!path) return;
    try {
      await this.request('DELETE', path, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' });
    } catch (e) {
      if (e instanceof KubeApiError && e.notFound) return;
      throw e;
    }
    await this.waitUntilGone(ref, wait);
  }

  /**
   * Waits until an object being deleted is gone (its finalizers done; a Namespace: everything in it
   * removed). On timeout (default 300 s) the error says what still holds it.
   */
  async waitUntilGone(ref: ObjectRef, wait: WaitOptions = {}): Promise<void> {
    await this.waitFor(ref, (o) => o === undefined, `${describeRef(ref)} to be deleted`, { timeoutMs: 300_000, ...wait }, deletionBlockers);
  }

  /** Polls the object until `done(live)` holds; throws ExternalError on timeout, with `stuck(live)` when it says why. */
  async waitFor(
    ref: ObjectRef,
    done: (live: KubeObject | undefined) => boolean,
    what: string,
    options: WaitOptions = {},
    stuck?: (live: KubeObject | undefined) => string | undefined,
  ): Promise<KubeObject | undefined> {
    const timeoutMs = options.timeoutMs ?? 120_000;
    const deadline = Date.now() + timeoutMs;
    let interval = options.intervalMs ?? 100;
    for (;;) {
      const live = await this.get(ref);
      if (done(live)) return live;
      if (Date.now() > deadline) {
        const why = stuck?.(live);
        throw new ExternalError(
          `timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${why ? `: ${why}` : ''}`,
          'Check the object with kubectl describe; its controller or a finalizer may be stuck.',
        );
      }
      await sleep(interval, options.signal);
      interval = Math.min(interval * 2, options.maxIntervalMs ?? 1_000);
    }
  }

  /** Waits until a CustomResourceDefinition is Established (its kinds are served). */
  async waitForCrdEstablished(name: string, options: WaitOptions = {}): Promise<void> {
    await this.waitFor(
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name },
      (o) => hasCondition(o, 'Established'),
      `CRD ${name} to be Established`,
      options,
    );
  }

  /** Waits until a Deployment reports Available with its observed generation current. */
  async waitForDeploymentAvailable(namespace: string, name: string, options: WaitOptions = {}): Promise<void> {
    await this.waitFor(
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name },
      (o) => {
        const status = o?.status as { observedGeneration?: number } | undefined;
        const generation = (o?.metadata as { generation?: number } | undefined)?.generation;
        return hasCondition(o, 'Available') && (status?.observedGeneration ?? 0) >= (generation ?? 0);
      },
      `Deployment ${namespace}/${name} to be Available`,
      options,
    );
  }

  // ---- transport -------------------------------------------------------------------------------

  /** Retries while the server's router does not serve the path yet (new CRD kinds, for a few seconds). */
  private async request<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const deadline = Date.now() + 30_000;
    for (let wait = 100; ; wait = Math.min(wait * 2, 1_000)) {
      try {
        return await this.send<T>(method, path, body, contentType);
      } catch (e) {
        if (!(e instanceof KubeApiError && e.reason === ROUTE_NOT_FOUND) || Date.now() > deadline) throw e;
        await sleep(wait);
      }
    }
  }

  private send<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const url = new URL(path, this.server);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise<T>((resolve, reject) => {
      const req = transport.request(
        url,
        {
          ...this.baseOptions,
          agent: this.agent,
          method,
          headers: {
            ...(this.baseOptions.headers as Record<string, string> | undefined),
            accept: 'application/json',
            ...(payload ? { 'content-type': contentType, 'content-length': payload.length } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              parsed = undefined;
            }
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              resolve(parsed as T);
              return;
            }
            const s = (parsed ?? {}) as { kind?: string; reason?: string; message?: string; details?: unknown };
            // A 404 without a Status body comes from the server's router: the kind's handler is not
            // installed yet (a CRD established a moment ago), not a missing object.
            const reason = status === 404 && s.kind !== 'Status' ? ROUTE_NOT_FOUND : (s.reason ?? String(status));
            reject(new KubeApiError(status, reason, s.message ?? (text.slice(0, 200) || `HTTP ${status}`), s.details));
          });
          res.on('error', reject);
        },
      );
      req.on('error', (e) =>
        reject(
          new ExternalError(
            `cannot reach the API server ${this.server.origin} (${this.access.context}): ${e.message}`,
            'Is the cluster running? For a local region run `platform local up`.',
            { cause: e },
          ),
        ),
      );
      if (payload) req.write(payload);
      req.end();
    });
  }
}

/**
 * What keeps an object that is being deleted: its finalizers, and for a Namespace the conditions its
 * controller reports (`Some resources are remaining: configmaps. has 2 resource instances`, finalizers
 * of objects inside it, failed deletions).
 */
export function deletionBlockers(o: KubeObject | undefined): string | undefined {
  if (!o) return undefined;
  const conditions = (o.status as { conditions?: Array<{ status: string; message?: string }> } | undefined)?.conditions ?? [];
  const reasons = conditions.filter((c) => c.status === 'True' && c.message).map((c) => c.message!.trim());
  const finalizers = (o.metadata as { finalizers?: string[] }).finalizers ?? [];
  if (finalizers.length) reasons.push(`finalizers ${finalizers.join(', ')}`);
  return reasons.length ? `still there: ${reasons.join('; ')}` : undefined;
}

function hasCondition(o: KubeObject | undefined, type: string): boolean {
  const conditions = (o?.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [];
  return conditions.some((c) => c.type === type && c.status === 'True');
}

function pickTls(o: https.RequestOptions): https.AgentOptions {
  const { ca, cert, key, rejectUnauthorized, servername, pfx, passphrase } = o;
  return { ca, cert, key, rejectUnauthorized, servername, pfx, passphrase };
}

/** Fields the server owns: stripped before comparing or storing objects. */
export function withoutServerFields(o: KubeObject): KubeObject {
  const {
    managedFields: _m,
    resourceVersion: _r,
    uid: _u,
    generation: _g,
    creationTimestamp: _c,
    selfLink: _s,
    ...metadata
  } = o.metadata as Record<string, unknown>;
  const { status: _status, ...rest } = o;
  const annotations = { ...((metadata.annotations as Record<string, string> | undefined) ?? {}) };
  delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  else delete metadata.annotations;
  return { ...rest, metadata } as KubeObject;
}

export { groupOf };
