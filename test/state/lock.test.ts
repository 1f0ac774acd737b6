import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireLock, breakLock, readHolder, StackLockedError, stackLockKey } from '../../src/state/lock.js';
import { directoryStore } from '../../src/state/store.js';

describe('acquireLock', () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));
  const store = () => directoryStore((dir = mkdtempSync(join(tmpdir(), 'platform-lock-'))));

  it('refuses a second holder at once, naming the first (user, host, pid, operation, since)', async () => {
    const s = store();
    const first = await acquireLock(s, stackLockKey('app/eu/t/s'), 'app/eu/t/s', 'apply');
    const refused = await acquireLock(s, stackLockKey('app/eu/t/s'), 'app/eu/t/s', 'plan').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StackLockedError);
    const e = refused as StackLockedError;
    expect(e.message).toBe(`stack app/eu/t/s is locked: apply by ${first.holder.user}@${hostname()} (pid ${process.pid}, since ${first.holder.since})`);
    expect(e.hint).toContain('platform state unlock app/eu/t/s --yes');
    expect(e.hint).toContain(join(dir!, 'locks', 'app', 'eu', 't', 's.json'));
    await first.release();
    const again = await acquireLock(s, stackLockKey('app/eu/t/s'), 'app/eu/t/s', 'plan');
    await again.release();
    expect(await readHolder(s, stackLockKey('app/eu/t/s'))).toBeUndefined();
  });

  it('makes a waiting holder wait until the first releases', async () => {
    const s = store();
    const first = await acquireLock(s, '.lock', 'x', 'install', { wait: true });
    let waitedFor: string | undefined;
    let second = false;
    const pending = acquireLock(s, '.lock', 'x', 'install', { wait: true, pollMs: 10, onWait: (h) => (waitedFor = h?.operation) }).then(
      (l) => ((second = true), l),
    );
    await new Promise((r) => setTimeout(r, 80));
    expect(second).toBe(false);
    expect(waitedFor).toBe('install');
    await first.release();
    await (await pending).release();
    expect(second).toBe(true);
  });

  it('takes over a lock whose holder died on this host, never one held elsewhere', async () => {
    const s = store();
    writeFileSync(
      join(dir!, 'gone.json'),
      JSON.stringify({ user: 'u', host: hostname(), pid: 999_999_999, operation: 'apply', since: '2026-01-01T00:00:00Z' }),
    );
    await (await acquireLock(s, 'gone.json', 'gone', 'apply')).release();
    writeFileSync(
      join(dir!, 'remote.json'),
      JSON.stringify({ user: 'u', host: 'another-host', pid: 999_999_999, operation: 'apply', since: '2026-01-01T00:00:00Z' }),
    );
    await expect(acquireLock(s, 'remote.json', 'remote', 'apply')).rejects.toThrow(/locked: apply by u@another-host/);
    expect((await breakLock(s, 'remote.json'))?.host).toBe('another-host');
    await (await acquireLock(s, 'remote.json', 'remote', 'apply')).release();
  });
});
