/**
 * Which kubeconfig and context reach a region's API server: the one answer both engines, drift, the DR
 * drill and every test use. In order: the region's own `cluster:` settings; the local plane for a
 * local region; for a cloud region, its cluster stack's `kubeconfig` output (context = the cluster's
 * name). That output is a secret in both engines and is never written to a file: the engines wire it
 * into their provider configuration (Pulumi: a StackReference; Terraform: `terraform_remote_state`),
 * and in-process readers (drift, a plan's live values) hold it in memory (`resolveKubeAccess`).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { PlatformConfig, Region } from '../config/schema.js';
import { ExternalError } from '../errors.js';
import { clusterName } from '../stacks/names.js';
import { stackId } from '../stacks/plan.js';

export interface KubeAccess {
  /** The kubeconfig file; with `kubeconfigData`, where that data came from (for messages only). */
  kubeconfig: string;
  context: string;
  /** Kubeconfig content held in memory (a cloud cluster stack's output), never written to disk. */
  kubeconfigData?: string;
}

/** The stack output a cloud cluster stack publishes its kubeconfig as (Terraform: the same name). */
export const KUBECONFIG_OUTPUT = 'kubeconfig';

/** What a plan says about a cloud region's Kubernetes stack before its cluster exists. */
export const pendingClusterNote = (clusterStack: string): string =>
  `${clusterStack} has not created the cluster yet: everything in this stack is planned as to be created on it`;

/** A cloud region's Kubernetes stacks reach the cluster its own cluster stack creates. */
export interface ClusterOutputAccess {
  /** The stack that creates the cluster and outputs its kubeconfig (`cluster/<region>`). */
  clusterStack: string;
  output: typeof KUBECONFIG_OUTPUT;
  /** The output kubeconfig's context: the cluster's name. */
  context: string;
}

/** How a region's stacks reach its API server: a kubeconfig file, or the region's cluster stack's output. */
export type RegionAccess = { via: 'kubeconfig'; access: KubeAccess } | ({ via: 'cluster-output' } & ClusterOutputAccess);

/** The local plane's kubeconfig (one context per local region, named after the region). */
export const localKubeconfigPath = (projectDir: string): string => join(projectDir, '.platform', 'local', 'kubeconfig');

/** The region names its own kubeconfig or context in platform.yaml. */
export const hasExplicitAccess = (r: Region): boolean => Boolean(r.cluster?.kubeconfig || r.cluster?.context);

/** The stack that creates a region's cluster (the planner's `cluster/<region>`). */
export const clusterStackOf = (region: Pick<Region, 'name'>): string => stackId('cluster', region.name);

export function regionAccess(config: Pick<PlatformConfig, 'name'>, region: Region, projectDir: string, env: NodeJS.ProcessEnv = process.env): RegionAccess {
  if (hasExplicitAccess(region)) {
    const file = region.cluster?.kubeconfig ?? env.KUBECONFIG ?? '~/.kube/config';
    return {
      via: 'kubeconfig',
      access: {
        kubeconfig: file === '~' || file.startsWith('~/') ? join(env.HOME ?? homedir(), file.slice(1)) : file,
        context: region.cluster?.context ?? region.name,
      },
    };
  }
  if (region.cloud === 'local') return { via: 'kubeconfig', access: { kubeconfig: localKubeconfigPath(projectDir), context: region.name } };
  return { via: 'cluster-output', clusterStack: clusterStackOf(region), output: KUBECONFIG_OUTPUT, context: clusterName(config, region) };
}

/** A region reached through a kubeconfig file (explicit or local); a cloud region's own cluster is `resolveKubeAccess`'s. */
export function kubeAccess(config: Pick<PlatformConfig, 'name'>, region: Region, projectDir: string, env: NodeJS.ProcessEnv = process.env): KubeAccess {
  const access = regionAccess(config, region, projectDir, env);
  if (access.via === 'kubeconfig') return access.access;
  throw new ExternalError(
    `region ${region.name} is reached through the kubeconfig output of ${access.clusterStack}, which this command does not read`,
    `Set regions[${region.name}].cluster.kubeconfig/context to reach the cluster directly.`,
  );
}

/** Reads one output of a stack from the engine's state, in memory (undefined: no state or no such output). */
export type StackOutputReader = (stackId: string, output: string) => Promise<string | undefined>;

/** The cloud region's cluster stack has not been applied yet: nothing to reach. */
export class ClusterNotCreatedError extends ExternalError {
  constructor(
    readonly region: string,
    readonly clusterStack: string,
  ) {
    super(
      `the cluster of region ${region} does not exist yet: ${clusterStack} has no \`${KUBECONFIG_OUTPUT}\` output in its state`,
      `Run \`platform apply ${clusterStack}\` (or \`platform apply --all\`) first; \`platform plan\` shows what it will create.`,
    );
    this.name = 'ClusterNotCreatedError';
  }
}

/**
 * Access for in-process clients (drift, a plan's live values): a file for explicit/local regions, else
 * the cluster stack's kubeconfig output read through the engine's state, held in memory only.
 */
export async function resolveKubeAccess(
  config: Pick<PlatformConfig, 'name'>,
  region: Region,
  projectDir: string,
  readOutput: StackOutputReader,
  env: NodeJS.ProcessEnv = process.env,
): Promise<KubeAccess> {
  const access = regionAccess(config, region, projectDir, env);
  if (access.via === 'kubeconfig') return access.access;
  const data = await readOutput(access.clusterStack, access.output);
  if (!data) throw new ClusterNotCreatedError(region.name, access.clusterStack);
  return { kubeconfig: `the ${access.output} output of ${access.clusterStack}`, context: access.context, kubeconfigData: data };
}

/**
 * Before a Kubernetes stack of a cloud region runs: has its cluster stack created the cluster (its
 * `kubeconfig` output is in state)? If not, a plan previews with the access unknown (true: every
 * object is to be created, once the cluster is), and apply or destroy cannot run (ClusterNotCreatedError).
 * False for the cluster stack itself and for regions reached through a kubeconfig file.
 */
export async function clusterPending(
  access: RegionAccess,
  stackId: string,
  region: string,
  planning: boolean,
  readOutput: StackOutputReader,
): Promise<boolean> {
  if (access.via !== 'cluster-output' || access.clusterStack === stackId) return false;
  if ((await readOutput(access.clusterStack, access.output)) !== undefined) return false;
  if (planning) return true;
  throw new ClusterNotCreatedError(region, access.clusterStack);
}
