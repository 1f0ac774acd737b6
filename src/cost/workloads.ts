/**
 * Kubernetes workloads as cost: what each Deployment/StatefulSet requests × its replicas (with an HPA:
 * minReplicas, and maxReplicas as the range), priced per vCPU-hour and GiB-hour of its node pool.
 *
 * The pool's node price is split between vCPU and memory the way OpenCost does when it knows a node's
 * total price but not its parts (pkg/costmodel/costmodel.go, GetNodeCost): the split keeps the ratio of
 * OpenCost's default CPU and RAM prices (configs/default.json: 0.031611 USD per vCPU-hour, 0.004237 USD
 * per GiB-hour), so  ram = nodePrice / (vcpu × cpuToRam + memoryGib),  cpu = ram × cpuToRam.
 *
 * The objects are the stack's own and those of the control planes it installs (istiod, the Prometheus
 * operator, Velero: src/engines/crds.ts), each of those tagged with its install. The `Prometheus` and
 * `Alertmanager` custom resources are priced as the StatefulSets the operator makes of them.
 */
import type { Range } from './catalog/common.js';
import type { KubeObject } from '../objects/model.js';
import { objectName, objectType } from '../objects/identity.js';
import { bytes, millicores } from '../objects/quantity.js';

export const OPENCOST_DEFAULT_CPU_PER_HOUR = 0.031611;
export const OPENCOST_DEFAULT_RAM_PER_GIB_HOUR = 0.004237;

/** A node's hourly price as a price per vCPU-hour and per GiB-hour (OpenCost's split). */
export function splitNodePrice(hourly: number, vcpu: number, memoryGib: number): { cpu: number; memory: number } {
  const cpuToRam = OPENCOST_DEFAULT_CPU_PER_HOUR / OPENCOST_DEFAULT_RAM_PER_GIB_HOUR;
  const memory = hourly / (vcpu * cpuToRam + memoryGib);
  return { cpu: memory * cpuToRam, memory };
}

export interface Workload {
  /** How synth names it: `apps/v1:Deployment`. */
  type: string;
  /** `namespace/name`. */
  name: string;
  namespace: string;
  /** Per pod: the sum of its containers' requests (limits where a request is unset, as Kubernetes defaults it). */
  vcpu: number;
  memoryGib: number;
  replicas: Range;
  /** Why the HPA range applies, for the line's note. */
  autoscaled: boolean;
  /** The control-plane install it comes from (`istiod`, `velero`…); absent for the stack's own objects. */
  install?: string;
  /** What the line's note should say about how it was counted (operator-made pods). */
  note?: string;
}

/** A manifest to price, and the install it comes from when it is not the stack's own. */
export interface PricedObject {
  manifest: KubeObject;
  install?: string;
}

/**
 * The config-reloader sidecar the Prometheus operator adds to every Prometheus and Alertmanager pod:
 * requests (= limits) from its defaults, prometheus-operator v0.85.0 cmd/operator/main.go
 * (`defaultReloaderCPU = "10m"`, `defaultReloaderMemory = "50Mi"`), unless the operator's
 * `--config-reloader-cpu-request` / `--config-reloader-memory-request` flags say otherwise ("0": none).
 * Its init container (`init-config-reloader`, the same size) runs before the pod's containers start, so
 * it does not add to what the pod requests while it runs.
 */
export const CONFIG_RELOADER_DEFAULTS = { cpu: '10m', memory: '50Mi' } as const;
const OPERATOR_KINDS: Record<string, string> = { Prometheus: 'prometheus', Alertmanager: 'alertmanager' };

/** Something in the objects that costs money this version cannot price from a manifest. */
export interface UnpricedObject {
  type: string;
  name: string;
  component: string;
  reason: string;
}

const SCALABLE = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);
/** Kinds that run pods we cannot count from the manifest alone. */
const UNCOUNTABLE: Record<string, string> = {
  DaemonSet: 'runs one pod per node: its cost depends on the node count, which the pools set',
  Job: 'runs until it completes: its cost depends on how long it runs',
  CronJob: 'runs on a schedule: its cost depends on how often and how long it runs',
  Pod: 'a bare pod is not managed by a controller this version prices',
};

