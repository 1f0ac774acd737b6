/**
 * The CDKTF way of writing a stack's Terraform JSON (synth.ts decides which stacks need it: cloud
 * resources, or a kubectl provider configured from the cluster). Only the `cdktf` library builds the
 * construct tree; we never use cdktf-cli. The stack's own blocks come ready from synth.ts
 * (`TerraformParts`); this adds the constructs src/clouds renders and the cluster-state read.
 *
 * Speed: all stacks share ONE App (created with stack traces off: construct stack traces are the
 * dominant cost) and we bypass `app.synth()` and its manifest writer: each stack is prepared and turned
 * into JSON with `toTerraform()`; synth.ts writes it.
 */
import { mkdirSync } from 'node:fs';
import { App, TerraformBackend, TerraformProvider, TerraformResource, TerraformStack, TerraformVariable, type TerraformRemoteState } from 'cdktf';
import type { Construct } from 'constructs';
import { renderTerraformCloud, terraformCloudResources } from '../../clouds/index.js';
import { connectKubectl } from '../../clouds/terraform-shared.js';
import type { ClusterOutputAccess } from '../../kube/access.js';
import { Bug } from '../../errors.js';
import {
  BACKEND_CONFIG_VARIABLE,
  backendBlock,
  CLUSTER_STATE,
  KUBECTL_PROVIDER_SOURCE,
  KUBECTL_PROVIDER_VERSION,
  type BackendBlock,
  type KubectlManifestArgs,
  type KubectlProviderBlock,
  type SynthOptions,
  type TerraformDocument,
  type TerraformParts,
} from './synth.js';

/** A resource that only exists in a plan on a fresh estate, to defer the remote-state read. */
const CLUSTER_PENDING = 'cluster_pending';

/**
 * Raw `TerraformResource` instead of generated bindings: we use exactly one resource type with six
 * attributes, generation would need cdktf-cli (archived, never a run-time dependency) and thousands of
 * generated lines for no type safety we do not already get from this small class.
 */
class KubectlManifest extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    private readonly args: KubectlManifestArgs,
  ) {
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
    private readonly block: KubectlProviderBlock,
  ) {
    super(scope, id, {
      terraformResourceType: 'kubectl',
      terraformGeneratorMetadata: { providerName: 'kubectl', providerVersion: KUBECTL_PROVIDER_VERSION },
      terraformProviderSource: KUBECTL_PROVIDER_SOURCE,
    });
  }
  // TerraformProvider's alias accessor is a stub that generated bindings override; so do we.
  override get alias(): string | undefined {
    return this.block.alias;
  }
  override set alias(_value: string | undefined) {
    throw new Error('the kubectl provider alias is fixed at construction');
  }
  protected override synthesizeAttributes(): Record<string, unknown> {
    return { ...this.block };
  }
}

/** The state backend from its block (synth.ts `backendBlock`), overrides as CDKTF overrides. */
class StateBackend extends TerraformBackend {
  constructor(
    scope: Construct,
    private readonly block: BackendBlock,
  ) {
    super(scope, 'backend', block.type);
    for (const [key, value] of Object.entries(block.overrides)) this.addOverride(key, value);
  }
  protected override synthesizeAttributes(): Record<string, unknown> {
    return { ...this.block.attributes };
  }
  // Cross-stack references of CDKTF are never used: a stack reads another's state with readClusterState.
  override getRemoteStateDataSource(): TerraformRemoteState {
    throw new Bug('CDKTF cross-stack references are not used by the Terraform engine');
  }
}

/** One App for a synthesis run; `document` builds a stack in it. */
export function cdktfWriter(root: string): { document: (parts: TerraformParts, projectDir: string, options: SynthOptions) => TerraformDocument } {
  mkdirSync(root, { recursive: true }); // App() insists that its outdir exists
  const app = new App({ outdir: root, stackTraces: false, skipValidation: true });
  return {
    document(parts, projectDir, options) {
      const { stack } = parts;
      const tf = new TerraformStack(app, stack.label);
      new StateBackend(tf, parts.backend);
      const provider = new KubectlProvider(tf, `kubectl-${stack.region.name}`, parts.provider);
      // A cluster stack on aws/gcp/azure: its network, cluster, bucket, identity and DNS (src/clouds); its
      // own objects go to the new cluster (the provider configured from the cluster's attributes).
      renderTerraformCloud(tf, stack, provider);
      if (parts.readsClusterState && parts.access.via === 'cluster-output') readClusterState(tf, provider, parts, parts.access, projectDir, options);
      for (const v of parts.variables) new TerraformVariable(tf, v.name, v.block).overrideLogicalId(v.name);
      for (const m of parts.manifests) new KubectlManifest(tf, m.name, m.args);

      tf.prepareStack();
      const json = tf.toTerraform() as { resource?: { kubectl_manifest?: Record<string, Record<string, unknown>> } };
      for (const m of parts.manifests) Object.assign(json.resource!.kubectl_manifest![m.name], m.late);
      return { json, cloudResources: terraformCloudResources(json) };
    },
  };
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
  parts: TerraformParts,
  access: ClusterOutputAccess,
  projectDir: string,
  options: SynthOptions,
): void {
  // The cluster stack's backend as `renderBackend` writes it for that stack, read from this work dir.
  const remote = backendBlock(access.clusterStack, parts.workDir, projectDir, options.state);
  const fromEnvironment = options.state.scheme !== 'file';
  if (fromEnvironment) {
    new TerraformVariable(tf, BACKEND_CONFIG_VARIABLE, {
      type: 'map(string)',
      default: {},
      description: 'backend settings from the environment (endpoint, storage account): the engine sets them, as for its own backend',
    });
  }
  const literal = `{ ${Object.entries(remote.attributes)
    .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
    .join(', ')} }`;
  const config = fromEnvironment ? `\${merge(${literal}, var.${BACKEND_CONFIG_VARIABLE})}` : remote.attributes;
  tf.addOverride(`data.terraform_remote_state.${CLUSTER_STATE}`, {
    backend: remote.type,
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
    ...(parts.stack.region.cloud === 'azure'
      ? { clientCertificate: `\${${user}["client-certificate-data"]}`, clientKey: `\${${user}["client-key-data"]}` }
      : { exec: { apiVersion: `\${${user}.exec.apiVersion}`, command: `\${${user}.exec.command}`, args: `\${${user}.exec.args}` } }),
  });
}
