/**
 * The hardened pod defaults every workload we apply honours (the app stacks build them in; the
 * control-plane installs rendered from upstream artefacts get them filled in here): a non-root numeric
 * user and group, no privilege escalation, every capability dropped, RuntimeDefault seccomp, a read-only
 * root filesystem, requests and limits for cpu, memory and ephemeral storage, and an API token only for
 * pods that talk to the API (and then the pod says so, `platform.dev/api-access`). What upstream set
 * explicitly wins over a default, except for the flags that only ever harden.
 */
import type { KubeObject } from '../objects/model.js';
import { API_ACCESS_ANNOTATION } from './names.js';

/** The UID/GID distroless `nonroot` images run as (numeric, so the kubelet can check runAsNonRoot): our app pods', and installs' where upstream sets no user. */
export const DEFAULT_UID = 65532;

/** The restricted container securityContext (Pod Security "restricted" plus a read-only root), fresh per call. */
export function restrictedContainerSecurity(
  uid: number,
  gid = uid,
): {
  runAsNonRoot: true;
  runAsUser: number;
  runAsGroup: number;
  readOnlyRootFilesystem: true;
  allowPrivilegeEscalation: false;
  capabilities: { drop: string[] };
  seccompProfile: { type: 'RuntimeDefault' };
} {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: gid,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export interface Resources {
  requests: Record<string, string>;
  limits: Record<string, string>;
}

export interface HardeningOptions {
  /** The pods call the Kubernetes API (controllers, operators): keep their token and annotate why. */
  apiAccess: boolean;
  /** Filled in where upstream sets no value (per resource, requests and limits separately). */
  resources: Resources;
  /** The user (and group) for containers upstream leaves without one; default DEFAULT_UID. */
  uid?: number;
  /** Containers that must run as root (e.g. Velero's node agent reads other pods' volumes); named, never implied. */
  rootContainers?: string[];
  /**
   * The image for containers upstream leaves as `image: auto` (Istio's gateway: its injection webhook
   * fills it in, which nothing on the local plane and nothing the policy gate sees would do). Istio keeps
   * an image set on the pod, so this pins the proxy to the same version as the control plane.
   */
  autoImage?: string;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job']);

interface Container {
  name: string;
  readinessProbe?: unknown;
  livenessProbe?: unknown;
  securityContext?: Record<string, unknown>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  [key: string]: unknown;
}

interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  securityContext?: Record<string, unknown>;
  automountServiceAccountToken?: boolean;
  [key: string]: unknown;
}

/** The workloads among `objects` hardened in place (other objects untouched); returns `objects`. */
export function hardenWorkloads(objects: KubeObject[], opts: HardeningOptions): KubeObject[] {
  for (const o of objects) {
    if (!WORKLOAD_KINDS.has(o.kind)) continue;
    const template = (o.spec as { template?: { metadata?: { annotations?: Record<string, string> }; spec?: PodSpec } } | undefined)?.template;
    if (!template?.spec) continue;
    hardenPod(template as { metadata?: { annotations?: Record<string, string> }; spec: PodSpec }, opts);
  }
  return objects;
}

function hardenPod(template: { metadata?: { annotations?: Record<string, string> }; spec: PodSpec }, opts: HardeningOptions): void {
  const spec = template.spec;
  const roots = new Set(opts.rootContainers ?? []);
  const anyRoot = [...spec.containers, ...(spec.initContainers ?? [])].some((c) => roots.has(c.name));
  const podSecurity = spec.securityContext ?? {};
  spec.securityContext = {
    ...podSecurity,
    ...(anyRoot ? {} : { runAsNonRoot: true }),
    seccompProfile: podSecurity.seccompProfile ?? { type: 'RuntimeDefault' },
  };
  if (opts.apiAccess) {
    template.metadata = { ...template.metadata, annotations: { ...template.metadata?.annotations, [API_ACCESS_ANNOTATION]: 'true' } };
  } else {
    spec.automountServiceAccountToken = false;
  }
  for (const c of spec.containers) hardenContainer(c, podSecurity, opts, roots.has(c.name), true);
  for (const c of spec.initContainers ?? []) hardenContainer(c, podSecurity, opts, roots.has(c.name), false);
  // An unbounded emptyDir can fill the node's disk: bound each by the pod's ephemeral-storage limit.
  const bound = opts.resources.limits['ephemeral-storage'];
  for (const v of (spec.volumes as Array<{ emptyDir?: Record<string, unknown> }> | undefined) ?? []) {
    if (v.emptyDir && !v.emptyDir.sizeLimit && bound) v.emptyDir = { ...v.emptyDir, sizeLimit: bound };
  }
}

function hardenContainer(c: Container, podSecurity: Record<string, unknown>, opts: HardeningOptions, root: boolean, probed: boolean): void {
  if (c.image === 'auto' && opts.autoImage) c.image = opts.autoImage;
  const own = c.securityContext ?? {};
  const uid = (own.runAsUser as number | undefined) ?? (podSecurity.runAsUser as number | undefined) ?? opts.uid ?? DEFAULT_UID;
  const gid = (own.runAsGroup as number | undefined) ?? (podSecurity.runAsGroup as number | undefined) ?? uid;
  c.securityContext = root
    ? { ...own, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, seccompProfile: { type: 'RuntimeDefault' } }
    : { ...own, ...restrictedContainerSecurity(uid, gid), capabilities: { ...(own.capabilities as object | undefined), drop: ['ALL'] } };
  const requests = quantities({ ...opts.resources.requests, ...c.resources?.requests });
  const limits = quantities({ ...opts.resources.limits, ...c.resources?.limits });
  c.resources = { ...c.resources, requests, limits };
  if (!probed) return; // init containers run to completion: no probes
  // No probes at all but a port (Velero serves its metrics port once started): a TCP check of that port.
  const port = (c.ports as Array<{ containerPort: number }> | undefined)?.[0]?.containerPort;
  if (!c.readinessProbe && !c.livenessProbe && port) c.readinessProbe = { tcpSocket: { port }, periodSeconds: 10, failureThreshold: 3 };
  // A readiness probe without a liveness probe: the same check, more tolerant (restart only when it
  // has failed for two minutes), so a slow start or a busy moment never restarts the container.
  if (c.readinessProbe && !c.livenessProbe) {
    const ready = c.readinessProbe as Record<string, unknown>;
    c.livenessProbe = {
      ...ready,
      initialDelaySeconds: Math.max(Number(ready.initialDelaySeconds ?? 0), 30),
      periodSeconds: 20,
      failureThreshold: 6,
      timeoutSeconds: Math.max(Number(ready.timeoutSeconds ?? 1), 5),
    };
  }
}

/** Helm's toYaml prints `cpu: 2` as a number; the API server returns quantities as strings. */
function quantities(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)]));
}

