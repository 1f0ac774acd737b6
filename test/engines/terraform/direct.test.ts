/**
 * The direct writer (synth.ts) against CDKTF (cdktf.ts, forced with `allThroughCdktf`): for every stack
 * that `needsCdktf` leaves to the direct writer, the two files must be byte-identical — every example,
 * as written and with every region reached through a kubeconfig, every state backend, --force on and off.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseConfig } from '../../../src/config/load.js';
import { needsCdktf, synthTerraform, type SynthOptions } from '../../../src/engines/terraform/synth.js';
import { regionAccess } from '../../../src/kube/access.js';
import { planStacks } from '../../../src/stacks/plan.js';
import type { StackInstance } from '../../../src/stacks/types.js';
import { resolveStateLocation } from '../../../src/state/location.js';
import type { DesiredObject, KubeObject } from '../../../src/objects/model.js';
import { testStack } from './fixtures.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const STATES = ['file', 's3://acme-state/prod', 'gs://acme-state/prod', 'azblob://tfstate/prod'] as const;

/** Every synthesized file under `outDir`, by its path below it. */
function files(outDir: string): Map<string, string> {
  const names = readdirSync(outDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('main.tf.json'));
  return new Map(names.map((f) => [f, readFileSync(join(outDir, f), 'utf8')]));
}

/** Synthesizes `stacks` directly and through CDKTF into the same folder; returns both sets of files. */
async function bothWays(projectDir: string, stacks: StackInstance[], options: Omit<SynthOptions, 'projectDir' | 'allThroughCdktf'>) {
  const outDir = join(projectDir, '.platform', 'tf');
  rmSync(outDir, { recursive: true, force: true });
  await synthTerraform(stacks, outDir, { ...options, projectDir });
  const direct = files(outDir);
  rmSync(outDir, { recursive: true, force: true });
  await synthTerraform(stacks, outDir, { ...options, projectDir, allThroughCdktf: true });
  return { direct, cdktf: files(outDir) };
}

/** An example's config as the Terraform engine's, optionally with every region reached through a kubeconfig (inside and outside the project). */
function exampleText(example: string, kubeconfigs: boolean): string {
  const doc = parse(readFileSync(join(repoRoot, 'examples', example, 'platform.yaml'), 'utf8')) as { engine: string; state?: string; regions: Array<Record<string, unknown>> };
  doc.engine = 'terraform';
  delete doc.state;
  if (kubeconfigs) doc.regions.forEach((r, i) => (r.cluster = { kubeconfig: i === 0 ? 'kube/config' : '/etc/kube/config', context: `ctx-${String(r.name)}` }));
  return stringify(doc);
}

/** bench/lib-estate.sh's estate (three local regions, mesh, observability, tenants with one service each), smaller. */
function benchEstateText(tenants: number): string {
  const ids = Array.from({ length: tenants }, (_, i) => `t${i + 1}`);
  return stringify({
    apiVersion: 'platform.dev/v1',
    name: 'bench',
    engine: 'terraform',
    regions: ['eu', 'us', 'ap'].map((name, i) => ({ name, cloud: 'local', location: `l-${name}`, role: i ? 'dr' : 'primary' })),
    dr: { rpoMinutes: 60, rtoMinutes: 30, backupSchedule: '*/30 * * * *' },
    mesh: { istio: { enabled: true, gateway: { hosts: ['bench.example.com'] } } },
    observability: { prometheus: { enabled: true } },
    tenants: ids.map((name) => ({ name, plan: 'starter', owners: ['o@example.com'] })),
    services: ids.map((tenant) => ({ name: 'svc', tenant, image: 'ghcr.io/bench/svc:1', port: 8080, slo: { availability: 99.9 } })),
  });
}

/** A CRD for every stack that has a namespace, so CRDs, CRs and their depends_on are in the comparison too. */
const widgetCrd = (stack: StackInstance): KubeObject[] =>
  stack.objects.some((o) => o.manifest.kind === 'Namespace')
    ? [
        {
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          metadata: { name: 'widgets.example.com' },
          spec: { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced', versions: [] },
        },
      ]
    : [];

describe('Terraform JSON written directly is byte-identical to CDKTF', { timeout: 120_000 }, () => {
  const cases: Array<[string, string, number]> = [
    // name, config, how many stacks the direct writer takes (the rest need CDKTF in both runs)
    ['examples/local', exampleText('local', false), 15],
    ['examples/local, kubeconfigs', exampleText('local', true), 15],
    ['examples/multicloud', exampleText('multicloud', false), 0], // cloud regions: the kubeconfig is the cluster stack's output
    ['examples/multicloud, kubeconfigs', exampleText('multicloud', true), 8], // all but the two cluster stacks (cloud resources)
    ['examples/azure', exampleText('azure', false), 0],
    ['examples/azure, kubeconfigs', exampleText('azure', true), 8],
    ['bench estate, 1 tenant', benchEstateText(1), 15],
  ];
  test.each(cases)('%s: every stack, every backend, --force on and off', async (_name, text, directCount) => {
    const projectDir = mkdtempSync(join(tmpdir(), 'tf-direct-'));
    dirs.push(projectDir);
    mkdirSync(join(projectDir, 'kube'));
    const config = parseConfig(text, 'platform.yaml');
    const stacks = planStacks(config).filter((stack) => !needsCdktf({ stack, access: regionAccess(config, stack.region, projectDir) }));
    expect(stacks).toHaveLength(directCount);
    if (!stacks.length) return;
    // examples/multicloud's checkout has a secretEnv: its Secret and variable are compared too.
    const secrets = stacks.flatMap((s) => s.objects.filter((o: DesiredObject) => o.secretEnv));
    expect(secrets.length > 0).toBe(text.includes('secretEnv'));

    for (const state of STATES) {
      for (const force of [false, true]) {
        const { direct, cdktf } = await bothWays(projectDir, stacks, {
          project: config.name,
          state: resolveStateLocation(state === 'file' ? undefined : state, projectDir),
          force,
          controlPlaneFor: widgetCrd,
        });
        expect(direct.size).toBe(stacks.length);
        expect([...direct.keys()].sort()).toEqual([...cdktf.keys()].sort());
        for (const [file, text] of direct) expect(text, `${file} (state ${state}, force ${force})`).toBe(cdktf.get(file));
      }
    }
  });

  test('the hand-made stack: template literals, secretEnv, a CRD and its CR, one name in two API groups', async () => {
    const projectDir = mkdtempSync(join(tmpdir(), 'tf-direct-'));
    dirs.push(projectDir);
    const extra: DesiredObject[] = [
      { manifest: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'tf-test' } } },
      { manifest: { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'g', namespace: 'tf-test' } } },
      { manifest: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'g', namespace: 'tf-test' } } },
    ];
    const stack = testStack({ secretVariable: 'DIRECT_TEST_SECRET', extra });
    for (const state of STATES) {
      const { direct, cdktf } = await bothWays(projectDir, [stack], {
        project: 'acme',
        state: resolveStateLocation(state === 'file' ? undefined : state, projectDir),
        controlPlaneFor: widgetCrd,
      });
      expect(direct.size).toBe(1);
      for (const [file, text] of direct) expect(text, `${file} (state ${state})`).toBe(cdktf.get(file));
    }
  });
});
