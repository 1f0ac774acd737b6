/** What plan/apply/destroy check before any engine starts (usage problems: exit 2, nothing run). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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

/** A project of one region eu, tenant payments and its service checkout (fields of `service` added); its platform.yaml path. */
function writeProject(service: Record<string, unknown> = {}, top: Record<string, unknown> = {}): string {
  const dir = tmp();
  writeFileSync(
    join(dir, 'platform.yaml'),
    stringify({
      apiVersion: 'platform.dev/v1',
      name: 'acme',
      ...top,
      regions: [{ name: 'eu', cloud: 'local', location: 'local-eu', role: 'primary' }],
      tenants: [{ name: 'payments', plan: 'starter', owners: ['o@example.com'] }],
      services: [{ name: 'checkout', tenant: 'payments', image: 'ghcr.io/acme/checkout:1.0.0', port: 8080, ...service }],
    }),
  );
  return join(dir, 'platform.yaml');
}

describe('prepareOperation', () => {
  const project = (): string => writeProject({ secretEnv: { DB_PASSWORD: 'env:OPS_TEST_DB_PASSWORD', API_KEY: 'env:OPS_TEST_API_KEY' } });

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

// Each case plans a project and reads its state files: seconds on a busy 2-core runner.
describe('stacks no longer in platform.yaml (orphans)', { timeout: 60_000 }, () => {
  /** The one-service project on OpenTofu, with state for app/eu/payments/api (its service was removed). */
  function project(): string {
    const configFile = writeProject({}, { engine: 'terraform' });
    const dir = dirname(configFile);
    writeTerraformState(dir, 'app/eu/payments/api', [cm, { ...cm, metadata: { ...cm.metadata, name: 'b' } }]);
    writeTerraformState(dir, 'app/eu/payments/emptied', []);
    writeTerraformState(dir, 'app/us/payments/api', [cm]);
    return configFile;
  }

  test('plan over every stack (and apply --all) finds them with their resource counts; a region that is gone blocks destroying one', async () => {
    const configFile = project();
    for (const op of [await prepareOperation({ operation: 'plan', configFile }), await prepareOperation({ operation: 'apply', configFile, all: true })]) {
      expect(op.orphans.map((o) => [o.id, o.resources, Boolean(o.blocked)])).toEqual([
        ['app/eu/payments/api', 2, false],
        ['app/us/payments/api', 1, true],
      ]);
      expect(op.stacks.map((s) => s.id)).not.toContain('app/eu/payments/api');
    }
    // A --stack selection is about those stacks only.
    expect((await prepareOperation({ operation: 'plan', configFile, stackIds: ['app/eu/payments/checkout'] })).orphans).toEqual([]);
  });

  test('--prune needs apply --all', async () => {
    const configFile = project();
    for (const opts of [
      { operation: 'apply' as const, stackIds: ['app/eu/payments/checkout'], prune: true },
      { operation: 'plan' as const, all: true, prune: true },
    ]) {
      const e = await prepareOperation({ configFile, ...opts }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(UsageError);
      expect((e as UsageError).message).toBe('--prune needs apply --all');
    }
  });

  test('destroy --stack takes an orphan by ID (confirmed like any stack); one whose region is gone is refused, naming why', async () => {
    const configFile = project();
    const op = await prepareOperation({ operation: 'destroy', configFile, stackIds: ['app/eu/payments/api'], yes: true, confirm: ['app/eu/payments/api'] });
    expect(op.stacks.map((s) => [s.id, s.region.name, s.objects.length])).toEqual([['app/eu/payments/api', 'eu', 0]]);
    await expect(prepareOperation({ operation: 'destroy', configFile, stackIds: ['app/eu/payments/api'], yes: true })).rejects.toThrow(
      'destroy needs each stack confirmed by ID',
    );
    const blocked = await prepareOperation({
      operation: 'destroy',
      configFile,
      stackIds: ['app/us/payments/api'],
      yes: true,
      confirm: ['app/us/payments/api'],
    }).catch((x: unknown) => x);
    expect(blocked).toBeInstanceOf(UsageError);
    expect((blocked as UsageError).problems[0].message).toMatch(/region "us" is not in platform.yaml any more/);
    // Still an unknown stack: neither planned nor in state.
    await expect(
      prepareOperation({ operation: 'destroy', configFile, stackIds: ['app/eu/payments/nope'], yes: true, confirm: ['app/eu/payments/nope'] }),
    ).rejects.toThrow('unknown stack ID');
    // destroy --all removes the destroyable orphans too, dependents first.
    const all = await prepareOperation({ operation: 'destroy', configFile, all: true, yes: true, confirm: ['all'] });
    expect(all.stacks.map((s) => s.id)).toContain('app/eu/payments/api');
    expect(all.stacks.map((s) => s.id)).not.toContain('app/us/payments/api');
  });
});
