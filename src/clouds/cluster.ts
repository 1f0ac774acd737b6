/**
 * What every cloud's managed Kubernetes cluster shares, whichever engine renders it: how its node pools are
 * labelled and tainted, when its API server is public, and the kubeconfig output the region's stacks use.
 */
import type { CloudOutput } from './records.js';

/** The label every node of a pool carries: the pool's role, which workloads and add-ons select. */
export const poolLabels = (pool: { role: string }): Record<string, string> => ({ 'platform.dev/pool': pool.role });

/** The system pool runs only what tolerates this taint (CoreDNS, Istio, Velero, …); AKS sets it itself. */
export const SYSTEM_POOL_TAINT = 'CriticalAddonsOnly';

type PoolTaint = { key: string; value: string; effect: 'NO_SCHEDULE' };

/** A node pool's label and, on the system pool, its taint, as EKS node groups and GKE node pools take them. */
export const poolScheduling = (pool: { role: string }): { labels: Record<string, string>; taint?: PoolTaint[] } => ({
  labels: poolLabels(pool),
  taint: pool.role === 'system' ? [{ key: SYSTEM_POOL_TAINT, value: 'true', effect: 'NO_SCHEDULE' }] : undefined,
});

/** Whether the API server has a public endpoint (only for the CIDRs config lists); else it is private. */
export const hasPublicEndpoint = (cluster: { publicAccessCidrs: string[] }): boolean => cluster.publicAccessCidrs.length > 0;

/**
 * Every cluster stack's kubeconfig output: how the region's other stacks reach the cluster, so a secret on
 * every cloud (AKS's holds a client certificate; EKS's and GKE's name no credential, yet grant the way in).
 */
export const kubeconfigOutput = (value: string): CloudOutput => ({
  name: 'kubeconfig',
  value,
  description: 'kubeconfig of the cluster (context = cluster name)',
  sensitive: true,
});
