/**
 * A custom resource created in the same run as its CRD. The kubectl provider looks every kind up in the
 * API server's discovery, which lags behind a new CRD; its own retries (`apply_retry_count`, ~14 s of
 * backoff) were not always enough on a loaded machine: "resource [monitoring.coreos.com/v1/Prometheus]
 * isn't valid for cluster". When a failed apply says so of a kind whose CRD this stack declares, the
 * engine waits through the one cluster client until the kind is served, then plans and applies once
 * more (tofu's state holds what the first run made). Any other "isn't valid" fails at once.
 */
import { ExternalError } from '../../errors.js';
import { groupOf, objectType } from '../../objects/identity.js';
import type { StackInstance } from '../../stacks/types.js';
import type { RunContext } from '../types.js';
import { connectRegion } from './region.js';
import type { SynthStack } from './synth.js';
import type { TofuMessage } from './tofu.js';

/** How long a kind of a new CRD may take to be served (the Pulumi engine's apply waits for its CRDs too). */
const SERVED_TIMEOUT_MS = 120_000;

const CRD_TYPE = objectType({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' });
const NOT_SERVED = /resource \[([^\]\s]+)\/([^\]/\s]+)\] isn't valid for cluster/;

/** A kind the provider did not find, and the CRDs of this stack that serve its group. */
export interface UnservedKind {
  apiVersion: string;
  kind: string;
  crds: string[];
}

/** The kind a diagnostic says the cluster does not serve, when this stack declares a CRD of its group. */
export function unservedKindOf(m: TofuMessage, synth: Pick<SynthStack, 'objects'>): UnservedKind | undefined {
  if (m.type !== 'diagnostic' || m.diagnostic?.severity !== 'error') return undefined;
  const found = NOT_SERVED.exec(`${m.diagnostic.summary} ${m.diagnostic.detail ?? ''}`);
  if (!found) return undefined;
  const [, apiVersion, kind] = found;
  const group = groupOf(apiVersion);
  // A CRD is named <plural>.<group>, and a plural has no dots.
  const crds = synth.objects.filter((o) => o.type === CRD_TYPE && group !== '' && o.name.slice(o.name.indexOf('.') + 1) === group).map((o) => o.name);
  return crds.length > 0 ? { apiVersion, kind, crds } : undefined;
}

/** Every such kind of a failed run, once each. */
export function unservedKinds(messages: readonly TofuMessage[], synth: Pick<SynthStack, 'objects'>): UnservedKind[] {
  const byKey = new Map<string, UnservedKind>();
  for (const m of messages) {
    const k = unservedKindOf(m, synth);
    if (k) byKey.set(`${k.apiVersion}/${k.kind}`, k);
  }
  return [...byKey.values()];
}

/** Waits until the CRDs are Established and the kinds are served; throws ExternalError on timeout. */
export async function awaitKindsServed(kinds: readonly UnservedKind[], stack: StackInstance, ctx: RunContext): Promise<void> {
  const client = await connectRegion(stack, ctx);
  const deadline = Date.now() + SERVED_TIMEOUT_MS;
  try {
    for (const name of new Set(kinds.flatMap((k) => k.crds)))
      await client.waitForCrdEstablished(name, { timeoutMs: Math.max(deadline - Date.now(), 0), signal: ctx.signal });
    for (const { apiVersion, kind } of kinds) {
      if (!(await client.waitUntilServed(apiVersion, kind, { timeoutMs: Math.max(deadline - Date.now(), 0), signal: ctx.signal }))) {
        throw new ExternalError(
          `the API server does not serve ${kind} (${apiVersion}) ${SERVED_TIMEOUT_MS / 1000} s after its CRD was created`,
          'Check the CRD with kubectl describe crd; the API server may be overloaded. The next apply converges.',
        );
      }
    }
  } finally {
    client.close();
  }
}
