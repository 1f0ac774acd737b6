/**
 * The clouds seam both engines call. A cluster stack on aws/gcp/azure carries CloudIntents (network,
 * cluster, backup bucket, backup identity, DNS failover); the per-cloud modules render them as typed
 * provider resources, one module per cloud × engine:
 *
 *   src/clouds/<cloud>/terraform.ts   @cdktf/provider-* (deep imports)  → resources in the stack's Terraform JSON
 *   src/clouds/<cloud>/pulumi.ts      @pulumi/aws|gcp|azure-native (per-resource modules) → resources in the program
 *
 * The SDKs are huge, so nothing here imports them: `loadClouds(engine, stacks)` imports only the
 * modules of the clouds the given stacks use (dynamic import), and the synchronous render hooks the
 * engines call look them up. Callers that synthesize or run stacks call `loadClouds` first
 * (src/synth.ts, src/operations.ts); a render without it is a Bug, never a silent omission.
 *
 * Kubernetes access of cloud regions: a region with `cluster.kubeconfig/context` uses that (src/kube/access.ts).
 * Otherwise the cluster stack exports its cluster's kubeconfig as the stack output `kubeconfig`, and
 * the region's other stacks read it from `.platform/clusters/<region>/kubeconfig` (`kubeAccessForStack`).
 * With Terraform, the cluster stack's own Kubernetes objects (Velero) use the new cluster directly (the
 * kubectl provider is configured from the cluster's attributes); with Pulumi they read the file too. Writing that file after `apply cluster/<region>` is not automated in this
 * version: `tofu output -raw kubeconfig` / `pulumi stack output kubeconfig --show-secrets` into it, or set
 * `cluster.kubeconfig/context` — `assertCloudReady` says so before a plan/apply.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';
import type { Engine, Region } from '../config/schema.js';
import { Bug, ExternalError } from '../errors.js';
import { kubeAccess, type KubeAccess } from '../kube/access.js';
import type { StackInstance } from '../stacks/types.js';
import { hostPlatform, tfMirrorDir } from '../toolchain/layout.js';
import { CLOUD_NAMES, cloudOf, PULUMI_PLUGINS, replicationKind, TERRAFORM_PROVIDERS, type CloudName } from './common.js';
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
 * target's few bindings are imported by the source cloud's module itself, e.g. aws/to-gcs-*.ts.)
 */
export function cloudsOf(stacks: StackInstance[]): Set<CloudName> {
  return new Set(stacks.map(cloudOf).filter((c): c is CloudName => c !== undefined));
}

