import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { refuseOtherEnginesState } from '../../../src/engines/terraform/engine.js';
import { acquireStackLock, StackLockedError } from '../../../src/engines/terraform/lock.js';
import type { PlatformConfig } from '../../../src/config/schema.js';
import { localRegion, testStack } from './fixtures.js';

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'tf-lock-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('stack lock', () => {
  test('a second holder fails at once, naming the first; release frees it', () => {
    const file = join(tmp(), 'x', '.platform-lock');
    const release = acquireStackLock(file, 'tenant/eu/a', 'apply');
    let error: unknown;
    try {
      acquireStackLock(file, 'tenant/eu/a', 'plan');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StackLockedError);
    expect((error as Error).message).toMatch(new RegExp(`^stack tenant/eu/a is locked: apply by .+@.+ \\(pid ${process.pid}, since `));
    release();
    acquireStackLock(file, 'tenant/eu/a', 'plan')();
  });

  test('a lock left by a dead process (kill -9) is taken over', () => {
    const file = join(tmp(), '.platform-lock');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(file, JSON.stringify({ pid: Number(dead), host: hostname(), user: 'x', operation: 'apply', started: 'then' }));
    const release = acquireStackLock(file, 's', 'apply');
    expect(JSON.parse(readFileSync(file, 'utf8')).pid).toBe(process.pid);
    release();
  });
});

describe('engine switch', () => {
  const config = { name: 'acme', state: 'file://.platform/state' } as PlatformConfig;

  test('a stack with Pulumi state and no Terraform state is refused with a clear UsageError', () => {
    const projectDir = tmp();
    const stack = testStack({ region: localRegion('eu') });
    const pulumiStacks = join(projectDir, '.platform', 'state', '.pulumi', 'stacks', 'acme');
    mkdirSync(pulumiStacks, { recursive: true });
    writeFileSync(join(pulumiStacks, 'tenant.eu.tf-test.json'), '{}');
    expect(() => refuseOtherEnginesState(stack, { projectDir, config })).toThrow(UsageError);
    expect(() => refuseOtherEnginesState(stack, { projectDir, config })).toThrow(/stack tenant\/eu\/tf-test is managed by the pulumi engine/);
    // Other stacks are not affected.
    expect(() => refuseOtherEnginesState(testStack({ namespace: 'other' }), { projectDir, config })).not.toThrow();
  });

  test('no Pulumi state, or Terraform state with resources: allowed', () => {
    const projectDir = tmp();
    const stack = testStack();
    expect(() => refuseOtherEnginesState(stack, { projectDir, config })).not.toThrow();
    const pulumiStacks = join(projectDir, '.platform', 'state', '.pulumi', 'stacks', 'acme');
    mkdirSync(pulumiStacks, { recursive: true });
    writeFileSync(join(pulumiStacks, 'tenant.eu.tf-test.json'), '{}');
    const tfState = join(projectDir, '.platform', 'state', 'tf', 'tenant', 'eu', 'tf-test');
    mkdirSync(tfState, { recursive: true });
    writeFileSync(join(tfState, 'terraform.tfstate'), JSON.stringify({ resources: [{ type: 'kubectl_manifest' }] }));
    expect(() => refuseOtherEnginesState(stack, { projectDir, config })).not.toThrow();
  });
});