/** The verbs every built-in and custom resource serves; `*` grants only these unless a resource has verbs of its own. */
const STANDARD_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
/** Resources with verbs beyond the standard ones (escalate, bind, impersonate, approve, sign, use): `*` stays, and the policy gate says so. */
const RESOURCES_WITH_OWN_VERBS =
  /^(\*|roles|clusterroles|users|groups|serviceaccounts(\/token)?|userextras\/.*|certificatesigningrequests(\/.*)?|signers|podsecuritypolicies|securitycontextconstraints)$/;

interface RbacRule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  [key: string]: unknown;
}

/**
 * Roles and ClusterRoles among `objects` with `verbs: ["*"]` on ordinary resources rewritten to the
 * standard verbs — the same grant today, written out, and it does not grow with new verbs (the
 * `rbac_wildcards` policy). Rules over resources that have verbs of their own keep their `*`. Returns `objects`.
 */
export function explicitRbacVerbs(objects: KubeObject[]): KubeObject[] {
  for (const o of objects) {
    if (o.kind !== 'Role' && o.kind !== 'ClusterRole') continue;
    for (const rule of (o.rules as RbacRule[] | undefined) ?? []) {
      if (!rule.verbs.includes('*') || !rule.resources?.length) continue;
      if (rule.resources.some((r) => RESOURCES_WITH_OWN_VERBS.test(r))) continue;
      rule.verbs = STANDARD_VERBS.slice();
    }
  }
  return objects;
}
