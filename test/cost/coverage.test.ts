/**
 * Nothing a renderer creates goes unpriced silently: every example (and an estate per cloud pair) is
 * synthesized with BOTH engines — Terraform JSON from CDKTF, the Pulumi program under runtime mocks —
 * and every cloud resource either engine emits must be in the cost report of that estate, as a priced
 * line (possibly an explicit zero with its source) or a `notPriced` entry with a reason. And the cost
 * model must not invent resources: its bill of materials equals what the engines emit, one for one.
 */
import { resolveStateLocation } from '../../src/state/location.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadClouds, terraformCloudResources } from '../../src/clouds/index.js';
import type { Engine, PlatformConfig } from '../../src/config/schema.js';
import { parseConfig } from '../../src/config/load.js';
import { billOfMaterials } from '../../src/cost/catalog/index.js';
import { HOURS_PER_MONTH, DEFAULT_USAGE } from '../../src/cost/usage.js';
import { PROVIDER_PACKAGE } from '../../src/engines/pulumi/registrations.js';
import { synthPulumi } from '../../src/engines/pulumi/synth.js';
import { synthTerraform } from '../../src/engines/terraform/synth.js';
import { planStacks } from '../../src/stacks/plan.js';
import type { StackInstance } from '../../src/stacks/types.js';
import { ENGINES, estimate, EXAMPLES, exampleConfig, pairConfig, PAIRS } from './fixtures.js';
import { OBJECT_TYPE } from '../../src/engines/pulumi/state.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** `type name` of every cloud resource the engine emits for each stack (Kubernetes objects left out). */
async function synthesizedCloudResources(engine: Engine, stacks: StackInstance[]): Promise<Map<string, string[]>> {
  await loadClouds(engine, stacks);
  const out = new Map<string, string[]>();
  if (engine === 'pulumi') {
    // Not cloud resources: the Kubernetes objects, their provider, and a cloud region's read of its cluster stack's kubeconfig.
    const kube = new Set([OBJECT_TYPE, `pulumi:providers:${PROVIDER_PACKAGE}`, 'pulumi:pulumi:StackReference']);
    for (const [id, resources] of await synthPulumi(stacks, { controlPlaneFor: () => [], projectName: 'coverage' })) {
      out.set(
        id,
        resources
          .filter((r) => !kube.has(r.type))
          .map((r) => `${r.type} ${r.name}`)
          .sort(),
      );
    }
    return out;
  }
  const dir = mkdtempSync(join(tmpdir(), 'cost-coverage-'));
  dirs.push(dir);
  for (const [id, s] of await synthTerraform(stacks, join(dir, '.platform', 'tf'), {
    projectDir: dir,
    project: 'acme',
    state: resolveStateLocation(undefined, dir),
    controlPlaneFor: () => [],
  })) {
    out.set(
      id,
      terraformCloudResources(JSON.parse(readFileSync(s.file, 'utf8')))
        // A cloud region's read of its cluster stack's state (the kubeconfig output) is not a cloud resource.
        .filter((r) => r.type !== 'data.terraform_remote_state')
        .map((r) => `${r.type} ${r.name}`)
        .sort(),
    );
  }
  return out;
}

async function expectCovered(config: PlatformConfig): Promise<{ resources: number; lines: number; notPriced: number }> {
  const stacks = planStacks(config);
  const synthesized = await synthesizedCloudResources(config.engine, stacks);
  const report = estimate(config);
  let resources = 0;
  for (const stack of stacks) {
    const emitted = synthesized.get(stack.id) ?? [];
    resources += emitted.length;
    // The cost model's bill of materials is exactly what this engine emits.
    const bill = billOfMaterials(stack, DEFAULT_USAGE, HOURS_PER_MONTH)
      .filter((i) => i.types[config.engine])
      .map((i) => `${i.types[config.engine]} ${i.name}`)
      .sort();
    expect(bill, `${config.engine} ${stack.id}: bill of materials vs synthesized resources`).toEqual(emitted);
    // Every emitted resource is in the report: a priced line or a notPriced entry.
    const covered = new Set([
      ...report.stacks.find((s) => s.id === stack.id)!.lines.map((l) => `${l.type} ${l.resource}`),
      ...report.notPriced.filter((n) => n.stack === stack.id).map((n) => `${n.type} ${n.name}`),
    ]);
    expect(
      emitted.filter((r) => !covered.has(r)),
      `${config.engine} ${stack.id}: emitted but neither priced nor listed as not priced`,
    ).toEqual([]);
  }
  for (const n of report.notPriced) expect(n.reason.length, `${n.stack} ${n.type} ${n.name}`).toBeGreaterThan(10);
  return { resources, lines: report.stacks.reduce((a, s) => a + s.lines.length, 0), notPriced: report.notPriced.length };
}

describe('every cloud resource the renderers emit is priced or listed as not priced', { timeout: 180_000 }, () => {
  test('the examples are the ones this test knows', () => {
    expect(EXAMPLES).toEqual(expect.arrayContaining(['azure', 'local', 'multicloud']));
  });

  for (const example of EXAMPLES) {
    for (const engine of ENGINES) {
      test(`examples/${example} with ${engine}`, async () => {
        const { resources } = await expectCovered(exampleConfig(example, engine));
        if (example !== 'local') expect(resources).toBeGreaterThan(20);
      });
    }
  }

  for (const cloud of ['aws', 'gcp', 'azure'] as const) {
    for (const engine of ENGINES) {
      test(`one ${cloud} region without DR or mesh, with ${engine}`, async () => {
        const location = { aws: 'us-east-1', gcp: 'us-east1', azure: 'eastus' }[cloud];
        const text = `apiVersion: platform.dev/v1\nname: solo\nengine: ${engine}\nregions:\n  - { name: one, cloud: ${cloud}, location: ${location}, role: primary }\n`;
        const { resources, notPriced } = await expectCovered(parseConfig(text, 'solo.yaml'));
        expect(resources).toBeGreaterThan(4);
        expect(notPriced).toBeGreaterThanOrEqual(cloud === 'gcp' ? 0 : 1); // EBS root volumes, AKS disks and load balancer
      });
    }
  }

  for (const pair of PAIRS) {
    for (const engine of ENGINES) {
      test(`${pair.name} with ${engine}`, async () => {
        const { resources, notPriced } = await expectCovered(pairConfig(engine, pair.primary, pair.dr));
        expect(resources).toBeGreaterThan(20);
        expect(notPriced).toBeGreaterThan(0); // e.g. request charges: listed, not hidden
      });
    }
  }
});
