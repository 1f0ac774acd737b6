/**
 * The issue's "Done when" for examples/local/platform.yaml with the real pulumi on the local plane
 * (two regions): apply every stack in DAG order → objects live, Deployments Available → plan clean →
 * change a service's replicas and canary weight → exactly those fields change → apply → destroy in
 * reverse order leaves nothing labelled platform.dev/project.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDrift } from '../../../src/drift/run.js';
import { PulumiEngine } from '../../../src/engines/pulumi/engine.js';
import type { StackResult } from '../../../src/engines/types.js';
import type { KubeClient } from '../../../src/kube/client.js';
import { localStatus } from '../../../src/local/index.js';
import { runStacks } from '../../../src/orchestrate/run.js';
import { planStacks, topoOrder } from '../../../src/stacks/plan.js';
import type { StackInstance } from '../../../src/stacks/types.js';
import { clientFor, COMMON_KINDS, createProject, labelledObjects, planeDown, planeUp, type Project } from './harness.js';

type Conditions = { status?: { conditions?: Array<{ type: string; status: string }> } };
const MONITORING_V1 = 'monitoring.coreos.com/v1';

/** Polls until `check` holds (the operator and kwok work asynchronously after the apply returns). */
async function eventually<T>(what: string, read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}
const availableStatus = (o: Conditions | null | undefined): string | undefined => o?.status?.conditions?.find((c) => c.type === 'Available')?.status;

