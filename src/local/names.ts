/**
 * Names and places of the local plane, pure. Every project dir gets its own kwok workdir and cluster
 * names carrying a hash of the project dir, so temp projects with the same region names (`eu`, `us`)
 * never share, stop or purge each other's clusters.
 */
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { PlatformConfig, Region } from '../config/schema.js';

export const localDir = (projectDir: string): string => join(resolve(projectDir), '.platform', 'local');
/** KWOK_WORKDIR: kwokctl keeps clusters (etcd data, pki, pids, logs) under `<workdir>/clusters/<name>`. */
export const kwokWorkdir = (projectDir: string): string => join(localDir(projectDir), 'kwok');
export const clusterDir = (projectDir: string, cluster: string): string => join(kwokWorkdir(projectDir), 'clusters', cluster);

/** 6 hex chars of the absolute project dir: enough to keep concurrent temp projects apart. */
export function projectHash(projectDir: string): string {
  return createHash('sha256').update(resolve(projectDir)).digest('hex').slice(0, 6);
}

/** `<project>-<region>-<hash>`, trimmed so kwok's derived names stay within DNS label limits. */
export function clusterName(project: string, region: string, projectDir: string): string {
  const hash = projectHash(projectDir);
  const head = `${project}-${region}`.slice(0, 63 - 6 - hash.length - 1).replace(/-+$/, '');
  return `${head}-${hash}`;
}

/**
 * Regions served by the local plane: `cloud: local` without an explicit `cluster:` (a region that names
 * its own kubeconfig/context points at a cluster someone else runs).
 */
export function localRegions(config: PlatformConfig): Region[] {
  return config.regions.filter((r) => r.cloud === 'local' && !r.cluster);
}
