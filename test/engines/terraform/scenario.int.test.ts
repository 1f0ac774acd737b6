/**
 * The scenario with `engine: terraform`: examples/local/platform.yaml (two local regions,
 * tenants, a canary service behind Istio, observability and DR CRs) applied in DAG
 * order (through the orchestrator, independent stacks at once) by the real tofu against the real local plane; re-plan is clean; replicas + canary weight
 * change shows exactly those fields; apply; Loki and Tempo enabled, then Loki removed; destroy leaves
 * nothing with our labels.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { loadConfig } from '../../../src/config/load.js';
import type { PlatformConfig } from '../../../src/config/schema.js';
import { TerraformEngine } from '../../../src/engines/terraform/engine.js';
import type { EngineEvent, RunContext, StackResult } from '../../../src/engines/types.js';
import { resolveStateLocation } from '../../../src/state/location.js';
import { kubeAccess } from '../../../src/kube/access.js';
import { localDown, localUp } from '../../../src/local/index.js';
import { runStacks } from '../../../src/orchestrate/run.js';
import { planStacks, topoOrder } from '../../../src/stacks/plan.js';
import type { StackInstance } from '../../../src/stacks/types.js';
import { resolveTool } from '../../../src/toolchain/index.js';

const EXAMPLE = new URL('../../../examples/local/platform.yaml', import.meta.url);
const engine = new TerraformEngine();
let projectDir: string;
let configFile: string;
let config: PlatformConfig;
const events: EngineEvent[] = [];

function load(): { config: PlatformConfig; stacks: StackInstance[] } {
  const loaded = loadConfig(configFile);
  return { config: loaded.config, stacks: topoOrder(planStacks(loaded.config)) };
}
const ctx = (c: PlatformConfig): RunContext => ({ projectDir, config: c, state: resolveStateLocation(c.state, projectDir), onEvent: (e) => events.push(e) });

// Through the orchestrator `platform apply` uses, at its default parallelism: independent stacks (the two
// regions, sibling tenants and services) run at once, dependents wait (destroy: in reverse).
async function runAll(op: 'plan' | 'apply' | 'destroy', only: (id: string) => boolean = () => true): Promise<StackResult[]> {
  const { config: c, stacks: all } = load();
  const stacks = all.filter((s) => only(s.id));
  const { onEvent, ...context } = ctx(c);
  const report = await runStacks({ operation: op, stacks, engine, context, parallel: availableParallelism(), onEvent });
  return report.stacks;
}

/** Polls kubectl until `check` holds (the operator and kwok work asynchronously after the apply returns). */
async function eventually(what: string, read: () => string, check: (out: string) => boolean, timeoutMs = 120_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; ; await new Promise((resolve) => setTimeout(resolve, 1_000))) {
    const out = read();
    if (check(out)) return;
    if (Date.now() > deadline) throw new Error(`${what}: still ${out} after ${timeoutMs / 1000} s`);
  }
}

function kubectl(region: string, args: string[]): string {
  const access = kubeAccess(
    config,
    config.regions.find((r) => r.name === region)!,
    projectDir,
  );
  return execFileSync(resolveTool('kubectl'), ['--kubeconfig', access.kubeconfig, '--context', access.context, ...args], { encoding: 'utf8' });
}

beforeAll(async () => {
  projectDir = mkdtempSync(join(tmpdir(), 'tf-scenario-'));
  configFile = join(projectDir, 'platform.yaml');
  copyFileSync(EXAMPLE, configFile);
  writeFileSync(configFile, readFileSync(configFile, 'utf8').replace(/^engine: pulumi$/m, 'engine: terraform'));
  config = load().config;
  expect(config.engine).toBe('terraform');
  await localUp(config, projectDir);
});
afterAll(async () => {
  if (!projectDir) return;
  try {
    // Unset when loading the config failed in beforeAll.
    const loaded = config as PlatformConfig | undefined;
    if (loaded) await localDown(loaded, projectDir, { purge: true });
  } finally {
    rmSync(projectDir, { recursive: true, force: true });
  }
});

