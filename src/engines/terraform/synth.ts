/**
 * Terraform synthesis: one Terraform JSON file per StackInstance under `<outDir>/<stack id>/`.
 *
 * Kubernetes objects become `kubectl_manifest` resources of gavinbunney/kubectl 1.19.0 (server-side
 * apply), one provider alias per region context, CRDs first with CRs and namespaced objects `depends_on`
 * what they need. Everything of a stack except its cloud resources and its cluster-state read is built
 * here once, as plain blocks (`TerraformParts`). A stack that needs nothing more — `needsCdktf` is false:
 * its region is reached through a kubeconfig file and it has no cloud resources — is written directly
 * from those blocks; the others go through CDKTF (cdktf.ts, loaded only then: loading `cdktf` alone
 * costs about a second). Both write the same bytes for the same blocks: the direct document carries
 * CDKTF's `//` metadata too, and test/engines/terraform/direct.test.ts compares the two byte for byte.
 *
 * Files are written with sorted keys (deterministic output), and only when their content changed, so
 * `tofu` sees stable files.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { cloudOf } from '../../clouds/common.js';
import { regionAccess, type RegionAccess } from '../../kube/access.js';
import { stateKey, type StateLocation } from '../../state/location.js';
import { terraformStateKey } from './state.js';
import { providerWaitsForNamespaces } from './namespaces.js';
import { UsageError } from '../../errors.js';
import type { StackInstance } from '../../stacks/types.js';
import { controlPlaneFor } from '../crds.js';
import type { SynthResource } from '../types.js';
import { isNamespace, objectName, objectType } from '../../objects/identity.js';
import type { DesiredObject, KubeObject } from '../../objects/model.js';
import { withApplyDependencies } from '../../objects/order.js';
import { isSecretObject } from '../../objects/secrets.js';

export const KUBECTL_PROVIDER_SOURCE = 'gavinbunney/kubectl';
export const KUBECTL_PROVIDER_VERSION = '1.19.0';
/** The synthesized file inside each stack's work dir. */
export const MAIN_FILE = 'main.tf.json';

export interface SynthOptions {
  projectDir: string;
  /** The project's name (platform.yaml `name`). */
  project: string;
  /** The state location (resolved `state:`). */
  state: StateLocation;
  /** Force server-side-apply field conflicts (`--force`). */
  force?: boolean;
  /** CRDs and rendered installs per stack (default controlPlaneFor, which needs the toolchain's cache). */
  controlPlaneFor?: (stack: StackInstance) => KubeObject[];
  /**
   * A plan on a fresh estate: the cloud region's cluster stack has no state yet, so the remote-state read
   * is deferred to apply (its outputs unknown) and every object plans as to be created.
   */
  clusterPending?: boolean;
  /** Tests only: write every stack through CDKTF, also those written directly, to compare the two. */
  allThroughCdktf?: boolean;
}

/** The data source a cloud region's Kubernetes stack reads its cluster stack's state with. */
export const CLUSTER_STATE = 'cluster';
/** Settings of the remote-state read that come from the environment (the backend's `-backend-config`). */
export const BACKEND_CONFIG_VARIABLE = 'state_backend_config';

/** One Kubernetes object as a Terraform resource, and how the --json document names it. */
export interface SynthObject extends SynthResource {
  /** Terraform address, e.g. `kubectl_manifest.deployment_payments_checkout`. */
  address: string;
  /** A Secret whose data comes (partly) from secretEnv: its values are never reported. */
  secret: boolean;
}

/** A `sensitive` Terraform variable holding one secretEnv value; fed via `TF_VAR_<name>` at run time. */
export interface SecretVariable {
  name: string;
  object: DesiredObject;
  key: string;
}

export interface SynthStack {
  /** Absolute path of the synthesized Terraform JSON. */
  file: string;
  /** Engine-neutral identities (`apps/v1:Deployment`, `payments/checkout`), the same the Pulumi engine reports. */
  resources: SynthResource[];
  objects: SynthObject[];
  secretVariables: SecretVariable[];
  /** It reads its cluster stack's state (a cloud region's Kubernetes stack): the backend settings variable applies. */
  readsClusterState: boolean;
}

/** The attributes of a `kubectl_manifest` that CDKTF resolves (the rest: `ManifestResource.late`). */
export interface KubectlManifestArgs {
  server_side_apply: true;
  force_conflicts: boolean;
  wait_for_rollout: boolean;
  wait?: true;
  sensitive_fields?: string[];
}

