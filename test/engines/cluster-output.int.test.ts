/**
 * A cloud region's Kubernetes stack reaching its cluster through the cluster stack's `kubeconfig`
 * output, with the real engines. No cloud is reachable here, so the "cloud" is the local plane, in the
 * two kubeconfig shapes the clouds output: `cloud: azure` (AKS: a client certificate, like the local
 * plane's) and `cloud: aws` (EKS/GKE: an exec plugin, here a script that hands out the local plane's
 * client certificate as an ExecCredential). The cluster stack's state is made by the real engine with
 * only its `kubeconfig` output (names = the cluster's). Then, per engine and shape: a plan before that
 * state exists shows every object as to be created; apply stops with a clear error; once the output is
 * there, apply reaches the cluster through it (Pulumi: StackReference → provider; Terraform:
 * terraform_remote_state → kubectl), in-process readers decrypt it in memory, and no file holds it.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse, stringify } from 'yaml';
import { platformSchema, type PlatformConfig, type Region } from '../../src/config/schema.js';
import { KubeClient } from '../../src/kube/client.js';
import { localKubeconfigPath, resolveKubeAccess } from '../../src/kube/access.js';
import { openStack, PulumiEngine } from '../../src/engines/pulumi/engine.js';
import { pulumiStateReader } from '../../src/engines/pulumi/state.js';
import { TerraformEngine } from '../../src/engines/terraform/engine.js';
import { terraformStateReader, terraformStateWhere } from '../../src/engines/terraform/state.js';
import { runTofu, tofuBinary } from '../../src/engines/terraform/tofu.js';
import type { EngineEvent, RunContext } from '../../src/engines/types.js';
import type { StackInstance } from '../../src/stacks/types.js';
import { resolveStateLocation } from '../../src/state/location.js';
import { openStateStore } from '../../src/state/store.js';
import { startHarness, type Harness } from './terraform/harness.js';
import { testStack } from './terraform/fixtures.js';

const PROJECT = 'acme';
const CLUSTER_NAME = `${PROJECT}-eu`;
type EngineName = 'terraform' | 'pulumi';
type Shape = 'azure' | 'aws';
const REGIONS: Record<Shape, Region> = {
  azure: { name: 'eu', cloud: 'azure', location: 'westeurope', role: 'primary' },
  aws: { name: 'eu', cloud: 'aws', location: 'eu-west-1', role: 'primary' },
};
let h: Harness;
/** The local plane's credentials as the cluster stack would output them (names = the cluster's), per shape. */
const kubeconfigs = {} as Record<Shape, string>;
let clientKey: string;
/** The exec plugin's fixture (it holds the credentials it hands out). */
let execDir: string;

beforeAll(async () => {
  h = await startHarness({ name: PROJECT, engine: 'terraform', regions: [{ name: 'eu', cloud: 'local', location: 'local-eu', role: 'primary' }] });
  const local = parse(readFileSync(localKubeconfigPath(h.projectDir), 'utf8')) as {
    clusters: Array<{ name: string; cluster: Record<string, unknown> }>;
    users: Array<{ name: string; user: Record<string, string> }>;
  };
  const cluster = local.clusters.find((c) => c.name === 'eu')!.cluster;
  const user = local.users.find((u) => u.name === 'eu')!.user;
  clientKey = user['client-key-data'];
  const shaped = (u: Record<string, unknown>): string =>
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: CLUSTER_NAME, cluster }],
      users: [{ name: CLUSTER_NAME, user: u }],
      contexts: [{ name: CLUSTER_NAME, context: { cluster: CLUSTER_NAME, user: CLUSTER_NAME } }],
      'current-context': CLUSTER_NAME,
    });
  kubeconfigs.azure = shaped(user);
  // EKS's shape: `aws eks get-token` is an exec plugin; this one prints the local plane's client certificate.
  execDir = join(h.projectDir, 'fake-eks');
  mkdirSync(execDir, { recursive: true });
  const pem = (b64: string): string => Buffer.from(b64, 'base64').toString('utf8');
  const credential = {
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    kind: 'ExecCredential',
    status: { clientCertificateData: pem(user['client-certificate-data']), clientKeyData: pem(user['client-key-data']) },
  };
  writeFileSync(join(execDir, 'credential.json'), JSON.stringify(credential));
  const plugin = join(execDir, 'get-token');
  writeFileSync(plugin, `#!/bin/sh\ncat '${join(execDir, 'credential.json')}'\n`, { mode: 0o755 });
  kubeconfigs.aws = shaped({
    exec: {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: plugin,
      args: ['eks', 'get-token', '--cluster-name', CLUSTER_NAME],
      interactiveMode: 'Never',
    },
  });
}, 300_000);
afterAll(async () => {
  await (h as Harness | undefined)?.down();
});