describe('examples/local with engine: terraform', () => {
  test('apply every stack in DAG order: objects live, Deployments Available', async () => {
    const results = await runAll('apply');
    expect(results.filter((r) => r.status !== 'ok').map((r) => `${r.id}: ${r.error?.message}`)).toEqual([]);
    expect(results.every((r) => r.engine === 'terraform')).toBe(true);
    for (const region of ['eu', 'us']) {
      const deployments = JSON.parse(kubectl(region, ['get', 'deployments', '-A', '-l', 'platform.dev/project=acme', '-o', 'json'])) as {
        items: Array<{ metadata: { name: string; namespace: string }; status?: { conditions?: Array<{ type: string; status: string }> } }>;
      };
      // The control planes the stacks install are among them.
      expect(deployments.items.map((d) => `${d.metadata.namespace}/${d.metadata.name}`)).toEqual(
        expect.arrayContaining([
          'istio-system/istiod',
          'istio-system/istio-ingressgateway',
          'monitoring/prometheus-operator',
          'monitoring/grafana',
          'velero/velero',
        ]),
      );
      const agent = JSON.parse(kubectl(region, ['get', 'daemonset', 'node-agent', '-n', 'velero', '-o', 'json'])) as { status: { numberReady: number } };
      expect(agent.status.numberReady).toBeGreaterThan(0);
      for (const d of deployments.items)
        expect([d.metadata.name, d.status?.conditions?.find((c) => c.type === 'Available')?.status]).toEqual([d.metadata.name, 'True']);
    }
    // The canary routing and an observability CR are live with the right fields.
    const vs = JSON.parse(kubectl('eu', ['get', 'virtualservices.networking.istio.io', 'checkout', '-n', 'payments', '-o', 'json'])) as {
      spec: { http: Array<{ route: Array<{ weight: number }> }> };
    };
    expect(vs.spec.http[0].route.map((r) => r.weight)).toEqual([90, 10]);
  });

  test('the local plane’s Prometheus operator makes the StatefulSets; Prometheus and Alertmanager report Available', async () => {
    for (const region of ['eu', 'us']) {
      const available = '{range .items[*]}{.kind}={.status.conditions[?(@.type=="Available")].status} {end}';
      await eventually(
        `${region} Prometheus/Alertmanager Available`,
        () => kubectl(region, ['get', 'prometheuses,alertmanagers', '-n', 'monitoring', '-o', `jsonpath=${available}`]).trim(),
        (out) => out === 'Prometheus=True Alertmanager=True',
      );
      const sets = kubectl(region, [
        'get',
        'statefulsets',
        '-n',
        'monitoring',
        '-o',
        'jsonpath={range .items[*]}{.metadata.name}:{.status.readyReplicas} {end}',
      ]);
      expect(sets.trim().split(' ').sort()).toEqual(['alertmanager-platform:1', 'prometheus-platform:1']);
    }
  });

  test('a plan right after shows no changes in any stack', async () => {
    const results = await runAll('plan');
    expect(
      results
        .filter((r) => r.status !== 'ok')
        .map((r) => `${r.id}: ${r.status} ${r.error?.message ?? JSON.stringify(r.resources.filter((c) => c.op !== 'same'))}`),
    ).toEqual([]);
  });

  test('replicas and canary weight change: plan shows exactly those fields; apply makes them live', async () => {
    const text = readFileSync(configFile, 'utf8');
    const changed = text
      .replace(/(name: checkout[\s\S]*?replicas: )2/, '$13')
      .replace(/canary: \{ image: ghcr.io\/acme\/checkout:1.5.0, weight: 10 \}/, 'canary: { image: ghcr.io/acme/checkout:1.5.0, weight: 20 }');
    expect(changed).not.toBe(text);
    writeFileSync(configFile, changed);

    const plans = await runAll('plan');
    const changedStacks = plans.filter((r) => r.status === 'changes');
    expect(plans.filter((r) => r.status === 'failed')).toEqual([]);
    expect(changedStacks.map((r) => r.id).sort()).toEqual(['app/eu/payments/checkout', 'app/us/payments/checkout']);
    for (const r of changedStacks) {
      const updates = r.resources
        .filter((c) => c.op !== 'same')
        .map((c) => ({ op: c.op, type: c.type, name: c.name, diff: c.diff }))
        .sort((a, b) => a.type.localeCompare(b.type));
      expect(updates).toEqual([
        { op: 'update', type: 'apps/v1:Deployment', name: 'payments/checkout', diff: [{ path: '/spec/replicas', old: 2, new: 3 }] },
        {
          op: 'update',
          type: 'networking.istio.io/v1:VirtualService',
          name: 'payments/checkout',
          diff: [
            { path: '/spec/http/0/route/0/weight', old: 90, new: 80 },
            { path: '/spec/http/0/route/1/weight', old: 10, new: 20 },
          ],
        },
      ]);
    }

    // Apply and re-plan the two changed stacks; the unchanged ones were planned clean just above.
    const applied = await runAll('apply', (id) => changedStacks.some((r) => r.id === id));
    expect(applied.filter((r) => r.status !== 'ok').map((r) => `${r.id}: ${r.error?.message}`)).toEqual([]);
    for (const region of ['eu', 'us']) {
      const d = JSON.parse(kubectl(region, ['get', 'deployment', 'checkout', '-n', 'payments', '-o', 'json'])) as { spec: { replicas: number } };
      expect(d.spec.replicas).toBe(3);
      const vs = JSON.parse(kubectl(region, ['get', 'virtualservices.networking.istio.io', 'checkout', '-n', 'payments', '-o', 'json'])) as {
        spec: { http: Array<{ route: Array<{ weight: number }> }> };
      };
      expect(vs.spec.http[0].route.map((r) => r.weight)).toEqual([80, 20]);
    }
    expect((await runAll('plan', (id) => changedStacks.some((r) => r.id === id))).filter((r) => r.status !== 'ok').map((r) => r.id)).toEqual([]);
  });

  test('Loki and Tempo: enabled, both run; Loki removed from platform.yaml, the next apply deletes it and nothing else', async () => {
    const observability = (id: string): boolean => id.startsWith('observability/');
    const edit = (from: RegExp, to: string): void => {
      const text = readFileSync(configFile, 'utf8');
      expect(text).toMatch(from);
      writeFileSync(configFile, text.replace(from, to));
    };
    const readyReplicas = (region: string, name: string): string =>
      kubectl(region, ['get', 'statefulset', name, '-n', 'monitoring', '--ignore-not-found', '-o', 'jsonpath={.status.readyReplicas}']).trim();
    const notOk = (results: StackResult[]): string[] => results.filter((r) => r.status !== 'ok').map((r) => `${r.id}: ${r.status} ${r.error?.message ?? ''}`);

    edit(/^ {2}grafana: \{ enabled: true \}$/m, '  grafana: { enabled: true }\n  loki: { enabled: true, retention: 3d }\n  tempo: { enabled: true }');
    expect(notOk(await runAll('apply', observability))).toEqual([]);
    for (const region of ['eu', 'us'])
      for (const name of ['loki', 'tempo'])
        await eventually(
          `${region} ${name} ready`,
          () => readyReplicas(region, name),
          (out) => out === '1',
          60_000,
        );

    edit(/^ {2}loki: \{ enabled: true, retention: 3d \}\n/m, '');
    const removed = await runAll('plan', observability);
    expect(removed.map((r) => `${r.id}: ${r.status}`).sort()).toEqual(['observability/eu: changes', 'observability/us: changes']);
    for (const r of removed) {
      const deleted = r.resources.filter((c) => c.op === 'delete').map((c) => c.name);
      expect(deleted.length, r.id).toBeGreaterThan(0);
      expect(
        deleted.filter((name) => !name.includes('loki')),
        r.id,
      ).toEqual([]);
      expect(r.changes.create, r.id).toBe(0);
    }
    expect(notOk(await runAll('apply', observability))).toEqual([]);
    for (const region of ['eu', 'us']) {
      expect(readyReplicas(region, 'loki')).toBe('');
      expect(readyReplicas(region, 'tempo')).toBe('1');
    }
    expect(notOk(await runAll('plan', observability))).toEqual([]);
  });

  test('destroy in reverse DAG order leaves no object with our labels', async () => {
    const results = await runAll('destroy');
    expect(results.filter((r) => r.status !== 'ok').map((r) => `${r.id}: ${r.error?.message}`)).toEqual([]);
    // Every Namespace the destroy deleted is gone when it returns (NotFound, not Terminating).
    for (const region of ['eu', 'us']) expect(kubectl(region, ['get', 'namespaces', '-l', 'platform.dev/project=acme', '-o', 'name']).trim(), region).toBe('');
    for (const region of ['eu', 'us']) {
      // The operator's StatefulSets carry their CR's labels: they go with their owner.
      await eventually(
        `${region} StatefulSets gone`,
        () => kubectl(region, ['get', 'statefulsets', '-A', '-o', 'name']).trim(),
        (out) => out === '',
        60_000,
      );
      const kinds = kubectl(region, ['api-resources', '--verbs=list', '-o', 'name']).split('\n').filter(Boolean).join(',');
      const left = kubectl(region, ['get', kinds, '-A', '-l', 'platform.dev/project=acme', '-o', 'name', '--ignore-not-found']).split('\n').filter(Boolean);
      expect(left).toEqual([]);
    }
  });
});
