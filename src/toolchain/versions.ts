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
  'actionlint',
  'helm',
  'velero-manifests',
  'prometheus-operator',
  'fake-gcs-server',
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
/** Lints the GitHub Actions workflows in examples/ci (a test runs it; users can run it on theirs). */
export const ACTIONLINT_VERSION = 'v1.7.12';
/** The GCS emulator the state tests run against (Go module proxy). */
export const FAKE_GCS_SERVER_VERSION = 'v1.56.1';

/** Renders Istio's charts at synth time (`helm template`: no cluster, no release objects). */
export const HELM_VERSION = 'v3.22.0';
/** Velero's own install code (pkg/install, what `velero install --dry-run` prints), see recipes.ts. */
export const VELERO_VERSION = 'v1.18.3';
/**
 * prometheus-operator: its bundle (the Deployment the observability stack installs), its CRDs, and the
 * operator the local plane runs on the host (kwok runs no containers) are all this one release.
 */
export const PROMETHEUS_OPERATOR_VERSION = 'v0.85.0';

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
  actionlint: ACTIONLINT_VERSION,
  helm: HELM_VERSION,
  'velero-manifests': VELERO_VERSION,
  'prometheus-operator': PROMETHEUS_OPERATOR_VERSION,
  'fake-gcs-server': FAKE_GCS_SERVER_VERSION,
};

/**
 * The S3 server the state tests run against: moto's server in a venv under the cache. Chosen over
 * versitygw because both engines' S3 backends were tried against it (conditional writes: HTTP 412),
 * it keeps objects in memory (a fresh, empty server per test file) and installs in ~30 s from PyPI
 * without compiling. Only the S3 service and the server's web layer, every package pinned.
 */
export const MOTO_VERSION = '5.2.5';
export const MOTO_REQUIREMENTS = [
  `moto[s3]==${MOTO_VERSION}`,
  'flask==3.1.3',
  'flask-cors==6.0.5',
  'werkzeug==3.1.9',
  'boto3==1.44.8',
  'botocore==1.44.8',
  's3transfer==0.19.3',
  'cryptography==50.0.2',
  'cffi==2.1.1',
  'pycparser==3.12',
  'jinja2==3.1.6',
  'markupsafe==3.0.4',
  'itsdangerous==2.2.0',
  'blinker==1.9.0',
  'click==8.5.1',
  'requests==2.34.2',
  'urllib3==2.8.0',
  'idna==3.20',
  'certifi==2026.10.19.post1',
  'charset-normalizer==3.5.3',
  'responses==0.26.3',
  'xmltodict==1.0.4',
  'python-dateutil==2.9.0.post0',
  'six==1.17.0',
  'jmespath==1.1.0',
  'pyyaml==6.0.4',
  'py-partiql-parser==0.6.3',
] as const;

/** The Azure Blob emulator the state tests run against (npm, installed under the cache, not a dependency). */
export const AZURITE_VERSION = '3.37.0';

/**
 * Which versions of a tool already on PATH we use instead of building the pin: `min` inclusive,
 * `below` exclusive, and why that range is compatible. Release candidates and other pre-releases are
 * never taken. `kubectl` is relative to the API server it talks to (Kubernetes' skew policy); the
 * provider plugin has no version flag, so a PATH copy cannot be checked and it always comes from the
 * cache. The integration suite runs the pins; test/toolchain/ranges.test.ts checks the range logic.
 */
export interface AcceptedRange {
  min: string;
  below: string;
  why: string;
}

export const ACCEPTED_RANGES: Record<Exclude<ToolName, 'kubectl'>, AcceptedRange | null> = {
  etcd: { min: 'v3.5.0', below: 'v3.7.0', why: 'Kubernetes 1.34 supports etcd 3.5 and 3.6; the local plane uses only flags both have' },
  kwok: { min: 'v0.8.0', below: 'v0.9.0', why: 'kwok is pre-1.0: its flags and config API change between minors, patches are fixes' },
  kwokctl: { min: 'v0.8.0', below: 'v0.9.0', why: 'kwokctl is pre-1.0: its flags and config API change between minors, patches are fixes' },
  'kube-apiserver': {
    min: 'v1.34.0',
    below: 'v1.35.0',
    why: 'stacks target Kubernetes 1.34 (served APIs, CRD validation); flags and feature gates change per minor',
  },
  'kube-controller-manager': { min: 'v1.34.0', below: 'v1.35.0', why: 'the same minor as the API server (never newer, per the Kubernetes skew policy)' },
  'kube-scheduler': { min: 'v1.34.0', below: 'v1.35.0', why: 'the same minor as the API server (never newer, per the Kubernetes skew policy)' },
  tofu: {
    min: 'v1.10.0',
    below: 'v2.0.0',
    why: 'state and plan encryption (1.7+), the JSON plan and show formats and provider mirrors we use are stable across OpenTofu 1.10–1.x',
  },
  'terraform-provider-kubectl': null,
  pulumi: {
    min: PULUMI_VERSION,
    below: 'v4.0.0',
    why: '@pulumi/pulumi (the Automation API) needs a CLI at least as new as itself; Pulumi keeps the CLI compatible within major 3',
  },
  promtool: { min: 'v3.0.0', below: 'v4.0.0', why: 'rules are checked with Prometheus 3 semantics; promtool check/test rules is stable within a major' },
  // A test server for the state tests: always the cached build (no version flag checked).
  'fake-gcs-server': null,
  opa: {
    min: 'v1.0.0',
    below: 'v2.0.0',
    why: 'the pack is Rego v1 (the default syntax since OPA 1.0) and uses only built-ins older than 1.0; opa eval/test flags are stable within a major',
  },
  actionlint: {
    min: ACTIONLINT_VERSION,
    below: 'v1.8.0',
    why: 'the examples are linted with 1.7.12; a newer minor may add checks they were not written against',
  },
  helm: {
    min: 'v3.18.0',
    below: 'v4.0.0',
    why: 'Istio 1.31 charts need Helm ≥ 3.18 (Chart API v2, `toYaml` semantics); `helm template` output is stable within major 3',
  },
  // Ours (a tiny wrapper over Velero's pkg/install), never on PATH: always the cached build.
  'velero-manifests': null,
  'prometheus-operator': {
    min: PROMETHEUS_OPERATOR_VERSION,
    below: 'v0.86.0',
    why: 'the local plane runs it against the CRDs of the pinned v0.85 bundle; the operator is pre-1.0 and its CRD fields change per minor',
  },
};