const configFor = (engine: EngineName, shape: Shape): PlatformConfig =>
  platformSchema.parse({ apiVersion: 'platform.dev/v1', name: PROJECT, engine, regions: [REGIONS[shape]] });
/** Each engine × shape is a fresh estate: its own state location. */
const ctxFor = (engine: EngineName, shape: Shape, events: EngineEvent[]): RunContext => ({
  ...h.ctx(),
  config: configFor(engine, shape),
  state: resolveStateLocation(`file://.platform/state-${engine}-${shape}`, h.projectDir),
  onEvent: (e) => events.push(e),
});
const stackFor = (engine: EngineName, shape: Shape, ns: string): StackInstance => ({
  ...testStack({ region: REGIONS[shape], namespace: ns, project: PROJECT }),
  engine,
});

/** Every file under dir (but the skipped ones) whose bytes contain `needle`. */
function filesContaining(dir: string, needle: string, skip: string[]): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const file = join(d, name);
      if (skip.some((s) => file.startsWith(s))) continue;
      const st = statSync(file, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) walk(file);
      else if (st.size < 50_000_000 && readFileSync(file).includes(needle)) out.push(file);
    }
  };
  walk(dir);
  return out;
}

const liveNamespace = (name: string): boolean => h.get('eu', 'namespace', name) !== undefined;