/** One `kubectl_manifest` resource. */
export interface ManifestResource {
  name: string;
  args: KubectlManifestArgs;
  /**
   * Added to the CDKTF document after its token resolution, which rewrites `${`/`$${` inside literal
   * strings (and would scan every byte of large CRDs for tokens): the body is already an escaped Terraform
   * template; `provider` and `depends_on` as constructs would cost a token with a stack trace each.
   */
  late: { yaml_body: string; provider: string; depends_on?: string[] };
}

/** The `provider.kubectl` block. Without a kubeconfig file, cdktf.ts configures it from the cluster (its attributes or its stack's state). */
export interface KubectlProviderBlock {
  alias: string;
  config_path?: string;
  config_context?: string;
  load_config_file: boolean;
  apply_retry_count: number;
}

/**
 * The `terraform.backend` block. `overrides`: attributes CDKTF's typed backend classes lacked, which the
 * CDKTF path has always set as overrides, so its `//` metadata lists them (`undefined` removes the
 * attribute); both paths keep that, so every file stays byte-identical to what earlier releases wrote.
 */
export interface BackendBlock {
  type: 'local' | 's3' | 'gcs' | 'azurerm';
  attributes: Record<string, string | boolean>;
  overrides: Record<string, unknown>;
}

export interface VariableBlock {
  name: string;
  block: { type: string; sensitive: boolean; nullable: boolean; description: string };
}

/** A stack's Terraform blocks that do not need CDKTF, built once for both ways of writing it. */
export interface TerraformParts {
  stack: StackInstance;
  workDir: string;
  access: RegionAccess;
  backend: BackendBlock;
  provider: KubectlProviderBlock;
  manifests: ManifestResource[];
  variables: VariableBlock[];
  objects: SynthObject[];
  secretVariables: SecretVariable[];
  /** It reads its cluster stack's state (cdktf.ts adds the read and configures the provider from it). */
  readsClusterState: boolean;
}

/**
 * The one rule for which stacks go through CDKTF: those with cloud resources (src/clouds renders them as
 * CDKTF constructs) and those whose region has no kubeconfig file (the provider is configured from the
 * cluster: its own attributes or its stack's state).
 */
export function needsCdktf(parts: Pick<TerraformParts, 'stack' | 'access'>): boolean {
  return cloudOf(parts.stack) !== undefined || parts.access.via !== 'kubeconfig';
}

export async function synthTerraform(stacks: StackInstance[], outDir: string, options: SynthOptions): Promise<Map<string, SynthStack>> {
  const root = resolve(outDir);
  const projectDir = resolve(options.projectDir);
  const routed = stacks.map((stack) => {
    const access = regionAccess({ name: options.project }, stack.region, projectDir);
    return { stack, access, viaCdktf: options.allThroughCdktf === true || needsCdktf({ stack, access }) };
  });
  const cdktf = routed.some((r) => r.viaCdktf) ? (await import('./cdktf.js')).cdktfWriter(root) : undefined;
  const out = new Map<string, SynthStack>();
  // One stack at a time, built, written and let go: the bodies are tens of megabytes for a large estate.
  for (const { stack, access, viaCdktf } of routed) {
    const parts = terraformParts(stack, access, join(root, stack.id), projectDir, options);
    const doc = viaCdktf ? cdktf!.document(parts, projectDir, options) : directDocument(parts);
    const file = join(parts.workDir, MAIN_FILE);
    writeIfChanged(file, stableStringify(doc.json));
    // (cloud resources of a cluster stack are listed after its Kubernetes objects: src/clouds)
    const resources = [...parts.objects.map(({ type, name }) => ({ type, name })), ...doc.cloudResources];
    out.set(stack.id, { file, resources, objects: parts.objects, secretVariables: parts.secretVariables, readsClusterState: parts.readsClusterState });
  }
  return out;
}

/** A stack's document and the cloud resources in it (src/clouds `terraformCloudResources`). */
export interface TerraformDocument {
  json: Record<string, unknown>;
  cloudResources: SynthResource[];
}

