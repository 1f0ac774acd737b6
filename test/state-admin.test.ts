/**
 * `platform state list | unlock | migrate` on file:// state written by hand (an OpenTofu state, a
 * Pulumi checkpoint, their locks): what each reports, removes and moves. The same code runs on the
 * bucket stores (test/state/team.int.test.ts runs them against S3 with both engines).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { listState, migrateState, unlockState } from '../src/state-admin.js';
import { acquireLock, StackLockedError, stackLockKey } from '../src/state/lock.js';
import { directoryStore } from '../src/state/store.js';

const CONFIG = `# the estate
apiVersion: platform.dev/v1
name: acme
engine: terraform # chosen in 2025
regions:
  - { name: eu, cloud: local, location: local-eu, role: primary }
tenants:
  - { name: t1, plan: starter, owners: [a@example.com] }
  - { name: t2, plan: starter, owners: [a@example.com] }
services: []
`;

const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 't1' }, data: { a: '1' } });

let dir: string;
let state: string;
const file = (rel: string, content: string): void => {
  mkdirSync(dirname(join(state, rel)), { recursive: true });
  writeFileSync(join(state, rel), content);
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'platform-state-cmd-'));
  state = join(dir, '.platform', 'state');
  writeFileSync(join(dir, 'platform.yaml'), CONFIG);
  file(
    'tf/tenant/eu/t1/terraform.tfstate',
    JSON.stringify({
      version: 4,
      resources: [
        {
          mode: 'managed',
          type: 'kubectl_manifest',
          name: 'a',
          instances: [{ attributes: { yaml_body: JSON.stringify(cm('a')) } }, { attributes: { yaml_body: JSON.stringify(cm('b')) } }],
        },
      ],
    }),
  );
  file('.pulumi/meta.yaml', 'version: 1\n');
  file(
    '.pulumi/stacks/acme/tenant.eu.t2.json',
    JSON.stringify({
      version: 3,
      checkpoint: { latest: { resources: [{ type: 'pulumi:pulumi:Stack' }, { type: 'platform:kubernetes:Object', outputs: { manifest: cm('c') } }] } },
    }),
  );
  file('.pulumi/history/acme/tenant.eu.t2/tenant.eu.t2-1.history.json', '{}');
  // A CI runner that died holding t1; a Pulumi update on another machine holding t2.
  file(stackLockKey('tenant/eu/t1'), JSON.stringify({ user: 'ci', host: 'runner-7', pid: 4242, operation: 'apply', since: '2026-11-20T10:00:00.000Z' }));
  file(
    '.pulumi/locks/organization/acme/tenant.eu.t2/0b1c.json',
    JSON.stringify({ pid: 99, username: 'ana', hostname: 'laptop', timestamp: '2026-11-20T11:00:00Z' }),
  );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const configFile = () => join(dir, 'platform.yaml');

describe('state list', () => {
  it('every stack with state, either engine: key, update time, resource count, who holds it', async () => {
    const { backend, stacks } = await listState(configFile());
    expect(backend).toBe('file://.platform/state');
    expect(stacks.map(({ updated, ...s }) => ({ ...s, updated: typeof updated }))).toEqual([
      {
        id: 'tenant/eu/t1',
        engine: 'terraform',
        backend: 'file://.platform/state',
        key: 'tf/tenant/eu/t1/terraform.tfstate',
        updated: 'string',
        resources: 2,
        lockedBy: {
          user: 'ci',
          host: 'runner-7',
          pid: 4242,
          operation: 'apply',
          since: '2026-11-20T10:00:00.000Z',
          lock: join(state, 'locks', 'tenant', 'eu', 't1.json'),
        },
      },
      {
        id: 'tenant/eu/t2',
        engine: 'pulumi',
        backend: 'file://.platform/state',
        key: '.pulumi/stacks/acme/tenant.eu.t2.json',
        updated: 'string',
        resources: 1,
        lockedBy: {
          user: 'ana',
          host: 'laptop',
          pid: 99,
          operation: 'a pulumi update',
          since: '2026-11-20T11:00:00Z',
          lock: join(state, '.pulumi', 'locks', 'organization', 'acme', 'tenant.eu.t2', '0b1c.json'),
        },
      },
    ]);
  });
});

describe('state unlock', () => {
  it('needs --yes, and stack IDs or --all', async () => {
    await expect(unlockState({ configFile: configFile(), stackIds: ['tenant/eu/t1'] })).rejects.toThrow(/pass --yes/);
    await expect(unlockState({ configFile: configFile(), yes: true })).rejects.toBeInstanceOf(UsageError);
    await expect(unlockState({ configFile: configFile(), stackIds: ['tenant/eu/nope'], yes: true })).rejects.toThrow('unknown stack tenant/eu/nope');
  });

  it("removes platform's stack lock and the engine's own, naming their holders; then nothing is locked", async () => {
    const { stacks } = await unlockState({ configFile: configFile(), all: true, yes: true });
    expect(stacks).toEqual([
      {
        id: 'tenant/eu/t1',
        removed: [
          {
            owner: 'platform',
            where: join(state, 'locks', 'tenant', 'eu', 't1.json'),
            holder: expect.objectContaining({ host: 'runner-7', pid: 4242 }) as unknown,
          },
        ],
      },
      {
        id: 'tenant/eu/t2',
        removed: [
          {
            owner: 'pulumi',
            where: join(state, '.pulumi', 'locks', 'organization', 'acme', 'tenant.eu.t2', '0b1c.json'),
            holder: expect.objectContaining({ host: 'laptop' }) as unknown,
          },
        ],
      },
    ]);
    expect((await listState(configFile())).stacks.map((s) => s.lockedBy)).toEqual([null, null]);
    expect((await unlockState({ configFile: configFile(), stackIds: ['tenant/eu/t1'], yes: true })).stacks).toEqual([{ id: 'tenant/eu/t1', removed: [] }]);
  });
});

describe('state migrate', () => {
  const target = () => join(dir, 'elsewhere');
  beforeEach(async () => {
    await unlockState({ configFile: configFile(), all: true, yes: true });
  });

  it("copies both engines' state, verifies it, switches state: in platform.yaml (comments kept), leaves the old state", async () => {
    const events: string[] = [];
    const result = await migrateState({ configFile: configFile(), to: `file://${target()}`, onEvent: (e) => events.push(e.type) });
    expect(result.stacks.map((s) => [s.id, s.engine])).toEqual([
      ['tenant/eu/t2', 'pulumi'],
      ['tenant/eu/t1', 'terraform'],
    ]);
    expect(result.copied).toBe(4); // meta.yaml, the checkpoint, its history, the OpenTofu state
    expect(events).toEqual(['planned', 'copied', 'copied', 'copied', 'copied', 'verified']);
    for (const key of ['tf/tenant/eu/t1/terraform.tfstate', '.pulumi/stacks/acme/tenant.eu.t2.json', '.pulumi/meta.yaml']) {
      expect(readFileSync(join(target(), key), 'utf8')).toBe(readFileSync(join(state, key), 'utf8'));
    }
    const text = readFileSync(configFile(), 'utf8');
    expect(text).toContain(`state: file://${target()}`);
    expect(text).toContain('# the estate');
    expect(text).toContain('engine: terraform # chosen in 2025');
    expect(existsSync(join(state, 'tf/tenant/eu/t1/terraform.tfstate'))).toBe(true);
    expect(await directoryStore(state).list('locks/')).toEqual([]); // every stack lock released
    expect((await listState(configFile())).stacks.map((s) => [s.id, s.resources])).toEqual([
      ['tenant/eu/t1', 2],
      ['tenant/eu/t2', 1],
    ]);
  });

  it('stopped halfway, it finishes on the next run: identical copies are skipped, nothing is lost', async () => {
    mkdirSync(join(target(), 'tf', 'tenant', 'eu', 't1'), { recursive: true });
    writeFileSync(join(target(), 'tf/tenant/eu/t1/terraform.tfstate'), readFileSync(join(state, 'tf/tenant/eu/t1/terraform.tfstate')));
    const result = await migrateState({ configFile: configFile(), to: `file://${target()}` });
    expect([result.copied, result.skipped]).toEqual([3, 1]);
  });

  it('refuses a target holding other state for the same objects: nothing copied, platform.yaml unchanged', async () => {
    mkdirSync(join(target(), 'tf', 'tenant', 'eu', 't1'), { recursive: true });
    writeFileSync(join(target(), 'tf/tenant/eu/t1/terraform.tfstate'), '{"version":4,"serial":99}');
    const e = (await migrateState({ configFile: configFile(), to: `file://${target()}` }).catch((x: unknown) => x)) as UsageError;
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toBe(`file://${target()} already holds other state for 1 object`);
    expect(existsSync(join(target(), '.pulumi'))).toBe(false);
    expect(readFileSync(configFile(), 'utf8')).toBe(CONFIG);
  });

  it('waits for no one: a stack held by a running operation stops it before anything is copied', async () => {
    const held = await acquireLock(directoryStore(state), stackLockKey('tenant/eu/t1'), 'tenant/eu/t1', 'apply');
    try {
      await expect(migrateState({ configFile: configFile(), to: `file://${target()}` })).rejects.toBeInstanceOf(StackLockedError);
      expect(existsSync(target())).toBe(false);
      expect(readFileSync(configFile(), 'utf8')).toBe(CONFIG);
    } finally {
      await held.release();
    }
  });

  it('to where it already is: a usage error', async () => {
    await expect(migrateState({ configFile: configFile(), to: 'file://.platform/state' })).rejects.toThrow('state is file://.platform/state already');
  });
});