/** The cluster stack's state as its engine writes it (same backend, encrypted), holding only the `kubeconfig` output. */
async function createClusterState(engine: EngineName, shape: Shape, ctx: RunContext): Promise<void> {
  if (engine === 'pulumi') {
    const cluster: StackInstance = { ...stackFor(engine, shape, 'unused'), id: 'cluster/eu', layer: 'cluster', objects: [], label: 'cluster.eu' };
    const { stack } = await openStack(cluster, ctx, () => Promise.resolve({ kubeconfig: pulumi.secret(kubeconfigs[shape]) }));
    await stack.up();
    return;
  }
  const dir = join(h.projectDir, `cluster-state-maker-${shape}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'main.tf.json'),
    JSON.stringify({
      terraform: { backend: { local: { path: terraformStateWhere(ctx.state, 'cluster/eu') } } },
      variable: { kubeconfig: { type: 'string', sensitive: true } },
      output: { kubeconfig: { value: '${var.kubeconfig}', sensitive: true } },
    }),
  );
  const bin = tofuBinary(h.projectDir);
  for (const args of [
    ['init', '-input=false'],
    ['apply', '-input=false', '-auto-approve'],
  ]) {
    const run = await runTofu(bin, args, { cwd: dir, env: { TF_VAR_kubeconfig: kubeconfigs[shape] }, keepStdout: true });
    expect(run.exitCode, run.stderr).toBe(0);
  }
  rmSync(dir, { recursive: true, force: true });
}

const VARIANTS: Array<[EngineName, Shape]> = [
  ['terraform', 'azure'],
  ['pulumi', 'azure'],
  ['terraform', 'aws'],
  ['pulumi', 'aws'],
];

describe.each(VARIANTS)('%s, %s-shaped kubeconfig: a cloud region reaches its cluster through the cluster stack output', (engineName, shape) => {
  const ns = `out-${engineName}-${shape}`;
  const events: EngineEvent[] = [];
  const engine = engineName === 'terraform' ? new TerraformEngine() : new PulumiEngine();
  const ctx = (): RunContext => ctxFor(engineName, shape, events);
  const stack = (): StackInstance => stackFor(engineName, shape, ns);
  const reader = () =>
    (engineName === 'terraform' ? terraformStateReader : pulumiStateReader)({ projectDir: h.projectDir, project: PROJECT, state: ctx().state });

  test('plan before the cluster exists: every object is to be created, with the reason; nothing is applied', async () => {
    const result = await engine.run('plan', stack(), ctx());
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('changes');
    expect(result.changes).toMatchObject({ create: 3, update: 0, delete: 0 });
    expect(result.resources.filter((r) => r.op !== 'same').map((r) => `${r.op} ${r.type} ${r.name}`)).toEqual(
      expect.arrayContaining([`create v1:Namespace ${ns}`, `create v1:ConfigMap ${ns}/settings`, `create apps/v1:Deployment ${ns}/web`]),
    );
    expect(events.some((e) => e.type === 'diagnostic' && e.message.startsWith('cluster/eu has not created the cluster yet'))).toBe(true);
    expect(liveNamespace(ns)).toBe(false);
  }, 180_000);

  test('apply before the cluster exists stops before the engine, naming what to apply first', async () => {
    const result = await engine.run('apply', stack(), ctx());
    expect(result.status).toBe('failed');
    expect(result.error?.message).toBe('the cluster of region eu does not exist yet: cluster/eu has no `kubeconfig` output in its state');
    expect(result.error?.hint).toContain('platform apply cluster/eu');
  }, 60_000);

  test('once cluster/eu outputs its kubeconfig (a secret), apply reaches the cluster through it, and no file holds it in clear', async () => {
    await createClusterState(engineName, shape, ctx());
    // The engine's reader decrypts the real state's output in memory.
    expect(await reader().output('cluster/eu', 'kubeconfig')).toBe(kubeconfigs[shape]);

    // The run's state store, counted: the engine reads the output through it, not through a store of its own.
    const runCtx = ctx();
    const opened = await openStateStore(runCtx.state);
    let reads = 0;
    const store = new Proxy(opened, { get: (target, p) => (p === 'read' ? (key: string) => (reads++, target.read(key)) : Reflect.get(target, p)) });
    const result = await engine.run('apply', stack(), { ...runCtx, store });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('ok');
    expect(liveNamespace(ns)).toBe(true);
    expect(reads).toBeGreaterThan(0);

    // Drift's way in: the same output, held in memory.
    const access = await resolveKubeAccess(configFor(engineName, shape), REGIONS[shape], h.projectDir, (id, name) => reader().output(id, name));
    const client = await KubeClient.connect(access);
    try {
      expect(await client.get({ apiVersion: 'v1', kind: 'Namespace', name: ns })).toBeDefined();
    } finally {
      client.close();
    }
    // The client key is in no file of the project (states are encrypted; the local plane's own kubeconfig and the exec fixture aside).
    expect(filesContaining(h.projectDir, clientKey, [localKubeconfigPath(h.projectDir), join(h.projectDir, '.platform', 'local'), execDir])).toEqual([]);
  }, 300_000);

  test('re-plan is clean and destroy removes the objects through the same access', async () => {
    const plan = await engine.run('plan', stack(), ctx());
    expect(plan.error).toBeUndefined();
    expect(plan.status).toBe('ok');
    const destroyed = await engine.run('destroy', stack(), ctx());
    expect(destroyed.error).toBeUndefined();
    expect(liveNamespace(ns)).toBe(false);
  }, 300_000);
});