/** Import the renderers of the clouds `stacks` use for `engine` (no-op for local-only estates). */
export async function loadClouds(engine: Engine, stacks: StackInstance[]): Promise<void> {
  for (const cloud of cloudsOf(stacks)) {
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

/** Where a cloud region's kubeconfig (the cluster stack's `kubeconfig` output) is expected. */
export const clusterKubeconfigPath = (projectDir: string, region: string): string => join(projectDir, '.platform', 'clusters', region, 'kubeconfig');

const hasExplicitAccess = (r: Region): boolean => Boolean(r.cluster?.kubeconfig || r.cluster?.context);

/**
 * kubeAccess, extended to cloud regions without `cluster:`: their cluster stack's kubeconfig output
 * (context = the cluster's name). Synthesis never fails for lack of a cluster that does not exist yet.
 */
export function kubeAccessForStack(stack: StackInstance, projectDir: string): KubeAccess {
  const r = stack.region;
  if (r.cloud === 'local' || hasExplicitAccess(r)) return kubeAccess(r, projectDir);
  const cluster = stack.cloud.find((i) => i.kind === 'cluster');
  return { kubeconfig: clusterKubeconfigPath(projectDir, r.name), context: cluster?.name ?? r.name };
}

export interface ReadinessOptions {
  projectDir: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** Terraform: the toolchain's provider mirror (default: the toolchain dir's tf-mirror). */
  mirrorDir?: string;
}

/**
 * Before plan/apply: can the engine reach each cloud the stacks use? Checks the provider plugin (on
 * disk: there is no registry access), the cloud's credentials (environment or the CLI's files) and,
 * for a cloud region's Kubernetes stacks, a kubeconfig. Throws ONE ExternalError listing every gap,
 * with what to install or set; returns quietly for local-only runs.
 */
export function assertCloudReady(stacks: StackInstance[], engine: Engine, opts: ReadinessOptions): void {
  const env = opts.env ?? process.env;
  const home = opts.home ?? env.HOME ?? homedir();
  const clouds = new Map<CloudName, Set<string>>(); // cloud → the stacks that need it
  const needKubeconfig: StackInstance[] = [];
  for (const s of stacks) {
    const own = cloudOf(s);
    if (own) {
      const need = (c: CloudName): void => void clouds.set(c, (clouds.get(c) ?? new Set()).add(s.id));
      need(own);
      // A cross-cloud replication renders the target cloud's transfer job in this stack too.
      for (const i of s.cloud) if (i.kind === 'backupBucket' && i.replicateTo && replicationKind(own, i.replicateTo.cloud) !== 'native') need(i.replicateTo.cloud);
    }
    // Kubernetes objects on a cloud region need a kubeconfig: Terraform wires a cluster stack's own
    // objects to the new cluster; everything else (and Pulumi's cluster stacks) reads the file.
    const ownCluster = own !== undefined && engine === 'terraform';
    if (s.region.cloud !== 'local' && !hasExplicitAccess(s.region) && s.objects.length > 0 && !ownCluster && !existsSync(clusterKubeconfigPath(opts.projectDir, s.region.name))) {
      needKubeconfig.push(s);
    }
  }

  const missing: string[] = [];
  const fixes: string[] = [];
  const ordered = CLOUD_NAMES.filter((c) => clouds.has(c));
  if (engine === 'terraform') {
    const mirror = opts.mirrorDir ?? tfMirrorDir();
    const absent = ordered.map((c) => TERRAFORM_PROVIDERS[c]).filter((p) => !existsSync(join(mirror, 'registry.opentofu.org', p.source, p.version, hostPlatform())));
    if (absent.length) {
      const list = absent.map((p) => `${p.source} ${p.version}`).join(', ');
      missing.push(`OpenTofu provider ${list} (there is no registry access to download ${absent.length > 1 ? 'them' : 'it'})`);
      fixes.push(`install ${list} into the provider mirror ${mirror} (\`tofu providers mirror ${mirror}\` where the registry is reachable, then copy the folder here)`);
    }
  } else {
    const pulumiHome = join(opts.projectDir, '.platform', 'pulumi-home');
    const absent = ordered
      .map((c) => PULUMI_PLUGINS[c])
      .filter((p) => !existsSync(join(pulumiHome, 'plugins', `resource-${p.name}-v${p.version}`, `pulumi-resource-${p.name}`)) && !onPath(`pulumi-resource-${p.name}`, env));
    if (absent.length) {
      missing.push(`Pulumi resource plugin ${absent.map((p) => `${p.name} ${p.version}`).join(', ')}`);
      fixes.push(absent.map((p) => `PULUMI_HOME=${pulumiHome} pulumi plugin install resource ${p.name} ${p.version}`).join(' and ') + ' (or put pulumi-resource-<name> on PATH)');
    }
  }
  for (const c of ordered) {
    const creds = credentials[c](env, home);
    if (!creds.ok) {
      missing.push(`${c.toUpperCase()} credentials`);
      fixes.push(creds.fix);
    }
  }
  // One line per region, however many of its stacks need the kubeconfig.
  const byRegion = new Map<string, StackInstance[]>();
  for (const s of needKubeconfig) byRegion.set(s.region.name, [...(byRegion.get(s.region.name) ?? []), s]);
  for (const [region, regionStacks] of byRegion) {
    missing.push(`a kubeconfig for ${regionStacks[0]!.region.cloud} region "${region}" (${describeStacks(regionStacks.map((s) => s.id))})`);
    fixes.push(`set regions[${region}].cluster.kubeconfig/context, or write the \`kubeconfig\` output of cluster/${region} to ${clusterKubeconfigPath(opts.projectDir, region)}`);
  }
  if (missing.length) {
    const who = describeStacks([...new Set([...[...clouds.values()].flatMap((ids) => [...ids]), ...needKubeconfig.map((s) => s.id)])]);
    throw new ExternalError(`${who} cannot run on this machine: missing ${missing.join('; ')}`, `To fix: ${fixes.join('; ')}.`);
  }
}

/** `a, b, c` — or `a, b and 8 more stacks` when the list is long. */
function describeStacks(ids: string[]): string {
  return ids.length <= 3 ? ids.join(', ') : `${ids.slice(0, 2).join(', ')} and ${ids.length - 2} more stacks`;
}

function onPath(binary: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, binary)));
}

/** Where each cloud's SDKs/providers find credentials (the same chain their CLIs use). */
const credentials: Record<CloudName, (env: NodeJS.ProcessEnv, home: string) => { ok: boolean; fix: string }> = {
  aws: (env, home) => ({
    ok: Boolean((env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) || env.AWS_PROFILE || env.AWS_WEB_IDENTITY_TOKEN_FILE || env.AWS_CONTAINER_CREDENTIALS_FULL_URI || existsSync(join(home, '.aws', 'credentials')) || existsSync(join(home, '.aws', 'config'))),
    fix: 'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE, or run `aws configure`)',
  }),
  gcp: (env, home) => ({
    ok: Boolean(env.GOOGLE_APPLICATION_CREDENTIALS || env.GOOGLE_CREDENTIALS || env.GOOGLE_OAUTH_ACCESS_TOKEN || existsSync(join(home, '.config', 'gcloud', 'application_default_credentials.json'))),
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
export function terraformCloudResources(doc: { resource?: Record<string, Record<string, unknown>>; data?: Record<string, Record<string, unknown>> }): Array<{ type: string; name: string }> {
  const out: Array<{ type: string; name: string }> = [];
  for (const [type, byName] of Object.entries(doc.resource ?? {})) if (type !== 'kubectl_manifest') for (const name of Object.keys(byName)) out.push({ type, name });
  for (const [type, byName] of Object.entries(doc.data ?? {})) for (const name of Object.keys(byName)) out.push({ type: `data.${type}`, name });
  return out.sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type.localeCompare(b.type)));
}
