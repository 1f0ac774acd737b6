/**
 * CDKTF synthesis: one TerraformStack per StackInstance → Terraform JSON under `<outDir>/<stack id>/`.
 *
 * Only the `cdktf` library builds the construct tree; we never use cdktf-cli. Kubernetes objects become
 * `kubectl_manifest` resources of gavinbunney/kubectl 1.19.0 (server-side apply), one provider alias per
 * region context, CRDs first with CRs and namespaced objects `depends_on` what they need.
 *
 * Speed: the bench synthesizes ~300 stacks in a few seconds, so all stacks share ONE App (created with
 * stack traces off: construct stack traces are the dominant cost) and we bypass `app.synth()` and its
 * manifest writer: each stack is prepared, turned into JSON with `toTerraform()` and written by us with
 * sorted keys (deterministic output, only rewritten when its content changed so `tofu` sees stable files).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import {
  App,
  AzurermBackend,
  GcsBackend,
  LocalBackend,
  S3Backend,
  TerraformProvider,
  TerraformResource,
  TerraformStack,
  TerraformVariable,
  type TerraformBackend,
} from 'cdktf';
import type { Construct } from 'constructs';
import { renderTerraformCloud, terraformCloudResources } from '../../clouds/index.js';
import { connectKubectl } from '../../clouds/terraform-shared.js';
import { regionAccess, type ClusterOutputAccess } from '../../kube/access.js';
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
}

/** The data source a cloud region's Kubernetes stack reads its cluster stack's state with. */
export const CLUSTER_STATE = 'cluster';
/** Settings of the remote-state read that come from the environment (the backend's `-backend-config`). */
export const BACKEND_CONFIG_VARIABLE = 'state_backend_config';
/** A resource that only exists in a plan on a fresh estate, to defer the remote-state read. */
const CLUSTER_PENDING = 'cluster_pending';

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

/**
 * Raw `TerraformResource` instead of generated bindings: we use exactly one resource type with six
 * attributes, generation would need cdktf-cli (archived, never a run-time dependency) and thousands of
 * generated lines for no type safety we do not already get from this small class.
 */
interface KubectlManifestArgs {
  server_side_apply: true;
  force_conflicts: boolean;
  wait_for_rollout: boolean;
  wait?: true;
  sensitive_fields?: string[];
}

class KubectlManifest extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    private readonly args: KubectlManifestArgs,
  ) {
    // `provider` and `depends_on` are added to the JSON after resolution (see synthTerraform): passing
    // constructs here makes CDKTF create a token with a full stack trace per reference (~30% of synth).
    super(scope, id, {
      terraformResourceType: 'kubectl_manifest',
      terraformGeneratorMetadata: { providerName: 'kubectl', providerVersion: KUBECTL_PROVIDER_VERSION },
    });
    this.overrideLogicalId(id);
  }
  protected override synthesizeAttributes(): Record<string, unknown> {
    return { ...this.args };
  }
}

class KubectlProvider extends TerraformProvider {
  constructor(
    scope: Construct,
    id: string,
    /** Without a file (a cloud region's own cluster): configured from the cluster stack's output instead. */
    private readonly args: { alias: string; config_path?: string; config_context?: string },
  ) {
    super(scope, id, {
      terraformResourceType: 'kubectl',
      terraformGeneratorMetadata: { providerName: 'kubectl', providerVersion: KUBECTL_PROVIDER_VERSION },
      terraformProviderSource: KUBECTL_PROVIDER_SOURCE,
    });
  }
  // TerraformProvider's alias accessor is a stub that generated bindings override; so do we.
  override get alias(): string | undefined {
    return this.args.alias;
  }
  override set alias(_value: string | undefined) {
    throw new Error('the kubectl provider alias is fixed at construction');
  }
  protected override synthesizeAttributes(): Record<string, unknown> {
    return {
      config_path: this.args.config_path,
      config_context: this.args.config_context,
      load_config_file: this.args.config_path !== undefined,
      // A CR right after its CRD can race the API server's discovery; a few retries absorb that.
      apply_retry_count: 3,
    };
  }
}

