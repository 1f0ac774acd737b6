/**
 * The catalog against a real API server (the local control plane: kube-apiserver + kwok nodes): every
 * object of the local example is server-side applied with strict field validation in DAG order, with
 * no admission warnings (Pod Security included), the Deployments become Available under the tenant
 * quota, and the tenant roles mean what docs/config.md says — asked of the real RBAC authorizer.
 * This checks the catalog alone (plain kubectl); the engines' own integration tests apply it their way.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import type { PlatformConfig, PlatformInput } from '../../src/config/schema.js';
import { planStacks, topoOrder } from '../../src/stacks/plan.js';
import { REPO_ROOT } from './helpers.js';
import type { KubeObject } from '../../src/objects/model.js';

interface Toolchain {
  resolveTool: (name: 'kubectl') => string;
  loadCrdBundle: (bundle: 'istio' | 'prometheus-operator' | 'velero') => KubeObject[];
}
interface Local {
  localUp: (c: PlatformConfig, dir: string) => Promise<unknown>;
  localDown: (c: PlatformConfig, dir: string, opts?: { purge?: boolean }) => Promise<unknown>;
}

async function prerequisites(): Promise<{ toolchain?: Toolchain; local?: Local; kubectl?: string; why?: string }> {
  try {
    const toolchain = (await import('../../src/toolchain/index.js')) as unknown as Toolchain;
    const local = (await import(/* @vite-ignore */ '../../src/local/index.js')) as unknown as Local;
    const kubectl = toolchain.resolveTool('kubectl');
    for (const b of ['istio', 'prometheus-operator', 'velero'] as const) toolchain.loadCrdBundle(b);
    return { toolchain, local, kubectl };
  } catch (e) {
    return { why: `${(e as Error).message.split('\n')[0]}; run \`platform toolchain install\`` };
  }
}
const pre = await prerequisites();
if (!pre.kubectl) console.warn(`[apiserver.int.test] SKIPPING: ${pre.why}`);

describe.skipIf(!pre.kubectl)('the local example on a real API server', () => {
  let dir: string;
  let config: PlatformConfig;
  const kubectl = (args: string[], input?: string) =>
    execa(pre.kubectl!, ['--kubeconfig', join(dir, '.platform', 'local', 'kubeconfig'), '--context', 'eu', ...args], { reject: false, all: true, input });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'platform-stacks-'));
    // One region keeps it light; a viewer member so every role has someone to ask about.
    const input = parse(readFileSync(join(REPO_ROOT, 'examples/local/platform.yaml'), 'utf8')) as PlatformInput & Record<string, unknown>;
    input.regions = input.regions.filter((r) => r.role === 'primary');
    input.tenants![0].members!.push({ subject: 'viewer@example.com', role: 'viewer' });
    writeFileSync(join(dir, 'platform.yaml'), stringify(input));
    config = loadConfig(join(dir, 'platform.yaml')).config;
    await pre.local!.localUp(config, dir);
  });
  afterAll(async () => {
    if (!dir) return;
    try {
      await pre.local!.localDown(config, dir, { purge: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('applies every object server-side with strict validation and no warnings; Deployments become Available', async () => {
    const crds = (['velero', 'istio', 'prometheus-operator'] as const).flatMap((b) => pre.toolchain!.loadCrdBundle(b));
    const crdApply = await kubectl(['apply', '--server-side', '-f', '-'], crds.map((c) => stringify(c)).join('---\n'));
    expect(crdApply.exitCode, crdApply.all).toBe(0);
    const established = await kubectl(['wait', '--for', 'condition=Established', 'crd', '--all', '--timeout=120s']);
    expect(established.exitCode, established.all).toBe(0);

    const stacks = topoOrder(planStacks(config));
    expect(stacks.map((s) => s.layer)).toEqual(expect.arrayContaining(['cluster', 'mesh', 'observability', 'tenant', 'app']));
    for (const s of stacks) {
      if (s.objects.length === 0) continue;
      const r = await kubectl(
        ['apply', '--server-side', '--field-manager', 'platform-catalog-test', '--validate=strict', '-f', '-'],
        s.objects.map((o) => stringify(o.manifest)).join('---\n'),
      );
      expect(r.exitCode, `${s.id}:\n${r.all}`).toBe(0);
      expect(r.stderr, `${s.id} has admission warnings`).not.toMatch(/warning/i);
      expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(s.objects.length);
    }
    const available = await kubectl(['wait', '--for', 'condition=Available', 'deployment', '--all', '-A', '--timeout=180s']);
    expect(available.exitCode, available.all).toBe(0);
    expect(available.stdout).toContain('deployment.apps/checkout-canary condition met');
  });

  it('the real RBAC authorizer agrees with the role descriptions', async () => {
    const can = async (who: string, verb: string, resource: string) => {
      const r = await kubectl(['auth', 'can-i', verb, resource, '-n', 'payments', '--as', who]);
      return r.stdout.trim();
    };
    const cases: Array<[string, string, string, 'yes' | 'no']> = [
      ['ana@example.com', 'create', 'rolebindings.rbac.authorization.k8s.io', 'yes'], // owner
      ['ana@example.com', 'update', 'resourcequotas', 'no'],
      ['dev@example.com', 'create', 'deployments.apps', 'yes'], // developer
      ['dev@example.com', 'get', 'secrets', 'yes'],
      ['dev@example.com', 'create', 'rolebindings.rbac.authorization.k8s.io', 'no'],
      ['dev@example.com', 'update', 'resourcequotas', 'no'],
      ['viewer@example.com', 'list', 'pods', 'yes'], // viewer
      ['viewer@example.com', 'get', 'secrets', 'no'],
      ['viewer@example.com', 'delete', 'deployments.apps', 'no'],
      ['finance@example.com', 'get', 'resourcequotas', 'yes'], // billing
      ['finance@example.com', 'list', 'limitranges', 'yes'],
      ['finance@example.com', 'list', 'pods', 'no'],
      ['stranger@example.com', 'list', 'pods', 'no'],
    ];
    const answers = await Promise.all(cases.map(async ([who, verb, res]) => [who, verb, res, await can(who, verb, res)]));
    expect(answers).toEqual(cases);
  });

  it('quota and limits are enforced: a bare pod gets the tier defaults; one over the quota is refused', async () => {
    const bare = await kubectl(['run', 'probe', '--image=registry.example/probe:1', '-n', 'search', '--dry-run=server', '-o', 'json']);
    expect(bare.exitCode, bare.all).toBe(0);
    const resources = JSON.parse(bare.stdout).spec.containers[0].resources;
    expect(resources).toEqual({
      limits: { cpu: '500m', memory: '512Mi', 'ephemeral-storage': '1Gi' },
      requests: { cpu: '500m', memory: '512Mi', 'ephemeral-storage': '1Gi' },
    }); // starter, and the pack's `resources` default
    const huge = await kubectl([
      'run',
      'huge',
      '--image=registry.example/probe:1',
      '-n',
      'search',
      '--dry-run=server',
      '--overrides',
      JSON.stringify({ spec: { containers: [{ name: 'huge', image: 'registry.example/probe:1', resources: { limits: { cpu: '9', memory: '1Gi' } } }] } }),
    ]);
    expect(huge.exitCode).not.toBe(0);
    expect(huge.all).toMatch(/exceeded quota/);
  });
});
