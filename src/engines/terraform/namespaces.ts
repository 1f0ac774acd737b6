/**
 * Destroy means gone: when a run that deletes a Namespace returns, the Namespace is NotFound, not
 * Terminating (deleting it only starts the removal of everything in it). The kubectl provider's own
 * `wait` polls every 10 s, which made every destroyed namespace cost 10–20 s; the engine waits instead,
 * after the run, through the one cluster client (src/kube), polling every 0.5 s.
 */
import { ExternalError } from '../../errors.js';
import { regionAccess, type RegionAccess } from '../../kube/access.js';
import type { StackInstance } from '../../stacks/types.js';
import { objectType } from '../../objects/identity.js';
import type { EngineEvent, ResourceChange, RunContext } from '../types.js';
import { connectRegion } from './region.js';

/** Between two reads of a namespace that is going away. */
const POLL_MS = 500;
/** As long as the Pulumi engine waits for any deleted object (`KubeClient.deleteAndWait`). */
const TIMEOUT_MS = 300_000;

const NAMESPACE_TYPE = objectType({ apiVersion: 'v1', kind: 'Namespace' });

/** The Namespaces a run deletes, from its planned changes (a replaced one is created again: not gone). */
export function deletedNamespaces(changes: readonly ResourceChange[]): string[] {
  return changes.filter((c) => c.op === 'delete' && c.type === NAMESPACE_TYPE).map((c) => c.name);
}

/**
 * Where the provider itself waits (`wait: true` on the Namespace's `kubectl_manifest`): only in the
 * stack that creates its region's cloud cluster. Its destroy deletes the cluster after the namespaces,
 * which must be gone first (load balancers and disks are released as what is in them goes), and only
 * the provider can wait in the middle of a run. Every other stack: the engine, after the run.
 */
export const providerWaitsForNamespaces = (access: RegionAccess, stackId: string): boolean =>
  access.via === 'cluster-output' && access.clusterStack === stackId;

/**
 * Waits until the namespaces a successful run deleted are gone (in parallel; the region reached as
 * drift reaches it, a cloud region through its cluster stack's output in memory). Throws ExternalError
 * on timeout (naming the namespace and what is still in it), on cancel, or when the cluster cannot be reached.
 */
export async function awaitNamespacesGone(names: readonly string[], stack: StackInstance, ctx: RunContext): Promise<void> {
  if (names.length === 0) return;
  const access = regionAccess(ctx.config, stack.region, ctx.projectDir);
  if (providerWaitsForNamespaces(access, stack.id)) return;
  const emit = (e: EngineEvent): void => ctx.onEvent(e);
  const which = `${names.length === 1 ? 'namespace' : 'namespaces'} ${names.join(', ')}`;
  emit({ type: 'diagnostic', stack: stack.id, severity: 'info', message: `waiting for ${which} to be deleted` });
  const client = await connectRegion(stack, ctx);
  try {
    await Promise.all(
      names.map((name) =>
        client.waitUntilGone(
          { apiVersion: 'v1', kind: 'Namespace', name },
          { intervalMs: POLL_MS, maxIntervalMs: POLL_MS, timeoutMs: TIMEOUT_MS, signal: ctx.signal },
        ),
      ),
    );
  } catch (e) {
    if (!ctx.signal?.aborted) throw e;
    throw new ExternalError(
      `cancelled while waiting for ${which} to be deleted`,
      'tofu has deleted them and saved its state; Kubernetes goes on removing what is in them.',
    );
  } finally {
    client.close();
  }
}
