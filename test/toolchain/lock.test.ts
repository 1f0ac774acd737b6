import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/toolchain/lock.js';

describe('acquireLock', () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('makes a second holder wait until the first releases', async () => {
    dir = mkdtempSync(join(tmpdir(), 'platform-lock-'));
    const file = join(dir, 'l');
    const release = await acquireLock(file);
    let waitedFor: number | undefined;
    let second = false;
    const pending = acquireLock(file, { pollMs: 10, onWait: (pid) => (waitedFor = pid) }).then((r) => {
      second = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 60));
    expect(second).toBe(false);
    expect(waitedFor).toBe(process.pid);
    release();
    (await pending)();
    expect(second).toBe(true);
  });

  it('takes over a lock whose holder is gone', async () => {
    dir = mkdtempSync(join(tmpdir(), 'platform-lock-'));
    const file = join(dir, 'l');
    writeFileSync(file, '999999999'); // no such pid
    const release = await acquireLock(file, { pollMs: 10 });
    release();
  });
});