export function synthTerraform(stacks: StackInstance[], outDir: string, options: SynthOptions): Map<string, SynthStack> {
  const root = resolve(outDir);
  const projectDir = resolve(options.projectDir);
  mkdirSync(root, { recursive: true }); // App() insists that its outdir exists
  const app = new App({ outdir: root, stackTraces: false, skipValidation: true });
  const out = new Map<string, SynthStack>();
  for (const stack of stacks) {
    const workDir = join(root, stack.id);
    const built = buildStack(app, stack, workDir, projectDir, options);
    built.tf.prepareStack();
    const doc = built.tf.toTerraform() as { resource: { kubectl_manifest: Record<string, Record<string, unknown>> } };
    // Bodies (and references) go in after CDKTF's token resolution, which rewrites `${`/`$${` inside literal strings (and
    // would scan every byte of large CRDs for tokens); ours are already escaped Terraform templates.
    for (const [name, late] of built.late) {
      const resource = doc.resource.kubectl_manifest[name];
      resource.yaml_body = late.body;
      resource.provider = late.provider;
      if (late.dependsOn.length) resource.depends_on = late.dependsOn;
    }
    const json = stableStringify(doc);
    const file = join(workDir, MAIN_FILE);
    writeIfChanged(file, json);
    // (cloud resources of a cluster stack are listed after its Kubernetes objects: src/clouds)
    const resources = [...built.objects.map(({ type, name }) => ({ type, name })), ...terraformCloudResources(doc)];
    out.set(stack.id, { file, resources, objects: built.objects, secretVariables: built.secretVariables, readsClusterState: built.readsClusterState });
  }
  return out;
}

function buildStack(app: App, stack: StackInstance, workDir: string, projectDir: string, options: SynthOptions) {
  const tf = new TerraformStack(app, stack.label);
  renderBackend(tf, stack.id, workDir, projectDir, options.state);

  const access = regionAccess({ name: options.project }, stack.region, projectDir);
  const provider = new KubectlProvider(
    tf,
    `kubectl-${stack.region.name}`,
    access.via === 'kubeconfig'
      ? {
          alias: stack.region.name,
          // Inside the project: relative to the work dir, so the JSON does not depend on where the repo lives.
          config_path: portablePath(access.access.kubeconfig, workDir, projectDir),
          config_context: access.access.context,
        }
      : { alias: stack.region.name },
  );
  // A cluster stack on aws/gcp/azure: its network, cluster, bucket, identity and DNS (src/clouds); its
  // own objects go to the new cluster (the provider configured from the cluster's attributes).
  renderTerraformCloud(tf, stack, provider);
  // The region's other stacks: the cluster stack's kubeconfig output, through its state.
  const readsClusterState = access.via === 'cluster-output' && access.clusterStack !== stack.id;
  if (readsClusterState) readClusterState(tf, provider, stack, access, workDir, projectDir, options);

  const crds = (options.controlPlaneFor ?? controlPlaneFor)(stack).map((manifest): DesiredObject => ({ manifest }));
  const names = new Set<string>();
  const addressOf = new Map<string, string>(); // logical name → Terraform address
  const objects: SynthObject[] = [];
  const secretVariables: SecretVariable[] = [];
  const late = new Map<string, { body: string; provider: string; dependsOn: string[] }>();

  for (const { object: desired, name: logical, dependsOn } of withApplyDependencies([...crds, ...stack.objects])) {
    const m = desired.manifest;
    const tfName = uniqueName(resourceName(m), m, names);
    const address = `kubectl_manifest.${tfName}`;
    addressOf.set(logical, address);

    const secretKeys = Object.keys(desired.secretEnv ?? {}).sort();
    const body = escapeTemplates(m) as KubeObject;
    if (secretKeys.length > 0) {
      const data: Record<string, string> = { ...(body.data as Record<string, string> | undefined) };
      for (const key of secretKeys) {
        const variable = `secret_${tfName}_${key}`.replace(/[^A-Za-z0-9_-]/g, '_');
        new TerraformVariable(tf, variable, { type: 'string', sensitive: true, nullable: false, description: `secretEnv ${key} of ${objectName(m)}` });
        secretVariables.push({ name: variable, object: desired, key });
        // A template reference: the synthesized JSON never holds the value, only `var.<name>`.
        data[key] = `\${base64encode(var.${variable})}`;
      }
      body.data = data;
    }
    const secret = isSecretObject(m);
    new KubectlManifest(tf, tfName, {
      server_side_apply: true,
      force_conflicts: options.force === true,
      // Measured: waiting for rollout costs little on the local plane and makes "applied" mean Available.
      wait_for_rollout: m.kind === 'Deployment',
      // Destroy means gone: a deleted Namespace is waited for until NotFound. The engine does it after
      // the run, polling every 0.5 s (namespaces.ts); the provider's `wait` polls every 10 s and is kept
      // only where the cluster goes in the same run (providerWaitsForNamespaces).
      ...(isNamespace(m) && providerWaitsForNamespaces(access, stack.id) ? { wait: true as const } : {}),
      ...(secret ? { sensitive_fields: ['data', 'stringData'] } : {}),
    });
    late.set(tfName, { body: stableStringify(body, false), provider: `kubectl.${stack.region.name}`, dependsOn: dependsOn.map((d) => addressOf.get(d)!) });
    objects.push({ address, type: objectType(m), name: objectName(m), secret: secret && secretKeys.length > 0 });
  }
  return { tf, objects, secretVariables, late, readsClusterState };
}