function terraformParts(stack: StackInstance, access: RegionAccess, workDir: string, projectDir: string, options: SynthOptions): TerraformParts {
  const provider: KubectlProviderBlock =
    access.via === 'kubeconfig'
      ? {
          alias: stack.region.name,
          // Inside the project: relative to the work dir, so the JSON does not depend on where the repo lives.
          config_path: portablePath(access.access.kubeconfig, workDir, projectDir),
          config_context: access.access.context,
          load_config_file: true,
          // A CR right after its CRD can race the API server's discovery; a few retries absorb that.
          apply_retry_count: 3,
        }
      : { alias: stack.region.name, load_config_file: false, apply_retry_count: 3 };

  const crds = (options.controlPlaneFor ?? controlPlaneFor)(stack).map((manifest): DesiredObject => ({ manifest }));
  const names = new Set<string>();
  const addressOf = new Map<string, string>(); // logical name → Terraform address
  const manifests: ManifestResource[] = [];
  const variables: VariableBlock[] = [];
  const objects: SynthObject[] = [];
  const secretVariables: SecretVariable[] = [];

  for (const { object: desired, name: logical, dependsOn } of withApplyDependencies([...crds, ...stack.objects])) {
    const m = desired.manifest;
    const tfName = uniqueName(resourceName(m), m, names);
    const address = `kubectl_manifest.${tfName}`;
    addressOf.set(logical, address);

    const secretKeys = Object.keys(desired.secretEnv ?? {}).sort();
    const secretData: Record<string, string> = {};
    for (const key of secretKeys) {
      const variable = `secret_${tfName}_${key}`.replace(/[^A-Za-z0-9_-]/g, '_');
      variables.push({ name: variable, block: { type: 'string', sensitive: true, nullable: false, description: `secretEnv ${key} of ${objectName(m)}` } });
      secretVariables.push({ name: variable, object: desired, key });
      // A template reference: the synthesized JSON never holds the value, only `var.<name>`.
      secretData[key] = `\${base64encode(var.${variable})}`;
    }
    // The body: JSON with sorted keys, as a Terraform template literal (secretEnv references are templates).
    const escaped = escapeTemplates(m) as KubeObject;
    const yamlBody = secretKeys.length
      ? stableStringify({ ...escaped, data: { ...(escaped.data as Record<string, string> | undefined), ...secretData } }, false)
      : JSON.stringify(escaped);
    const secret = isSecretObject(m);
    const args: KubectlManifestArgs = {
      server_side_apply: true,
      force_conflicts: options.force === true,
      // Measured: waiting for rollout costs little on the local plane and makes "applied" mean Available.
      wait_for_rollout: m.kind === 'Deployment',
      // Destroy means gone: a deleted Namespace is waited for until NotFound. The engine does it after
      // the run, polling every 0.5 s (namespaces.ts); the provider's `wait` polls every 10 s and is kept
      // only where the cluster goes in the same run (providerWaitsForNamespaces).
      ...(isNamespace(m) && providerWaitsForNamespaces(access, stack.id) ? { wait: true as const } : {}),
      ...(secret ? { sensitive_fields: ['data', 'stringData'] } : {}),
    };
    const depends = dependsOn.map((d) => addressOf.get(d)!);
    manifests.push({
      name: tfName,
      args,
      late: { yaml_body: yamlBody, provider: `kubectl.${stack.region.name}`, ...(depends.length ? { depends_on: depends } : {}) },
    });
    objects.push({ address, type: objectType(m), name: objectName(m), secret: secret && secretKeys.length > 0 });
  }
  return {
    stack,
    workDir,
    access,
    backend: backendBlock(stack.id, workDir, projectDir, options.state),
    provider,
    manifests,
    variables,
    objects,
    secretVariables,
    // The region's other stacks reach the cluster through the cluster stack's kubeconfig output, in its state.
    readsClusterState: access.via === 'cluster-output' && access.clusterStack !== stack.id,
  };
}

/**
 * The document CDKTF writes for the same parts, without CDKTF: its `//` metadata (stack name, backend,
 * overrides, CDKTF's version; per resource its construct path) included.
 */
function directDocument(parts: TerraformParts): TerraformDocument {
  const { stack, backend } = parts;
  const overridden = Object.keys(backend.overrides);
  const json: Record<string, unknown> = {
    '//': {
      metadata: {
        backend: backend.type,
        ...(overridden.length ? { overrides: { backend: overridden } } : {}),
        stackName: stack.label,
        version: cdktfVersion(),
      },
      outputs: {},
    },
    terraform: {
      backend: { [backend.type]: { ...backend.attributes, ...backend.overrides } },
      required_providers: { kubectl: { source: KUBECTL_PROVIDER_SOURCE, version: KUBECTL_PROVIDER_VERSION } },
    },
    provider: { kubectl: [parts.provider] },
  };
  if (parts.manifests.length) {
    const resources: Record<string, unknown> = {};
    for (const { name, args, late } of parts.manifests) {
      resources[name] = { '//': { metadata: { path: `${stack.label}/${name}`, uniqueId: name } }, ...args, ...late };
    }
    json.resource = { kubectl_manifest: resources };
  }
  if (parts.variables.length) json.variable = Object.fromEntries(parts.variables.map((v) => [v.name, v.block]));
  return { json, cloudResources: [] };
}

