/**
 * The clouds seam both engines call. A cluster stack on aws/gcp/azure carries CloudIntents (network,
 * cluster, backup bucket, backup identity, DNS failover); the per-cloud modules render them as typed
 * provider resources, one module per cloud × engine:
 *
 *   src/clouds/<cloud>/terraform.ts   providers; records → @cdktf/provider-* classes by kind (terraform-shared.ts) → the stack's Terraform JSON
 *   src/clouds/<cloud>/pulumi.ts      providers, argument mappings; records → @pulumi/* classes by token (pulumi-shared.ts) → the program
 *
 * A record names its SDK class itself (its Terraform `kind`, its Pulumi token `pulumiType`): adding a
 * resource to a cloud is one record in `<cloud>/resources.ts`, and both engines find its class.
 *
 * The SDKs are huge, so nothing here imports them: `loadClouds(engine, stacks)` imports only the
 * modules of the clouds the given stacks use and the per-resource modules of their records' classes
 * (dynamic import), and the synchronous render hooks the engines call look them up. Callers that
 * synthesize or run stacks call `loadClouds` first (src/synth.ts, src/operations.ts); a render without
 * it is a Bug naming the missing renderer or kind, never a silent omission.
 *
 * Kubernetes access of every region, cloud regions included, is src/kube/access.ts: a cloud region's
 * Kubernetes stacks read its cluster stack's `kubeconfig` output (a secret) through the engine. Before a
 * plan/apply `assertCloudReady` checks that the engine's provider plugins and the cloud credentials are
 * there, and says what to install or set when they are not.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';
import type { Engine } from '../config/schema.js';
import type { EngineDescriptor } from '../engines/types.js';
import { Bug, ExternalError } from '../errors.js';
import type { StackInstance } from '../stacks/types.js';
import { CLOUD_NAMES, cloudOf, replicationKind, type CloudName } from './common.js';
import type { PulumiCloudResult } from './pulumi-types.js';

export { cloudOf, type CloudName } from './common.js';
export type { PulumiCloudResult } from './pulumi-types.js';

type TerraformRender = (scope: Construct, stack: StackInstance, kubectl: TerraformProvider) => void;
type PulumiRender = (stack: StackInstance) => PulumiCloudResult;

// Literal specifiers, so bundlers see each module and can split it into its own chunk.
const terraformModules: Record<CloudName, () => Promise<{ renderTerraform: TerraformRender }>> = {
  aws: () => import('./aws/terraform.js'),
  gcp: () => import('./gcp/terraform.js'),
  azure: () => import('./azure/terraform.js'),
};
const pulumiModules: Record<CloudName, () => Promise<{ renderPulumi: PulumiRender }>> = {
  aws: () => import('./aws/pulumi.js'),
  gcp: () => import('./gcp/pulumi.js'),
  azure: () => import('./azure/pulumi.js'),
};

const loadedTerraform = new Map<CloudName, TerraformRender>();
const loadedPulumi = new Map<CloudName, PulumiRender>();

/**
 * The clouds whose renderers the stacks need: each cluster stack's own. (A cross-cloud replication
 * target's few bindings are imported by the source cloud's module itself, e.g. aws/to-gcs.ts.)
 */
export function cloudsOf(stacks: StackInstance[]): Set<CloudName> {
  return new Set(stacks.map(cloudOf).filter((c): c is CloudName => c !== undefined));
}

/**
 * Import what rendering `stacks` for `engine` needs (no-op for local-only estates): the renderers of the
 * clouds they use, and the SDK class of every record their builds hold, by the record's kind
 * (Terraform) or token (Pulumi), once each. The renderers then look classes up synchronously.
 */
export async function loadClouds(engine: Engine, stacks: StackInstance[]): Promise<void> {
  const cloudStacks = stacks.filter((s) => cloudOf(s) !== undefined);
  if (cloudStacks.length === 0) return;
  const { cloudBuild } = await import('./resources.js');
  const records = cloudStacks.flatMap((s) => cloudBuild(s).resources);
  if (engine === 'terraform') {
    const { loadTerraformClasses } = await import('./terraform-shared.js');
    await loadTerraformClasses(records.map((r) => r.kind));
  } else {
    const { loadPulumiClasses } = await import('./pulumi-shared.js');
    await loadPulumiClasses(records.map((r) => r.pulumiType));
  }
  for (const cloud of cloudsOf(cloudStacks)) {
    if (engine === 'terraform' && !loadedTerraform.has(cloud)) loadedTerraform.set(cloud, (await terraformModules[cloud]()).renderTerraform);
    if (engine === 'pulumi' && !loadedPulumi.has(cloud)) loadedPulumi.set(cloud, (await pulumiModules[cloud]()).renderPulumi);
  }
}

/** Terraform hook (synth.ts): add the stack's cloud resources, providers and outputs to its CDKTF stack. */
export function renderTerraformCloud(scope: Construct, stack: StackInstance, kubectl: TerraformProvider): void {
  const cloud = cloudOf(stack);
  if (!cloud) return;
  const render = loadedTerraform.get(cloud);
  if (!render) throw new Bug(`the ${cloud} renderer for Terraform was not loaded before synthesizing ${stack.id} (call loadClouds first)`);
  render(scope, stack, kubectl);
}

