/**
 * Which kubeconfig and context reach a region's API server: the one answer both engines, drift, the DR
 * drill and every test use. In order: the region's own `cluster:` settings; the local plane for a
 * local region; for a cloud region, its cluster stack's `kubeconfig` output (context = the cluster's
 * name), which the region's Kubernetes stacks read from `.platform/clusters/<region>/kubeconfig`.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { PlatformConfig, Region } from '../config/schema.js';
import { clusterName } from '../stacks/names.js';

export interface KubeAccess {
  kubeconfig: string;
  context: string;
}

/** The local plane's kubeconfig (one context per local region, named after the region). */
export const localKubeconfigPath = (projectDir: string): string => join(projectDir, '.platform', 'local', 'kubeconfig');

/** Where a cloud region's kubeconfig (its cluster stack's `kubeconfig` output) is expected. */
export const clusterKubeconfigPath = (projectDir: string, region: string): string => join(projectDir, '.platform', 'clusters', region, 'kubeconfig');

/** The region names its own kubeconfig or context in platform.yaml. */
export const hasExplicitAccess = (r: Region): boolean => Boolean(r.cluster?.kubeconfig || r.cluster?.context);

export function kubeAccess(config: Pick<PlatformConfig, 'name'>, region: Region, projectDir: string, env: NodeJS.ProcessEnv = process.env): KubeAccess {
  if (hasExplicitAccess(region)) {
    const file = region.cluster?.kubeconfig ?? env.KUBECONFIG ?? '~/.kube/config';
    return {
      kubeconfig: file === '~' || file.startsWith('~/') ? join(env.HOME ?? homedir(), file.slice(1)) : file,
      context: region.cluster?.context ?? region.name,
    };
  }
  if (region.cloud === 'local') return { kubeconfig: localKubeconfigPath(projectDir), context: region.name };
  return { kubeconfig: clusterKubeconfigPath(projectDir, region.name), context: clusterName(config, region) };
}