describe('examples/local/platform.yaml through the Pulumi engine', () => {
  let project: Project;
  const clients = new Map<string, KubeClient>();
  const engine = new PulumiEngine();
  const stacks = (): StackInstance[] => topoOrder(planStacks(project.config));

  // Through the orchestrator `platform apply` uses, at its default parallelism: independent stacks run at
  // once, dependents wait for their dependencies (destroy: for their dependents).
  const runAll = async (op: 'plan' | 'apply' | 'destroy', list = stacks()): Promise<StackResult[]> => {
    const { onEvent, ...context } = project.ctx();
    const report = await runStacks({ operation: op, stacks: list, engine, context, parallel: availableParallelism(), onEvent });
    const failed = report.stacks.filter((r) => r.status === 'failed' || r.status === 'skipped');
    if (failed.length > 0) throw new Error(`${op} failed: ${failed.map((r) => `${r.id}: ${r.error?.message ?? r.reason}`).join('; ')}`);
    return report.stacks;
  };

  beforeAll(async () => {
    project = createProject({ example: 'examples/local/platform.yaml' });
    await planeUp(project);
    for (const r of project.config.regions) clients.set(r.name, await clientFor(project, r));
  });
  afterAll(async () => {
    for (const c of clients.values()) c.close();
    const started = project as Project | undefined; // unset when beforeAll failed early
    if (started) await planeDown(started);
  });

  it('applies every stack; the objects are live with the right fields; Deployments are Available', async () => {
    expect(stacks().some((s) => s.objects.length > 0)).toBe(true);
    const results = await runAll('apply');
    const total = results.reduce((n, r) => n + r.changes.create, 0);
    expect(total).toBeGreaterThan(20);
    for (const region of project.config.regions) {
      const client = clients.get(region.name)!;
      const deployments = await client.list('apps/v1', 'Deployment', undefined, `platform.dev/project=${project.config.name}`);
      // The control planes the stacks install (istiod, gateway, operator, Grafana, Velero) are among them.
      expect(deployments.map((d) => `${d.metadata.namespace}/${d.metadata.name}`)).toEqual(
        expect.arrayContaining([
          'istio-system/istiod',
          'istio-system/istio-ingressgateway',
          'monitoring/prometheus-operator',
          'monitoring/grafana',
          'velero/velero',
        ]),
      );
      const agents = await client.list('apps/v1', 'DaemonSet', 'velero', `platform.dev/project=${project.config.name}`);
      expect(agents.map((d) => d.metadata.name)).toEqual(['node-agent']);
      expect(await client.get({ apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', namespace: 'monitoring', name: 'platform' })).toMatchObject({
        spec: { retention: '15d' },
      });
      for (const d of deployments) {
        const conditions = (d.status as { conditions?: Array<{ type: string; status: string }> }).conditions ?? [];
        expect(conditions, `${region.name} ${d.metadata.namespace}/${d.metadata.name}`).toContainEqual(
          expect.objectContaining({ type: 'Available', status: 'True' }),
        );
      }
      const checkout = await client.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'payments', name: 'checkout' });
      expect((checkout?.spec as { replicas: number }).replicas).toBe(2);
    }
  });

  it('the local plane’s Prometheus operator turns the CRs into StatefulSets whose pods kwok runs: Prometheus and Alertmanager are Available', async () => {
    expect((await localStatus(project.config, project.dir)).regions.map((r) => r.prometheusOperator)).toEqual(['running', 'running']);
    for (const region of project.config.regions) {
      const client = clients.get(region.name)!;
      for (const kind of ['Prometheus', 'Alertmanager']) {
        const read = async () => (await client.get({ apiVersion: MONITORING_V1, kind, namespace: 'monitoring', name: 'platform' })) as Conditions | null;
        await eventually(`${region.name} ${kind} Available`, read, (o) => availableStatus(o) === 'True');
      }
      const sets = await client.list('apps/v1', 'StatefulSet', 'monitoring');
      expect(
        sets
          .map((s) => [
            s.metadata.name,
            (s.status as { readyReplicas?: number }).readyReplicas,
            (s.metadata as { ownerReferences?: Array<{ kind: string }> }).ownerReferences?.[0]?.kind,
          ])
          .sort(),
        region.name,
      ).toEqual([
        ['alertmanager-platform', 1, 'Alertmanager'],
        ['prometheus-platform', 1, 'Prometheus'],
      ]);
    }
  });

  it('plans no changes right after apply', async () => {
    const results = await runAll('plan');
    const dirty = results.filter((r) => r.status !== 'ok').map((r) => ({ id: r.id, resources: r.resources }));
    expect(dirty).toEqual([]);
  });

  it('a replicas + canary weight change shows exactly those field changes, and applies', async () => {
    const text = readFileSync(project.configFile, 'utf8');
    const edited = text
      .replace(/(name: checkout[\s\S]*?replicas: )2/, '$13')
      .replace(/(canary: \{ image: ghcr\.io\/acme\/checkout:1\.5\.0, weight: )10/, '$125');
    expect(edited).not.toBe(text);
    writeFileSync(project.configFile, edited);
    project.reload();

    const results = await runAll('plan');
    const changed = results.filter((r) => r.status === 'changes');
    const checkoutRegions = project.config.services.find((s) => s.name === 'checkout')!.regions ?? project.config.regions.map((r) => r.name);
    expect(changed.map((r) => r.id).sort()).toEqual(checkoutRegions.map((r) => `app/${r}/payments/checkout`).sort());
    for (const r of changed) {
      expect(r.changes).toMatchObject({ create: 0, delete: 0, replace: 0, update: 2 });
      const byType = Object.fromEntries(r.resources.map((x) => [`${x.type} ${x.name}`, x.diff]));
      expect(byType).toEqual({
        'apps/v1:Deployment payments/checkout': [{ path: '/spec/replicas', old: 2, new: 3 }],
        'networking.istio.io/v1:VirtualService payments/checkout': [
          { path: '/spec/http/0/route/0/weight', old: 90, new: 75 },
          { path: '/spec/http/0/route/1/weight', old: 10, new: 25 },
        ],
      });
    }
    await runAll(
      'apply',
      stacks().filter((s) => changed.some((c) => c.id === s.id)),
    );
    const live = await clients.get(project.config.regions[0].name)!.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'payments', name: 'checkout' });
    expect((live?.spec as { replicas: number }).replicas).toBe(3);
    // Re-plan the changed stacks; the others were planned clean just above.
    expect(
      (
        await runAll(
          'plan',
          stacks().filter((s) => changed.some((c) => c.id === s.id)),
        )
      ).every((r) => r.status === 'ok'),
    ).toBe(true);
  });

  it('Loki and Tempo are installed when enabled; removing Loki removes it on the next apply; drift sees none of it as noise', async () => {
    const observability = (): StackInstance[] => stacks().filter((s) => s.layer === 'observability');
    const edit = (from: RegExp, to: string): void => {
      const text = readFileSync(project.configFile, 'utf8');
      expect(text).toMatch(from);
      writeFileSync(project.configFile, text.replace(from, to));
      project.reload();
    };
    const loki = { apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: 'monitoring', name: 'loki' };
    edit(/^ {2}grafana: \{ enabled: true \}$/m, '  grafana: { enabled: true }\n  loki: { enabled: true, retention: 3d }\n  tempo: { enabled: true }');
    // Only the observability stacks read these keys (drift below checks every stack against the live clusters).
    const added = await runAll('plan', observability());
    expect(added.filter((r) => r.status === 'changes').map((r) => r.id)).toEqual(observability().map((s) => s.id));
    await runAll('apply', observability());
    for (const client of clients.values()) {
      for (const name of ['loki', 'tempo']) {
        // kwok runs the pods the StatefulSet controller creates.
        const ready = async (): Promise<number | undefined> =>
          ((await client.get({ ...loki, name }))?.status as { readyReplicas?: number } | undefined)?.readyReplicas;
        await expect.poll(ready, { timeout: 60_000, interval: 1_000 }).toBe(1);
      }
    }

    edit(/^ {2}loki: \{ enabled: true, retention: 3d \}\n/m, '');
    const removed = await runAll('plan', observability());
    const changed = removed.filter((r) => r.status === 'changes');
    expect(changed.map((r) => r.id)).toEqual(observability().map((s) => s.id));
    for (const r of changed) {
      const deleted = r.resources.filter((c) => c.op === 'delete').map((c) => c.name);
      expect(deleted.length, r.id).toBeGreaterThan(0);
      expect(
        deleted.every((name) => name.includes('loki')),
        `${r.id}: ${deleted.join(', ')}`,
      ).toBe(true);
      expect(r.changes.create, r.id).toBe(0);
    }
    await runAll('apply', observability());
    for (const client of clients.values()) {
      expect(await client.get(loki)).toBeUndefined();
      expect(await client.get({ ...loki, name: 'tempo' })).toBeDefined();
    }
    expect((await runAll('plan', observability())).filter((r) => r.status !== 'ok').map((r) => r.id)).toEqual([]);

    // Drift compares platform.yaml at a Git ref with the state and the live clusters.
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: project.dir, encoding: 'utf8' });
    git('init', '-q');
    git('add', 'platform.yaml');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'estate');
    const drift = await checkDrift({ configFile: project.configFile, ref: 'HEAD' });
    const problems = drift.report.stacks.flatMap((s) => [
      ...(s.error ? [`${s.id}: ${s.error}`] : []),
      ...s.findings.map((f) => `${s.id} ${f.class} ${f.kind}/${f.name}`),
    ]);
    expect(problems).toEqual([]);
    expect(drift.report.exitCode).toBe(0);
  });

  it('destroys every stack, children first; nothing with our labels is left', async () => {
    await runAll('destroy');
    for (const region of project.config.regions) {
      // A fresh client: the kept one's discovery still lists the kinds whose CRDs the destroy removed.
      const fresh = await clientFor(project, region);
      try {
        expect(await labelledObjects(fresh, project.config.name, COMMON_KINDS)).toEqual([]);
      } finally {
        fresh.close();
      }
      // The operator's StatefulSets carry the CRs' labels: gone with their owners.
      await eventually(
        `${region.name} StatefulSets gone`,
        () => clients.get(region.name)!.list('apps/v1', 'StatefulSet', 'monitoring'),
        (sets) => sets.length === 0,
        60_000,
      );
    }
    // Its CRDs went with the stack: the operator stops and waits for them again, instead of failing its watches.
    await eventually(
      'operators waiting after destroy',
      async () => (await localStatus(project.config, project.dir)).regions.map((r) => r.prometheusOperator),
      (states) => states.every((s) => s === 'waiting'),
      30_000,
    );
  });
});
