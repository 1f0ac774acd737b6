/**
 * Noise control: which field managers are controllers (their writes are never drift), which
 * server/controller-written keys are never drift, the built-in presets for fields controllers own,
 * and the user's `drift.ignore` rules (docs/config.md).
 */
import type { IgnoreRule } from '../config/schema.js';
import type { DriftFinding, DriftPath } from './types.js';
import type { KubeObject } from '../objects/model.js';

/**
 * Field managers of controllers and of the API server itself. A field only they own is theirs by
 * design (status bookkeeping, the Deployment revision annotation, HPA scaling, webhook CA injection),
 * so it is never reported. Everything else that is not our own Apply — kubectl (scale, label, edit,
 * patch, create, client-side apply), other SSA managers, consoles, scripts — is "a human or tool changed
 * it out of band".
 */
export const CONTROLLER_MANAGERS: ReadonlySet<string> = new Set([
  'kube-controller-manager', // Deployment revision annotation, HPA scale writes, Endpoints, GC finalizers
  'kube-scheduler',
  'kube-apiserver',
  'kubelet',
  'kwok-controller', // the local plane's fake kubelet
  'pilot-discovery', // istiod: webhook caBundle, istio-ca-root-cert
  'istiod',
  'istio-operator',
  'PrometheusOperator', // prometheus-operator's manager name
  'prometheus-operator',
  'velero',
  'velero-server',
  'cainjector', // cert-manager's CA injector (webhook caBundle)
  'cert-manager-cainjector',
]);

/** Other controllers follow the `…-controller` / `…-operator` naming convention. */
const CONTROLLER_PATTERN = /(^system:)|(-controller(-manager)?$)|(-operator$)/;

export const isControllerManager = (manager: string | undefined): boolean =>
  !!manager && (CONTROLLER_MANAGERS.has(manager) || CONTROLLER_PATTERN.test(manager));

/**
 * Paths (JSON pointers) that the API server or controllers write on every object of a kind, never
 * drift whoever owns them. `last-applied-configuration` is kubectl's client-side bookkeeping: the
 * changes it records are reported on their own fields, and for a Secret it holds the data in clear.
 */
export const SERVER_WRITTEN_PATHS: ReadonlyArray<{ path: string; why: string }> = [
  { path: '/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration', why: 'kubectl client-side bookkeeping (holds Secret data in clear)' },
  { path: '/metadata/annotations/deployment.kubernetes.io~1revision', why: 'written by the Deployment controller on every rollout' },
  { path: '/metadata/labels/kubernetes.io~1metadata.name', why: 'set by the API server on every Namespace' },
  { path: '/metadata/managedFields', why: 'server-side apply bookkeeping' },
  { path: '/metadata/resourceVersion', why: 'server bookkeeping' },
  { path: '/metadata/generation', why: 'server bookkeeping' },
  { path: '/metadata/uid', why: 'server bookkeeping' },
  { path: '/metadata/creationTimestamp', why: 'server bookkeeping' },
  { path: '/metadata/finalizers', why: 'controllers add and remove finalizers' },
  { path: '/status', why: 'observed state, not desired state' },
];

/** Context a preset may look at: HPA targets in the region (from Git, state and live). */
export interface PresetContext {
  /** `namespace/Kind/name` of every object an HPA scales. */
  hpaTargets: ReadonlySet<string>;
}

export interface Preset {
  id: string;
  why: string;
  kinds: string[];
  /** JSON pointers; `*` matches one segment (a list index). */
  paths: string[];
  applies?: (object: Pick<KubeObject, 'kind' | 'metadata'>, ctx: PresetContext) => boolean;
}

export const hpaTargetKey = (namespace: string | undefined, kind: string, name: string): string => `${namespace ?? ''}/${kind}/${name}`;

/** Built-in presets for fields that controllers own (applied to `drifted` findings). */
export const PRESETS: Preset[] = [
  {
    id: 'hpa-replicas',
    why: 'A HorizontalPodAutoscaler owns spec.replicas of its scale target: it moves it between min and max (and puts back whatever anyone else sets). The app stack leaves replicas out when autoscale is set.',
    kinds: ['Deployment', 'StatefulSet', 'ReplicaSet'],
    paths: ['/spec/replicas'],
    applies: (o, ctx) => ctx.hpaTargets.has(hpaTargetKey(o.metadata.namespace, o.kind, o.metadata.name)),
  },
  {
    id: 'istio-webhook',
    why: 'istiod patches its webhook configurations at run time: it injects the mesh CA into clientConfig.caBundle and flips failurePolicy to Fail once it is ready. Those values are not ours to keep.',
    kinds: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
    paths: ['/webhooks/*/clientConfig/caBundle', '/webhooks/*/failurePolicy'],
  },
  {
    id: 'prometheus-operator-defaults',
    why: 'prometheus-operator reconciles its CRs: it records an input hash annotation on them, and the CRD schemas default many fields we leave out (server defaults: never in our manifest, owned by no manager, so never compared). Its own writes carry a controller manager name.',
    kinds: ['Prometheus', 'Alertmanager', 'ThanosRuler', 'ServiceMonitor', 'PodMonitor', 'PrometheusRule', 'Probe'],
    paths: ['/metadata/annotations/prometheus-operator-input-hash'],
  },
];

const pointerMatches = (pattern: string, path: string): boolean => {
  // pattern covers the path itself and everything below it
  const p = pattern.split('/');
  const q = path.split('/');
  if (q.length < p.length) return false;
  return p.every((seg, i) => seg === '*' || seg === q[i]);
};

export function isServerWritten(path: string): boolean {
  // Hot path (called for every field of every object): all of these live under /metadata or /status.
  if (!path.startsWith('/metadata/') && !path.startsWith('/status')) return false;
  return SERVER_WRITTEN_PATHS.some((s) => pointerMatches(s.path, path));
}

/** The preset that silences a path of a drifted object, if any. */
export function presetFor(object: Pick<KubeObject, 'kind' | 'metadata'>, path: string, ctx: PresetContext): Preset | undefined {
  return PRESETS.find((p) => p.kinds.includes(object.kind) && p.paths.some((pattern) => pointerMatches(pattern, path)) && (p.applies?.(object, ctx) ?? true));
}

function ruleMatches(rule: IgnoreRule, f: Pick<DriftFinding, 'kind' | 'namespace' | 'name'>): boolean {
  if (rule.kind && rule.kind !== f.kind) return false;
  if (rule.namespace && rule.namespace !== (f.namespace ?? '')) return false;
  if (rule.name && rule.name !== f.name) return false;
  if (rule.nameRegex && !new RegExp(rule.nameRegex).test(f.name)) return false;
  return true;
}

/**
 * Applies `drift.ignore`: a rule without paths silences the whole object, a rule with paths silences
 * those fields (and everything below them). A finding left without paths that had some is dropped.
 */
export function applyIgnoreRules(findings: DriftFinding[], rules: IgnoreRule[]): DriftFinding[] {
  if (!rules.length) return findings;
  const out: DriftFinding[] = [];
  for (const f of findings) {
    const matching = rules.filter((r) => ruleMatches(r, f));
    if (matching.some((r) => !r.paths?.length)) continue;
    if (!matching.length || f.paths.length === 0) {
      out.push(f);
      continue;
    }
    const paths: DriftPath[] = f.paths.filter((p) => !matching.some((r) => r.paths!.some((pattern) => pointerMatches(pattern, p.path))));
    if (paths.length) out.push({ ...f, paths });
  }
  return out;
}

export { pointerMatches };
