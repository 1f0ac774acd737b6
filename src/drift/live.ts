/**
 * The "live" view of one region: bulk lists only — one list per kind and namespace (one per kind
 * across namespaces once a kind spans many namespaces, and one per cluster-scoped kind), never a GET
 * per object — run with bounded concurrency over one keep-alive connection pool.
 */
import type { KubeClient } from '../kube/client.js';
import type { KubeObject } from '../objects/model.js';
import { groupKind, objectKey } from '../objects/identity.js';

/** Past this many namespaces of one kind, one list across all namespaces is cheaper than one each. */
const ALL_NAMESPACES_THRESHOLD = 8;

/** Kinds scanned for unmanaged objects in tenant namespaces, besides every namespaced kind we manage.
 *  Not scanned, because controllers create them for objects we own: Pods, ReplicaSets,
 *  ControllerRevisions, Endpoints, EndpointSlices, Events, Leases. */
export const UNMANAGED_SCAN_KINDS: Array<[apiVersion: string, kind: string]> = [
  ['v1', 'ConfigMap'],
  ['v1', 'Secret'],
  ['v1', 'Service'],
  ['v1', 'ServiceAccount'],
  ['v1', 'PersistentVolumeClaim'],
  ['v1', 'ResourceQuota'],
  ['v1', 'LimitRange'],
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'StatefulSet'],
  ['apps/v1', 'DaemonSet'],
  ['batch/v1', 'Job'],
  ['batch/v1', 'CronJob'],
  ['networking.k8s.io/v1', 'NetworkPolicy'],
  ['networking.k8s.io/v1', 'Ingress'],
  ['rbac.authorization.k8s.io/v1', 'Role'],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
  ['autoscaling/v2', 'HorizontalPodAutoscaler'],
  ['policy/v1', 'PodDisruptionBudget'],
];

export interface KindRequest {
  apiVersion: string;
  kind: string;
  /** Namespaces wanted ('' = cluster-scoped objects; any namespace name is ignored for cluster-scoped kinds). */
  namespaces: Set<string>;
}

/** Collects what to list: kinds with the namespaces they are wanted in. */
export class LiveRequests {
  private readonly byKind = new Map<string, KindRequest>();
  add(apiVersion: string, kind: string, namespace: string | undefined): void {
    const key = `${apiVersion}|${kind}`;
    let r = this.byKind.get(key);
    if (!r) this.byKind.set(key, (r = { apiVersion, kind, namespaces: new Set() }));
    r.namespaces.add(namespace ?? '');
  }
  get requests(): KindRequest[] {
    return [...this.byKind.values()];
  }
}

export interface LiveStats {
  listCalls: number;
  objects: number;
}

export class LiveView {
  private constructor(
    private readonly byKey: Map<string, KubeObject>,
    private readonly byKindNamespace: Map<string, KubeObject[]>,
    readonly stats: LiveStats,
  ) {}

  /** Lists every request with at most `concurrency` calls in flight. Any failure rejects (the region is then `error`). */
  static async read(client: KubeClient, requests: KindRequest[], concurrency = 8): Promise<LiveView> {
    const byKey = new Map<string, KubeObject>();
    const byKindNamespace = new Map<string, KubeObject[]>();
    const stats: LiveStats = { listCalls: 0, objects: 0 };
    const calls: Array<() => Promise<void>> = [];
    const take = (items: KubeObject[]): void => {
      stats.objects += items.length;
      for (const o of items) {
        byKey.set(objectKey(o), o);
        const k = `${groupKind(o.apiVersion, o.kind)}|${o.metadata.namespace ?? ''}`;
        const list = byKindNamespace.get(k);
        if (list) list.push(o);
        else byKindNamespace.set(k, [o]);
      }
    };
    // Discovery first (one call per apiVersion, cached by the client), then the lists.
    const resolved = await pool(
      requests.map((r) => async () => ({ r, resource: await client.resourceFor(r.apiVersion, r.kind) })),
      concurrency,
    );
    for (const { r, resource } of resolved) {
      if (!resource) continue; // not served (e.g. its CRD is gone): nothing of that kind exists
      const list = (namespace?: string) => async () => {
        stats.listCalls++;
        take(await client.list(r.apiVersion, r.kind, namespace));
      };
      const namespaces = [...r.namespaces].filter(Boolean);
      if (!resource.namespaced || namespaces.length > ALL_NAMESPACES_THRESHOLD) calls.push(list(undefined));
      else for (const ns of namespaces) calls.push(list(ns));
    }
    await pool(calls, concurrency);
    return new LiveView(byKey, byKindNamespace, stats);
  }

  get(o: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): KubeObject | undefined {
    return this.byKey.get(objectKey(o));
  }

  /** Objects of a kind in a namespace (as listed). */
  inNamespace(apiVersion: string, kind: string, namespace: string): KubeObject[] {
    return this.byKindNamespace.get(`${groupKind(apiVersion, kind)}|${namespace}`) ?? [];
  }

  all(): IterableIterator<KubeObject> {
    return this.byKey.values();
  }
}

/** Runs tasks with at most `limit` in flight; results in task order; the first failure rejects. */
export async function pool<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