/** kubectl: within one minor of the API server (Kubernetes' kubectl version skew policy). */
export function kubectlRange(apiServerVersion: string): AcceptedRange {
  const [major, minor] = apiServerVersion.replace(/^v/, '').split('.').map(Number);
  return {
    min: `v${major}.${minor - 1}.0`,
    below: `v${major}.${minor + 2}.0`,
    why: `within one minor of the API server (v${major}.${minor}), per the Kubernetes kubectl skew policy`,
  };
}

/** npm packages pinned to match a tool (checked by a unit test against package.json). */
export const MATCHING_NPM_VERSIONS = { '@pulumi/pulumi': PULUMI_VERSION.slice(1) } as const;

/** The OpenTofu provider served from our filesystem mirror (nothing else is reachable offline). */
export const KUBECTL_PROVIDER = {
  hostname: 'registry.opentofu.org',
  namespace: 'gavinbunney',
  type: 'kubectl',
  version: KUBECTL_PROVIDER_VERSION.slice(1),
} as const;

/**
 * What the control-plane installs are rendered from: the projects' own artefacts in their Go modules
 * (data, copied into the cache by `platform toolchain install`).
 * - Istio's Helm charts: `istio.io/istio` is served by the proxy only as pseudo-versions. None matches
 *   the istio.io/api v1.31.1 we pin for the CRDs; v0.0.0-20260827124520-eed52ebb66ad is the newest one
 *   served and the release-1.31 line (its go.mod requires istio.io/api v1.31.0-rc, the CRDs of 1.31.1
 *   are a superset), so its charts render the 1.31 control plane, and the images are the 1.31.1 release.
 * - prometheus-operator's `bundle.yaml` (operator Deployment + RBAC; its CRDs come from the CRD bundle).
 */
export const INSTALL_SOURCE_NAMES = ['istio-charts', 'prometheus-operator-bundle'] as const;
export type InstallSource = (typeof INSTALL_SOURCE_NAMES)[number];

/** A pinned Go module whose files (not binaries) the toolchain caches. */
export interface ModuleSource {
  module: string;
  version: string;
}

export interface InstallSourceSpec extends ModuleSource {
  /** Paths inside the module (files or folders, copied recursively) kept under the same relative path. */
  paths: string[];
}

export const INSTALL_SOURCES: Record<InstallSource, InstallSourceSpec> = {
  'istio-charts': {
    module: 'istio.io/istio',
    version: 'v0.0.0-20260827124520-eed52ebb66ad',
    paths: ['manifests/charts/istio-control/istio-discovery', 'manifests/charts/gateway'],
  },
  'prometheus-operator-bundle': { module: 'github.com/prometheus-operator/prometheus-operator', version: PROMETHEUS_OPERATOR_VERSION, paths: ['bundle.yaml'] },
};

export const CRD_BUNDLE_NAMES = ['istio', 'prometheus-operator', 'velero'] as const;
export type CrdBundle = (typeof CRD_BUNDLE_NAMES)[number];

export interface CrdBundleSource extends ModuleSource {
  /** Files inside the module, relative to its root; a trailing `*.yaml` takes every YAML file of that folder. */
  files: string[];
}

/** CRDs with their real schemas, taken from the projects' own Go modules (data, nothing is built). */
export const CRD_BUNDLES: Record<CrdBundle, CrdBundleSource> = {
  istio: { module: 'istio.io/api', version: 'v1.31.1', files: ['kubernetes/customresourcedefinitions.gen.yaml'] },
  'prometheus-operator': {
    module: 'github.com/prometheus-operator/prometheus-operator',
    version: PROMETHEUS_OPERATOR_VERSION,
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