interface Container {
  name?: string;
  /** Quantities as written: `cpu: 1` in a manifest is a number, `cpu: 500m` a string. */
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
}

/** The workloads among a stack's objects, and what among them cannot be priced. */
export function workloadsOf(objects: PricedObject[]): { workloads: Workload[]; unpriced: UnpricedObject[] } {
  const manifests = objects.map((o) => o.manifest);
  const reloader = configReloaderRequests(manifests);
  const hpas = new Map<string, { min: number; max: number }>();
  for (const m of manifests) {
    if (m.kind !== 'HorizontalPodAutoscaler' || !m.apiVersion.startsWith('autoscaling/')) continue;
    const spec = m.spec as { scaleTargetRef?: { kind?: string; name?: string }; minReplicas?: number; maxReplicas?: number };
    if (spec.scaleTargetRef?.kind && spec.scaleTargetRef.name) {
      hpas.set(`${m.metadata.namespace ?? ''}/${spec.scaleTargetRef.kind}/${spec.scaleTargetRef.name}`, {
        min: spec.minReplicas ?? 1,
        max: spec.maxReplicas ?? spec.minReplicas ?? 1,
      });
    }
  }

  const workloads: Workload[] = [];
  const unpriced: UnpricedObject[] = [];
  for (const { manifest: m, install } of objects) {
    const type = objectType(m);
    const name = objectName(m);
    if (OPERATOR_KINDS[m.kind] && m.apiVersion === 'monitoring.coreos.com/v1') {
      const made = operatorWorkload(m, reloader);
      unpriced.push(...made.unpriced);
      workloads.push({ ...made.workload, ...(install ? { install } : {}) });
      continue;
    }
    if (UNCOUNTABLE[m.kind]) {
      unpriced.push({ type, name, component: 'pods', reason: UNCOUNTABLE[m.kind] });
      continue;
    }
    if (m.kind === 'PersistentVolumeClaim' && m.apiVersion === 'v1') {
      unpriced.push({ type, name, component: 'volume', reason: 'the price of a volume depends on its storage class, which the manifest does not price' });
      continue;
    }
    if (m.kind === 'Service' && m.apiVersion === 'v1' && (m.spec as { type?: string } | undefined)?.type === 'LoadBalancer') {
      unpriced.push({
        type,
        name,
        component: 'load balancer',
        reason: 'a LoadBalancer Service makes the cloud create a load balancer, which this version does not price',
      });
      continue;
    }
    if (!SCALABLE.has(m.kind) || !m.apiVersion.startsWith('apps/')) continue;

    const spec = m.spec as { replicas?: number; template?: { spec?: { containers?: Container[] } } };
    const containers = spec.template?.spec?.containers ?? [];
    let vcpu = 0;
    let memoryGib = 0;
    for (const c of containers) {
      const { cpu, memory, missing } = requestsOf(c.resources);
      if (missing) {
        unpriced.push({
          type,
          name,
          component: `container ${c.name ?? '?'} ${missing}`,
          reason: `no ${missing} request: what it uses cannot be priced from the manifest`,
        });
      }
      if (cpu !== undefined) vcpu += millicores(String(cpu)) / 1000;
      if (memory !== undefined) memoryGib += bytes(String(memory)) / 2 ** 30;
    }
    const hpa = hpas.get(`${m.metadata.namespace ?? ''}/${m.kind}/${m.metadata.name}`);
    // With an HPA the replica count is the HPA's; without, spec.replicas (Kubernetes defaults it to 1).
    const replicas = hpa ?? { min: spec.replicas ?? 1, max: spec.replicas ?? 1 };
    workloads.push({
      type,
      name,
      namespace: m.metadata.namespace ?? 'default',
      vcpu,
      memoryGib,
      replicas,
      autoscaled: Boolean(hpa),
      ...(install ? { install } : {}),
    });
  }
  return { workloads, unpriced };
}

type Quantity = string | number;