/** The state location as a Terraform backend (the keys terraformStateKey names). */
function renderBackend(tf: TerraformStack, stackId: string, workDir: string, projectDir: string, state: StateLocation): TerraformBackend {
  const key = stateKey(state, terraformStateKey(state, stackId));
  switch (state.scheme) {
    case 'file':
      return new LocalBackend(tf, { path: portablePath(join(state.dir!, key), workDir, projectDir) });
    case 's3': {
      // Region, credentials and an S3-compatible endpoint come from the environment (AWS_REGION,
      // profiles, AWS_ENDPOINT_URL_S3: the engine adds -backend-config at init); S3-native locking.
      const backend = new S3Backend(tf, { bucket: state.bucket!, key, encrypt: true });
      backend.addOverride('use_lockfile', true);
      return backend;
    }
    case 'gs':
      return new GcsBackend(tf, { bucket: state.bucket!, prefix: key.slice(0, -'/default.tfstate'.length) });
    case 'azblob': {
      // The storage account and its key come from the environment (the engine adds -backend-config at
      // init): the synthesized file names only the container and the key.
      const backend = new AzurermBackend(tf, { containerName: state.bucket!, key, storageAccountName: '' });
      backend.addOverride('storage_account_name', undefined);
      return backend;
    }
  }
}

/**
 * `data.terraform_remote_state.cluster`: the cluster stack's state in the same backend (the key
 * `terraformStateKey` names), decrypted by OpenTofu with the project's key (encryption.ts), and the
 * kubectl provider configured from its sensitive `kubeconfig` output, decoded in memory: no file.
 * The output's kubeconfig names one cluster and one user (src/clouds: EKS/GKE authenticate with an
 * exec plugin, AKS with a client certificate).
 */
