/**
 * How the Pulumi program of a cloud region reaches its cluster, under runtime mocks (no cloud here):
 * the Kubernetes stacks' provider takes the cluster stack's `kubeconfig` output through a
 * StackReference, as a secret, and every object is registered against that provider; the cluster stack
 * wires its own output; a plan before the cluster exists feeds an unknown; local regions keep the file.
 */
import * as pulumi from '@pulumi/pulumi';
import { describe, expect, test } from 'vitest';
import { loadClouds } from '../../../src/clouds/index.js';
import { regionAccess } from '../../../src/kube/access.js';
import { registerStack, stackReferenceName } from '../../../src/engines/pulumi/program.js';
import { OBJECT_TYPE, pulumiStackName } from '../../../src/engines/pulumi/state.js';
import type { StackInstance } from '../../../src/stacks/types.js';
import { exampleStacks } from '../../clouds/fixtures.js';

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  provider?: string;
}

const KUBECONFIG = JSON.stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'acme-eu', cluster: { server: 'https://eks.mock' } }] });
const promiseOf = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((resolve) => o.apply((v) => (resolve(v), v)));
const known = <T>(o: pulumi.Output<T>): Promise<boolean> => (o as unknown as { isKnown: Promise<boolean> }).isKnown;

async function run(stack: StackInstance, opts: { clusterPending?: boolean; preview?: boolean } = {}) {
  const registered: Registered[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown>, provider: args.provider });
        if (args.type === 'pulumi:pulumi:StackReference')
          return { id: String(args.inputs.name), state: { name: args.inputs.name, outputs: { kubeconfig: KUBECONFIG }, secretOutputNames: ['kubeconfig'] } };
        if (args.type === 'aws:eks/cluster:Cluster')
          return {
            id: 'eks',
            state: {
              ...args.inputs,
              endpoint: 'https://eks.mock',
              certificateAuthority: { data: 'Q0E=' },
              identities: [{ oidcs: [{ issuer: 'https://oidc' }] }],
            },
          };
        return { id: `${args.name}-id`, state: args.inputs as Record<string, unknown> };
      },
      call: (args) => ({ ...(args.inputs as Record<string, unknown>), zoneId: 'Z', project: 'p', email: 'e@x', emailAddress: 'e@x', address: '203.0.113.1' }),
    },
    'acme',
    pulumiStackName(stack.id),
    opts.preview ?? false,
  );
  await loadClouds('pulumi', [stack]);
  const program = registerStack({
    stack,
    access: regionAccess({ name: 'acme' }, stack.region, '/p'),
    clusterPending: opts.clusterPending,
    crds: [],
    force: false,
    secretsFor: () => ({}),
  });
  await Promise.all([program.provider, ...program.objects, ...program.cloud.resources].map((r) => promiseOf(r.urn)));
  return { program, registered };
}

const multicloud = exampleStacks('multicloud', 'pulumi');
const stackOf = (id: string): StackInstance => multicloud.find((s) => s.id === id)!;

describe("a cloud region's Kubernetes stacks reach the cluster its cluster stack creates", { timeout: 60_000 }, () => {
  test('mesh/eu: a StackReference to cluster/eu; its kubeconfig output, a secret, configures the provider every object uses', async () => {
    const { program, registered } = await run(stackOf('mesh/eu'));
    const refs = registered.filter((r) => r.type === 'pulumi:pulumi:StackReference');
    expect(refs).toHaveLength(1);
    expect(refs[0].inputs.name).toBe(stackReferenceName('acme', 'cluster/eu'));
    expect(refs[0].inputs.name).toBe('organization/acme/cluster.eu');

    expect(program.kubeconfigData).toBeDefined();
    expect(await pulumi.isSecret(program.kubeconfigData!)).toBe(true);
    expect(await promiseOf(program.kubeconfigData!)).toBe(KUBECONFIG);

    const provider = registered.find((r) => r.type === 'pulumi:providers:platform')!;
    // On the wire to the provider: a secret (Pulumi's secret signature around the value; provider/main.ts unwraps it).
    expect(provider.inputs).toMatchObject({
      kubeconfigData: { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', value: KUBECONFIG },
      context: 'acme-eu',
    });
    expect(provider.inputs).not.toHaveProperty('kubeconfig');

    // Every object of the stack, against that provider (the provider reference is `<urn>::<id>`).
    const objects = registered.filter((r) => r.type === OBJECT_TYPE);
    expect(objects.length).toBe(stackOf('mesh/eu').objects.length);
    const providerUrn = await promiseOf(program.provider.urn);
    for (const o of objects) expect(o.provider?.startsWith(`${providerUrn}::`), o.name).toBe(true);
  });

  test('every Kubernetes stack of a cloud region reads the same cluster stack; none writes or names a kubeconfig file', async () => {
    for (const stack of multicloud.filter((s) => s.layer !== 'cluster')) {
      const { registered } = await run(stack);
      const [ref] = registered.filter((r) => r.type === 'pulumi:pulumi:StackReference');
      expect(ref.inputs.name, stack.id).toBe(`organization/acme/cluster.${stack.region.name}`);
      const provider = registered.find((r) => r.type === 'pulumi:providers:platform')!;
      expect(provider.inputs.kubeconfig, stack.id).toBeUndefined();
    }
  });

  test("cluster/eu: its own objects (Velero) use its own new cluster's kubeconfig output, a secret, without a StackReference", async () => {
    const { program, registered } = await run(stackOf('cluster/eu'));
    expect(registered.filter((r) => r.type === 'pulumi:pulumi:StackReference')).toHaveLength(0);
    expect(await pulumi.isSecret(program.kubeconfigData!)).toBe(true);
    expect(await pulumi.isSecret(program.cloud.outputs.kubeconfig)).toBe(true);
    const kubeconfig = JSON.parse(await promiseOf(program.kubeconfigData!)) as { clusters: Array<{ cluster: { server: string } }> };
    expect(kubeconfig.clusters[0].cluster.server).toBe('https://eks.mock');
    expect(registered.filter((r) => r.type === OBJECT_TYPE).length).toBeGreaterThan(0);
  });

  test('a plan before cluster/eu exists: the provider gets an unknown secret, nothing reads the missing stack, the objects still register', async () => {
    const { program, registered } = await run(stackOf('mesh/eu'), { clusterPending: true, preview: true });
    expect(registered.filter((r) => r.type === 'pulumi:pulumi:StackReference')).toHaveLength(0);
    expect(await known(program.kubeconfigData!)).toBe(false);
    expect(await pulumi.isSecret(program.kubeconfigData!)).toBe(true);
    expect(registered.filter((r) => r.type === OBJECT_TYPE).length).toBe(stackOf('mesh/eu').objects.length);
  });

  test('a local region keeps its kubeconfig file and context (unchanged)', async () => {
    const local = { ...stackOf('mesh/eu'), region: { ...stackOf('mesh/eu').region, cloud: 'local' as const } };
    const { program, registered } = await run(local);
    expect(program.kubeconfigData).toBeUndefined();
    expect(registered.filter((r) => r.type === 'pulumi:pulumi:StackReference')).toHaveLength(0);
    const provider = registered.find((r) => r.type === 'pulumi:providers:platform')!;
    expect(provider.inputs).toMatchObject({ kubeconfig: '/p/.platform/local/kubeconfig', context: 'eu' });
  });
});
