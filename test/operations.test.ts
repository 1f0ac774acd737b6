/** What plan/apply/destroy check before any engine starts (usage problems: exit 2, nothing run). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, describe, expect, test } from 'vitest';
import { UsageError } from '../src/errors.js';
import { checkpointKey } from '../src/engines/pulumi/state.js';
import { engineDescriptor } from '../src/engines/registry.js';
import { terraformStateKey } from '../src/engines/terraform/state.js';
import { prepareOperation, refuseOtherEnginesState } from '../src/operations.js';
import { resolveStateLocation } from '../src/state/location.js';
import { localRegion, testStack } from './engines/terraform/fixtures.js';

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'platform-ops-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'tf-test' } };
function writePulumiState(projectDir: string, stackId: string, objects: unknown[]): void {
  const file = join(projectDir, '.platform', 'state', checkpointKey('acme', stackId));
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(
    file,
    JSON.stringify({ checkpoint: { latest: { resources: objects.map((m) => ({ type: 'platform:kubernetes:Object', outputs: { manifest: m } })) } } }),
  );
}
function writeTerraformState(projectDir: string, stackId: string, objects: unknown[]): void {
  const state = resolveStateLocation(undefined, projectDir);
  const file = join(state.dir!, terraformStateKey(state, stackId));
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(
    file,
    JSON.stringify({
      resources: [{ mode: 'managed', type: 'kubectl_manifest', instances: objects.map((m) => ({ attributes: { yaml_body: JSON.stringify(m) } })) }],
    }),
  );
}

describe('the engine-switch refusal (engine-neutral, through the engines’ state readers)', () => {
  const ctx = (projectDir: string) => ({ projectDir, project: 'acme', state: resolveStateLocation(undefined, projectDir) });

  test.each([
    ['terraform', 'pulumi', writePulumiState],
    ['pulumi', 'terraform', writeTerraformState],
  ] as const)('%s refuses a stack whose objects are in %s state (and no %s state of its own)', async (engine, other, write) => {
    const projectDir = tmp();
    const stack = testStack({ region: localRegion('eu') });
    write(projectDir, stack.id, [cm]);
    const refused = await refuseOtherEnginesState([stack], await engineDescriptor(engine), ctx(projectDir)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UsageError);
    expect((refused as UsageError).message).toBe(`stack tenant/eu/tf-test is managed by the ${other} engine (its state holds objects), not by ${engine}`);
    // Other stacks are not affected.
    await expect(refuseOtherEnginesState([testStack({ namespace: 'other' })], await engineDescriptor(engine), ctx(projectDir))).resolves.toBeUndefined();
  });

  test('allowed: no state elsewhere, the other engine destroyed everything, or this engine has state too', async () => {
    const projectDir = tmp();
    const stack = testStack();
    const terraform = await engineDescriptor('terraform');
    await expect(refuseOtherEnginesState([stack], terraform, ctx(projectDir))).resolves.toBeUndefined();
    writePulumiState(projectDir, stack.id, []);
    await expect(refuseOtherEnginesState([stack], terraform, ctx(projectDir))).resolves.toBeUndefined();
    writePulumiState(projectDir, stack.id, [cm]);
    writeTerraformState(projectDir, stack.id, [cm]);
    await expect(refuseOtherEnginesState([stack], terraform, ctx(projectDir))).resolves.toBeUndefined();
  });
});

describe('prepareOperation', () => {
  function project(extra: Record<string, unknown> = {}): string {
    const dir = tmp();
    writeFileSync(
      join(dir, 'platform.yaml'),
      stringify({
        apiVersion: 'platform.dev/v1',
        name: 'acme',
        regions: [{ name: 'eu', cloud: 'local', location: 'local-eu', role: 'primary' }],
        tenants: [{ name: 'payments', plan: 'starter', owners: ['o@example.com'] }],
        services: [
          {
            name: 'checkout',
            tenant: 'payments',
            image: 'ghcr.io/acme/checkout:1.0.0',
            port: 8080,
            secretEnv: { DB_PASSWORD: 'env:OPS_TEST_DB_PASSWORD', API_KEY: 'env:OPS_TEST_API_KEY' },
          },
        ],
        ...extra,
      }),
    );
    return join(dir, 'platform.yaml');
  }

  test('a secret whose variable is unset is a usage error naming every missing variable, before any engine starts', async () => {
    const configFile = project();
    const e = await prepareOperation({ operation: 'plan', configFile }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).message).toBe('2 secret values are missing from the environment');
    expect((e as UsageError).problems.map((p) => p.message).join('\n')).toMatch(
      /OPS_TEST_API_KEY[\s\S]*OPS_TEST_DB_PASSWORD|OPS_TEST_DB_PASSWORD[\s\S]*OPS_TEST_API_KEY/,
    );
    // destroy does not read the values
    await expect(prepareOperation({ operation: 'destroy', configFile, all: true, yes: true, confirm: ['all'] })).resolves.toBeDefined();
  });
});