let installedCdktfVersion: string | undefined;
/** The installed cdktf's version, which CDKTF writes into every document (read from its package.json, without loading it). */
function cdktfVersion(): string {
  installedCdktfVersion ??= (createRequire(import.meta.url)('cdktf/package.json') as { version: string }).version;
  return installedCdktfVersion;
}

/** The state location as a Terraform backend (the keys terraformStateKey names). */
export function backendBlock(stackId: string, workDir: string, projectDir: string, state: StateLocation): BackendBlock {
  const key = stateKey(state, terraformStateKey(state, stackId));
  switch (state.scheme) {
    case 'file':
      return { type: 'local', attributes: { path: portablePath(join(state.dir!, key), workDir, projectDir) }, overrides: {} };
    case 's3':
      // Region, credentials and an S3-compatible endpoint come from the environment (AWS_REGION,
      // profiles, AWS_ENDPOINT_URL_S3: the engine adds -backend-config at init); S3-native locking.
      return { type: 's3', attributes: { bucket: state.bucket!, key, encrypt: true }, overrides: { use_lockfile: true } };
    case 'gs':
      return { type: 'gcs', attributes: { bucket: state.bucket!, prefix: key.slice(0, -'/default.tfstate'.length) }, overrides: {} };
    case 'azblob':
      // The storage account and its key come from the environment (the engine adds -backend-config at
      // init): the synthesized file names only the container and the key.
      return { type: 'azurerm', attributes: { container_name: state.bucket!, key }, overrides: { storage_account_name: undefined } };
  }
}

/** Terraform resource names: letters, digits, `_` and `-`, starting with a letter or `_`. */
function resourceName(m: KubeObject): string {
  const raw = [m.kind.toLowerCase(), m.metadata.namespace, m.metadata.name].filter(Boolean).join('_');
  return raw.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** Same kind/namespace/name in two API groups (rare): disambiguate with a hash of the apiVersion. */
function uniqueName(base: string, m: KubeObject, taken: Set<string>): string {
  let name = base;
  if (taken.has(name)) name = `${base}_${createHash('sha256').update(objectType(m)).digest('hex').slice(0, 8)}`;
  if (taken.has(name)) throw new UsageError(`stack declares ${objectType(m)} ${objectName(m)} twice`);
  taken.add(name);
  return name;
}

/**
 * Terraform JSON string values are templates: literal `${` and `%{` must be doubled. The copy has its keys
 * sorted too (`stableStringify`'s order, in the same pass: bodies are most of the bytes synth writes).
 */
export function escapeTemplates(value: unknown): unknown {
  return sortedCopy(value, escapeTemplateString);
}
const escapeTemplateString = (s: string): string =>
  // (replacement functions: in a replacement string `$$` would mean one literal `$`)
  TEMPLATE_START.test(s) ? s.replaceAll('${', () => '$${').replaceAll('%{', () => '%%{') : s;
const TEMPLATE_START = /[$%]\{/;

export function portablePath(file: string, workDir: string, projectDir: string): string {
  const abs = resolve(file);
  const insideProject = !relative(projectDir, abs).startsWith('..') && !isAbsolute(relative(projectDir, abs));
  return insideProject ? relative(workDir, abs) : abs;
}

/** JSON with object keys sorted at every level: byte-identical output for identical input. */
export function stableStringify(value: unknown, pretty = true): string {
  const sorted = sortedCopy(value);
  return pretty ? `${JSON.stringify(sorted, null, 2)}\n` : JSON.stringify(sorted);
}

/** A copy with object keys sorted at every level and undefined members dropped; `leaf` maps each string. */
function sortedCopy(value: unknown, leaf: (s: string) => string = (s) => s): unknown {
  if (typeof value === 'string') return leaf(value);
  if (Array.isArray(value)) return value.map((v) => sortedCopy(v, leaf));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortedCopy(v, leaf);
    }
    return out;
  }
  return value;
}

function writeIfChanged(file: string, content: string): void {
  try {
    if (readFileSync(file, 'utf8') === content) return;
  } catch {
    // not written yet
  }
  mkdirSync(dirname(file), { recursive: true });
  // Atomic replace: a concurrent run reading the file never sees half of it.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}