function readClusterState(
  tf: TerraformStack,
  kubectl: TerraformProvider,
  stack: StackInstance,
  access: ClusterOutputAccess,
  workDir: string,
  projectDir: string,
  options: SynthOptions,
): void {
  const remote = remoteStateConfig(access.clusterStack, workDir, projectDir, options.state);
  if (remote.fromEnvironment) {
    new TerraformVariable(tf, BACKEND_CONFIG_VARIABLE, {
      type: 'map(string)',
      default: {},
      description: 'backend settings from the environment (endpoint, storage account): the engine sets them, as for its own backend',
    });
  }
  const literal = `{ ${Object.entries(remote.config)
    .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
    .join(', ')} }`;
  const config = remote.fromEnvironment ? `\${merge(${literal}, var.${BACKEND_CONFIG_VARIABLE})}` : remote.config;
  tf.addOverride(`data.terraform_remote_state.${CLUSTER_STATE}`, {
    backend: remote.backend,
    config,
    // A fresh estate's plan: read at apply time (unknown now), once the cluster stack has created its state.
    ...(options.clusterPending ? { depends_on: [`terraform_data.${CLUSTER_PENDING}`] } : {}),
  });
  if (options.clusterPending) tf.addOverride(`resource.terraform_data.${CLUSTER_PENDING}`, { input: access.clusterStack });
  const kubeconfig = `yamldecode(data.terraform_remote_state.${CLUSTER_STATE}.outputs.${access.output})`;
  const cluster = `${kubeconfig}.clusters[0].cluster`;
  const user = `${kubeconfig}.users[0].user`;
  connectKubectl(kubectl, {
    host: `\${${cluster}.server}`,
    caCertificate: `\${${cluster}["certificate-authority-data"]}`,
    ...(stack.region.cloud === 'azure'
      ? { clientCertificate: `\${${user}["client-certificate-data"]}`, clientKey: `\${${user}["client-key-data"]}` }
      : { exec: { apiVersion: `\${${user}.exec.apiVersion}`, command: `\${${user}.exec.command}`, args: `\${${user}.exec.args}` } }),
  });
}

/** The state of another stack as a `terraform_remote_state` backend and config (as `renderBackend` writes it for that stack). */
function remoteStateConfig(
  stackId: string,
  workDir: string,
  projectDir: string,
  state: StateLocation,
): { backend: string; config: Record<string, string | boolean>; fromEnvironment: boolean } {
  const key = stateKey(state, terraformStateKey(state, stackId));
  switch (state.scheme) {
    case 'file':
      return { backend: 'local', config: { path: portablePath(join(state.dir!, key), workDir, projectDir) }, fromEnvironment: false };
    case 's3':
      return { backend: 's3', config: { bucket: state.bucket!, key, encrypt: true }, fromEnvironment: true };
    case 'gs':
      return { backend: 'gcs', config: { bucket: state.bucket!, prefix: key.slice(0, -'/default.tfstate'.length) }, fromEnvironment: true };
    case 'azblob':
      return { backend: 'azurerm', config: { container_name: state.bucket!, key }, fromEnvironment: true };
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

/** Terraform JSON string values are templates: literal `${` and `%{` must be doubled. */
export function escapeTemplates(value: unknown): unknown {
  // (replacement functions: in a replacement string `$$` would mean one literal `$`)
  if (typeof value === 'string') return value.replaceAll('${', () => '$${').replaceAll('%{', () => '%%{');
  if (Array.isArray(value)) return value.map(escapeTemplates);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = escapeTemplates(v);
    return out;
  }
  return value;
}

function portablePath(file: string, workDir: string, projectDir: string): string {
  const abs = resolve(file);
  const insideProject = !relative(projectDir, abs).startsWith('..') && !isAbsolute(relative(projectDir, abs));
  return insideProject ? relative(workDir, abs) : abs;
}

/** JSON with object keys sorted at every level: byte-identical output for identical input. */
export function stableStringify(value: unknown, pretty = true): string {
  const sorted = sortKeys(value);
  return pretty ? `${JSON.stringify(sorted, null, 2)}\n` : JSON.stringify(sorted);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
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
