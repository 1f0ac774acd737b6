/** Which kubeconfig and context reach a region's API server: the one answer both engines and drift use. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Region } from '../config/schema.js';
import { UsageError } from '../errors.js';

export interface KubeAccess {
  kubeconfig: string;
  context: string;
}

/** The local plane's kubeconfig (one context per local region, named after the region). */
export const localKubeconfigPath = (projectDir: string): string => join(projectDir, '.platform', 'local', 'kubeconfig');

export function kubeAccess(region: Region, projectDir: string): KubeAccess {
  if (region.cluster?.kubeconfig || region.cluster?.context) {
    const file = region.cluster.kubeconfig ?? process.env.KUBECONFIG ?? '~/.kube/config';
    return { kubeconfig: file.startsWith('~') ? join(homedir(), file.slice(1)) : file, context: region.cluster.context ?? region.name };
  }
  if (region.cloud === 'local') return { kubeconfig: localKubeconfigPath(projectDir), context: region.name };
  throw new UsageError(
    `region "${region.name}" (${region.cloud}) has no cluster access configured`,
    [],
    'Set regions[].cluster.kubeconfig/context, or apply its cluster stack first so its outputs provide one.',
  );
}