/** Pulumi hook (program.ts): register the stack's cloud resources; returns them and the stack outputs. */
export function registerPulumiCloud(stack: StackInstance): PulumiCloudResult {
  const cloud = cloudOf(stack);
  if (!cloud) return { resources: [], outputs: {} };
  const render = loadedPulumi.get(cloud);
  if (!render) throw new Bug(`the ${cloud} renderer for Pulumi was not loaded before registering ${stack.id} (call loadClouds first)`);
  return render(stack);
}

export interface ReadinessOptions {
  projectDir: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

/**
 * Before plan/apply: can the engine reach each cloud the stacks use? Checks the provider plugin (on
 * disk: there is no registry access) and the cloud's credentials (environment or the CLI's files).
 * Throws ONE ExternalError listing every gap,
 * with what to install or set; returns quietly for local-only runs.
 */
export function assertCloudReady(stacks: StackInstance[], engine: EngineDescriptor, opts: ReadinessOptions): void {
  const env = opts.env ?? process.env;
  const home = opts.home ?? env.HOME ?? homedir();
  const clouds = new Map<CloudName, Set<string>>(); // cloud → the stacks that need it
  for (const s of stacks) {
    const own = cloudOf(s);
    if (own) {
      const need = (c: CloudName): void => void clouds.set(c, (clouds.get(c) ?? new Set()).add(s.id));
      need(own);
      // A cross-cloud replication renders the target cloud's transfer job in this stack too.
      for (const i of s.cloud)
        if (i.kind === 'backupBucket' && i.replicateTo && replicationKind(own, i.replicateTo.cloud) !== 'native') need(i.replicateTo.cloud);
    }
  }
  // (A cloud region's Kubernetes stacks need no kubeconfig here: they reach the cluster through its
  // cluster stack's `kubeconfig` output, src/kube/access.ts.)

  const missing: string[] = [];
  const fixes: string[] = [];
  const ordered = CLOUD_NAMES.filter((c) => clouds.has(c));
  const plugins = ordered.length ? engine.missingCloudPlugins(ordered, { projectDir: opts.projectDir, env }) : undefined;
  if (plugins) {
    missing.push(plugins.missing);
    fixes.push(plugins.fix);
  }
  for (const c of ordered) {
    const creds = credentials[c](env, home);
    if (!creds.ok) {
      missing.push(`${c.toUpperCase()} credentials`);
      fixes.push(creds.fix);
    }
  }
  if (missing.length) {
    const who = describeStacks([...new Set([...clouds.values()].flatMap((ids) => [...ids]))]);
    throw new ExternalError(`${who} cannot run on this machine: missing ${missing.join('; ')}`, `To fix: ${fixes.join('; ')}.`);
  }
}

/** `a, b, c` — or `a, b and 8 more stacks` when the list is long. */
function describeStacks(ids: string[]): string {
  return ids.length <= 3 ? ids.join(', ') : `${ids.slice(0, 2).join(', ')} and ${ids.length - 2} more stacks`;
}

/** Where each cloud's SDKs/providers find credentials (the same chain their CLIs use). */
const credentials: Record<CloudName, (env: NodeJS.ProcessEnv, home: string) => { ok: boolean; fix: string }> = {
  aws: (env, home) => ({
    ok: Boolean(
      (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) ||
      env.AWS_PROFILE ||
      env.AWS_WEB_IDENTITY_TOKEN_FILE ||
      env.AWS_CONTAINER_CREDENTIALS_FULL_URI ||
      existsSync(join(home, '.aws', 'credentials')) ||
      existsSync(join(home, '.aws', 'config')),
    ),
    fix: 'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE, or run `aws configure`)',
  }),
  gcp: (env, home) => ({
    ok: Boolean(
      env.GOOGLE_APPLICATION_CREDENTIALS ||
      env.GOOGLE_CREDENTIALS ||
      env.GOOGLE_OAUTH_ACCESS_TOKEN ||
      existsSync(join(home, '.config', 'gcloud', 'application_default_credentials.json')),
    ),
    fix: 'set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file (or run `gcloud auth application-default login`) and GOOGLE_PROJECT',
  }),
  azure: (env, home) => ({
    ok: Boolean((env.ARM_CLIENT_ID && env.ARM_TENANT_ID && env.ARM_SUBSCRIPTION_ID) || existsSync(join(home, '.azure', 'azureProfile.json'))),
    fix: 'set ARM_SUBSCRIPTION_ID, ARM_TENANT_ID, ARM_CLIENT_ID and ARM_CLIENT_SECRET (or run `az login`)',
  }),
};

/**
 * How `synth --json` names a stack's cloud resources: Terraform type and logical name, data sources as
 * `data.<type>` (everything in the document except the Kubernetes objects, which the engine lists itself).
 */
export function terraformCloudResources(doc: {
  resource?: Record<string, Record<string, unknown>>;
  data?: Record<string, Record<string, unknown>>;
}): Array<{ type: string; name: string }> {
  const out: Array<{ type: string; name: string }> = [];
  for (const [type, byName] of Object.entries(doc.resource ?? {}))
    if (type !== 'kubectl_manifest') for (const name of Object.keys(byName)) out.push({ type, name });
  for (const [type, byName] of Object.entries(doc.data ?? {})) for (const name of Object.keys(byName)) out.push({ type: `data.${type}`, name });
  return out.sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type.localeCompare(b.type)));
}
