/**
 * The pinned toolchain: every engine and control-plane binary, the CRD bundles and the Go modules they
 * come from, in one table. The npm packages that must move in lockstep are named beside them
 * (`@pulumi/pulumi` must equal the pulumi CLI: the Automation API talks to that CLI).
 */

export const TOOL_NAMES = [
  'etcd',
  'kwok',
  'kwokctl',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kubectl',
  'tofu',
  'terraform-provider-kubectl',
  'pulumi',
  'promtool',
  'opa',
] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

export const KUBERNETES_VERSION = 'v1.34.2';
/** The staging modules (k8s.io/api, client-go, ...) released with KUBERNETES_VERSION. */
export const KUBERNETES_STAGING_VERSION = 'v0.34.2';
export const KWOK_VERSION = 'v0.8.0';
export const ETCD_VERSION = 'v3.6.14';
export const TOFU_VERSION = 'v1.12.6';
export const KUBECTL_PROVIDER_VERSION = 'v1.19.0';
/** Must equal the `@pulumi/pulumi` npm version in package.json. */
export const PULUMI_VERSION = 'v3.250.0';
/** Prometheus 3.x publishes its Go module as v0.3XX.Y for release 3.XX.Y. */
export const PROMETHEUS_MODULE_VERSION = 'v0.315.0';
export const PROMETHEUS_VERSION = '3.15.0';
/** Open Policy Agent: evaluates the policy pack (src/policy). */
export const OPA_VERSION = 'v1.22.3';

/** The version each tool is pinned at (what `<tool> --version` reports, normalized to `vX.Y.Z`). */
export const TOOL_VERSIONS: Record<ToolName, string> = {
  etcd: ETCD_VERSION,
  kwok: KWOK_VERSION,
  kwokctl: KWOK_VERSION,
  'kube-apiserver': KUBERNETES_VERSION,
  'kube-controller-manager': KUBERNETES_VERSION,
  'kube-scheduler': KUBERNETES_VERSION,
  kubectl: KUBERNETES_VERSION,
  tofu: TOFU_VERSION,
  'terraform-provider-kubectl': KUBECTL_PROVIDER_VERSION,
  pulumi: PULUMI_VERSION,
  promtool: `v${PROMETHEUS_VERSION}`,
  opa: OPA_VERSION,
};

/** npm packages pinned to match a tool (checked by a unit test against package.json). */
export const MATCHING_NPM_VERSIONS = { '@pulumi/pulumi': PULUMI_VERSION.slice(1) } as const;

/** The OpenTofu provider served from our filesystem mirror (nothing else is reachable offline). */
export const KUBECTL_PROVIDER = {
  hostname: 'registry.opentofu.org',
  namespace: 'gavinbunney',
  type: 'kubectl',
  version: KUBECTL_PROVIDER_VERSION.slice(1),
} as const;

export const CRD_BUNDLE_NAMES = ['istio', 'prometheus-operator', 'velero'] as const;
export type CrdBundle = (typeof CRD_BUNDLE_NAMES)[number];

export interface CrdBundleSource {
  module: string;
  version: string;
  /** Files inside the module, relative to its root; a trailing `*.yaml` takes every YAML file of that folder. */
  files: string[];
}

/** CRDs with their real schemas, taken from the projects' own Go modules (data, nothing is built). */
export const CRD_BUNDLES: Record<CrdBundle, CrdBundleSource> = {
  istio: { module: 'istio.io/api', version: 'v1.31.1', files: ['kubernetes/customresourcedefinitions.gen.yaml'] },
  'prometheus-operator': {
    module: 'github.com/prometheus-operator/prometheus-operator',
    version: 'v0.85.0',
    files: ['example/prometheus-operator-crd/*.yaml'],
  },
  velero: { module: 'github.com/vmware-tanzu/velero', version: 'v1.18.3', files: ['config/crd/v1/bases/*.yaml'] },
};

/** The Pulumi shell shim for dynamic providers, shipped inside the Go SDK module. */
export const PULUMI_NODEJS_SHIM = {
  module: 'github.com/pulumi/pulumi/sdk/v3',
  version: PULUMI_VERSION,
  dir: 'nodejs/dist',
} as const;
