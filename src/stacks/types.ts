/**
 * What the stack catalog produces and both engines consume. Stacks are pure: config in, these out.
 */
import type { Engine, Region } from '../config/schema.js';
import type { DesiredObject, SourcePath } from '../objects/model.js';
import type { HardeningOptions } from './hardening.js';

export const LAYERS = ['cluster', 'mesh', 'observability', 'tenant', 'app'] as const;
export type Layer = (typeof LAYERS)[number];

/** Cloud-level intents of a `cluster` stack, rendered per cloud × engine in src/clouds. */
export type CloudIntent = (
  | { kind: 'network'; name: string; cidr: string; zones: number }
  | {
      kind: 'cluster';
      name: string;
      version: string;
      pools: Array<{ name: string; role: 'system' | 'workload'; min: number; max: number; machine: string }>;
      /** Networks allowed to reach the API endpoint from outside; none = a private endpoint only. */
      publicAccessCidrs: string[];
    }
  | {
      kind: 'backupBucket';
      name: string;
      versioning: true;
      encryption: true;
      replicateTo?: { region: string; location: string; cloud: Exclude<Region['cloud'], 'local'>; bucket: string };
    }
  | { kind: 'backupIdentity'; name: string; bucket: string; namespace: string; serviceAccount: string }
  | { kind: 'dnsFailover'; host: string; role: 'primary' | 'secondary'; healthCheckPath: string }
) & {
  /** The config entry it comes from (the policy gate names its file:line); the stack's entry when absent. */
  source?: SourcePath;
};

/**
 * A control-plane install the stack needs, rendered from the project's own artefacts (src/toolchain/
 * installs.ts: Helm charts, the operator's bundle, Velero's install code) once per version and values,
 * then applied as ordinary objects of the stack, ahead of its own (src/engines/crds.ts).
 */
export type InstallSpec = InstallSource & {
  /** The hardened defaults filled into the rendered workloads (src/stacks/hardening.ts). */
  hardening: HardeningOptions;
  /** The config entry that asks for it (the policy gate names its file:line); the stack's entry when absent. */
  configSource?: SourcePath;
};

export type InstallSource =
  | {
      kind: 'helm-chart';
      source: 'istio-charts';
      /** Chart folder inside the source, e.g. `manifests/charts/gateway`. */
      chart: string;
      release: string;
      namespace: string;
      values: Record<string, unknown>;
      /** Rendered kinds left out, with the reason (e.g. webhooks nobody serves on the local plane). */
      omitKinds?: { kinds: string[]; why: string };
    }
  | { kind: 'prometheus-operator-bundle'; namespace: string; image: string }
  | { kind: 'velero'; options: VeleroInstallOptions };

/** How reports name an install: the Helm release (`istiod`, `istio-ingressgateway`), `prometheus-operator`, `velero`. */
export function installName(spec: InstallSource): string {
  switch (spec.kind) {
    case 'helm-chart':
      return spec.release;
    case 'prometheus-operator-bundle':
      return 'prometheus-operator';
    case 'velero':
      return 'velero';
  }
}

/** The options of `velero install` we set (the rest are Velero's defaults). */
export interface VeleroInstallOptions {
  namespace: string;
  image: string;
  provider: string;
  plugins: string[];
  useNodeAgent: boolean;
  serviceAccountAnnotations?: Record<string, string>;
  veleroPodResources: { requests: Record<string, string>; limits: Record<string, string> };
  nodeAgentPodResources: { requests: Record<string, string>; limits: Record<string, string> };
  uploaderType: 'kopia';
}

export interface StackInstance {
  /** `<layer>/<region>[/<tenant>[/<service>]]` (docs/config.md "Stack IDs"). */
  id: string;
  layer: Layer;
  engine: Engine;
  region: Region;
  tenant?: string;
  service?: string;
  /** The project (config `name`), as in the ownership labels. */
  project: string;
  /** IDs of stacks that must be applied first (and destroyed after). */
  dependsOn: string[];
  /** The config entry the stack comes from (its service, tenant or region, the mesh or observability block). */
  source: SourcePath;
  /** Ordered for apply: CRDs and namespaces before what lives in them. Each has its `source`. */
  objects: DesiredObject[];
  cloud: CloudIntent[];
  /** Control-plane installs applied before `objects` (rendered outside the pure catalog, cached). */
  installs: InstallSpec[];
  /** `platform.dev/stack` label value: the ID with `/` replaced by `.`. */
  label: string;
}

export const PROJECT_LABEL = 'platform.dev/project';
export const STACK_LABEL = 'platform.dev/stack';
export const stackLabelValue = (id: string): string => id.replaceAll('/', '.');