/** CPU and memory a container asks for (its limits where it sets no request), and which of the two it lacks. */
function requestsOf(resources: Container['resources']): { cpu?: Quantity; memory?: Quantity; missing?: string } {
  const cpu = resources?.requests?.cpu ?? resources?.limits?.cpu;
  const memory = resources?.requests?.memory ?? resources?.limits?.memory;
  const missing = [cpu === undefined ? 'CPU' : undefined, memory === undefined ? 'memory' : undefined].filter(Boolean).join(' and ');
  return { cpu, memory, ...(missing ? { missing } : {}) };
}

/**
 * A `Prometheus` or `Alertmanager` as the StatefulSet the operator makes of it (`prometheus-<name>`,
 * `alertmanager-<name>`): `replicas` pods (× `shards` for Prometheus), each requesting the CR's
 * `resources` for its main container plus the config-reloader sidecar.
 */
function operatorWorkload(m: KubeObject, reloader: ReloaderRequests): { workload: Workload; unpriced: UnpricedObject[] } {
  const spec = (m.spec ?? {}) as { replicas?: number; shards?: number; resources?: Container['resources'] };
  const container = OPERATOR_KINDS[m.kind];
  const statefulSet = `${container}-${m.metadata.name}`;
  const namespace = m.metadata.namespace ?? 'default';
  const type = objectType(m);
  const name = `${namespace}/${statefulSet}`;
  const unpriced: UnpricedObject[] = [];
  const { cpu, memory, missing } = requestsOf(spec.resources);
  if (missing) {
    unpriced.push({
      type,
      name,
      component: `container ${container} ${missing}`,
      reason: `no ${missing} in the ${m.kind}'s resources: what it uses cannot be priced`,
    });
  }
  const vcpu = (cpu === undefined ? 0 : millicores(String(cpu))) + (reloader.cpu === undefined ? 0 : millicores(String(reloader.cpu)));
  const memoryBytes = (memory === undefined ? 0 : bytes(String(memory))) + (reloader.memory === undefined ? 0 : bytes(String(reloader.memory)));
  // The operator defaults replicas to 1 (and Prometheus' shards to 1); 0 replicas run no pod.
  const pods = (spec.replicas ?? 1) * (m.kind === 'Prometheus' ? (spec.shards ?? 1) : 1);
  const sidecar = `+ the config-reloader sidecar's ${reloader.cpu ?? 0} CPU, ${reloader.memory ?? 0} memory (${reloader.from})`;
  return {
    workload: {
      type,
      name,
      namespace,
      vcpu: vcpu / 1000,
      memoryGib: memoryBytes / 2 ** 30,
      replicas: { min: pods, max: pods },
      autoscaled: false,
      note: `StatefulSet ${statefulSet} made by the Prometheus operator: the ${m.kind}'s resources ${sidecar}`,
    },
    unpriced,
  };
}

interface ReloaderRequests {
  cpu?: Quantity;
  memory?: Quantity;
  /** Where the numbers come from, for the line's note. */
  from: string;
}

/** The operator's config-reloader requests: its flags when its Deployment is among the objects, else its defaults. */
function configReloaderRequests(manifests: KubeObject[]): ReloaderRequests {
  const requests: ReloaderRequests = { ...CONFIG_RELOADER_DEFAULTS, from: "the operator's default" };
  const operator = manifests
    .filter((m) => m.kind === 'Deployment' && m.apiVersion.startsWith('apps/'))
    .flatMap((m) => (m.spec as { template?: { spec?: { containers?: Array<{ name?: string; args?: string[] }> } } }).template?.spec?.containers ?? [])
    .find((c) => c.name === 'prometheus-operator');
  for (const arg of operator?.args ?? []) {
    const eq = arg.indexOf('=');
    const flag = arg.slice(0, eq);
    const value = arg.slice(eq + 1);
    const field = flag === '--config-reloader-cpu-request' ? 'cpu' : flag === '--config-reloader-memory-request' ? 'memory' : undefined;
    if (eq < 0 || !field) continue;
    requests[field] = value === '0' ? undefined : value;
    requests.from = "the operator's flags";
  }
  return requests;
}
