/**
 * Which Namespaces a Terraform run deletes (so the engine waits for them to be gone), and where the
 * provider waits instead. The wait itself runs against the real local plane in engine.int,
 * scenario.int, cluster-output.int and the short-terraform faults (prune).
 */
import { describe, expect, test } from 'vitest';
import { regionAccess } from '../../../src/kube/access.js';
import { awaitNamespacesGone, deletedNamespaces, providerWaitsForNamespaces } from '../../../src/engines/terraform/namespaces.js';
import { changesFromPlan, deletesFromStream } from '../../../src/engines/terraform/report.js';
import type { SynthObject } from '../../../src/engines/terraform/synth.js';
import type { TofuMessage } from '../../../src/engines/terraform/tofu.js';
import type { EngineEvent, RunContext } from '../../../src/engines/types.js';
import { platformSchema } from '../../../src/config/schema.js';
import { resolveStateLocation } from '../../../src/state/location.js';
import { exampleStacks } from '../../clouds/fixtures.js';
import { testStack } from './fixtures.js';

const objects: SynthObject[] = [
  { address: 'kubectl_manifest.namespace_shop', type: 'v1:Namespace', name: 'shop', secret: false },
  { address: 'kubectl_manifest.configmap_shop_settings', type: 'v1:ConfigMap', name: 'shop/settings', secret: false },
];
const planned = (addr: string, action: string): TofuMessage => ({ type: 'planned_change', change: { resource: { addr }, action } });
const namespace = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

describe('the Namespaces a run deletes', () => {
  test('a destroy: the synthesized ones, and those only the state still names (a pruned stack)', () => {
    const stream = [
      planned('kubectl_manifest.configmap_shop_settings', 'delete'),
      planned('kubectl_manifest.namespace_shop', 'delete'),
      planned('kubectl_manifest.namespace_gone', 'delete'),
    ];
    expect(deletedNamespaces(deletesFromStream(stream, { objects }))).toEqual(['shop']);
    const applied = new Map([['kubectl_manifest.namespace_gone', namespace('gone')]]);
    expect(deletedNamespaces(deletesFromStream(stream, { objects }, applied))).toEqual(['shop', 'gone']);
  });

  test('an apply: a Namespace dropped from the config is deleted; one kept, updated or replaced is not', () => {
    const rc = (address: string, actions: string[], before: object | null, after: object | null) => ({
      address,
      mode: 'managed',
      type: 'kubectl_manifest',
      change: { actions, before: before && { yaml_body: JSON.stringify(before) }, after: after && { yaml_body: JSON.stringify(after) } },
    });
    const { changes } = changesFromPlan(
      {
        resource_changes: [
          rc('kubectl_manifest.namespace_shop', ['no-op'], namespace('shop'), namespace('shop')),
          rc('kubectl_manifest.namespace_old', ['delete'], namespace('old'), null),
          rc('kubectl_manifest.namespace_relabelled', ['update'], namespace('relabelled'), {
            ...namespace('relabelled'),
            metadata: { name: 'relabelled', labels: { a: 'b' } },
          }),
          rc('kubectl_manifest.namespace_again', ['delete', 'create'], namespace('again'), namespace('again')),
          rc('kubectl_manifest.configmap_old_x', ['delete'], { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'old' } }, null),
        ],
      },
      objects,
    );
    expect(deletedNamespaces(changes)).toEqual(['old']);
  });
});

describe('who waits', () => {
  const multicloud = exampleStacks('multicloud', 'terraform');
  const stack = (id: string) => multicloud.find((s) => s.id === id)!;
  const access = (id: string) => regionAccess({ name: 'acme' }, stack(id).region, '/p');

  test('the provider, only in the stack that creates its cloud cluster (the same destroy deletes the cluster next)', () => {
    expect(providerWaitsForNamespaces(access('cluster/eu'), 'cluster/eu')).toBe(true);
    expect(providerWaitsForNamespaces(access('observability/eu'), 'observability/eu')).toBe(false);
    const local = testStack();
    expect(providerWaitsForNamespaces(regionAccess({ name: 'acme' }, local.region, '/p'), local.id)).toBe(false);
  });

  test('the engine: nothing to wait for (no namespace deleted, or the provider waited) reaches no cluster and says nothing', async () => {
    const events: EngineEvent[] = [];
    const ctx = (projectDir: string): RunContext => ({
      projectDir,
      config: platformSchema.parse({ apiVersion: 'platform.dev/v1', name: 'acme', regions: [stack('cluster/eu').region] }),
      state: resolveStateLocation(undefined, projectDir),
      onEvent: (e) => events.push(e),
    });
    // No plane and no state here: reaching a cluster would throw.
    await expect(awaitNamespacesGone([], testStack(), ctx('/nonexistent'))).resolves.toBeUndefined();
    await expect(awaitNamespacesGone(['velero'], stack('cluster/eu'), ctx('/nonexistent'))).resolves.toBeUndefined();
    await expect(awaitNamespacesGone(['shop'], stack('observability/eu'), ctx('/nonexistent'))).rejects.toThrow(/cluster of region eu does not exist yet/);
    expect(events.map((e) => e.type === 'diagnostic' && e.message)).toEqual(['waiting for namespace shop to be deleted']);
  });
});
