import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

// A full disk, in a unit test: writeSync fails with ENOSPC while `diskFull` is set. The real full disk
// (a tmpfs under the state during an apply) is test/faults.
let diskFull = false;
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return {
    ...fs,
    writeSync: (...args: Parameters<typeof fs.writeSync>) => {
      if (diskFull) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return (fs.writeSync as (...a: unknown[]) => number)(...args);
    },
  };
});

const { directoryStore } = await import('../../src/state/store.js');
const { acquireLock, stackLockKey } = await import('../../src/state/lock.js');

describe('the file state store on a full disk', () => {
  let dir: string | undefined;
  afterEach(() => {
    diskFull = false;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const store = () => directoryStore((dir = mkdtempSync(join(tmpdir(), 'platform-store-'))));
  const files = (d: string, sub = ''): string[] =>
    readdirSync(join(d, sub), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(d, join(sub, e.name)) : [join(sub, e.name)]));

  it('a lock that cannot be written is not left behind empty (it would refuse every later run)', async () => {
    const s = store();
    diskFull = true;
    await expect(acquireLock(s, stackLockKey('tenant/eu/a'), 'tenant/eu/a', 'apply')).rejects.toThrow(/ENOSPC/);
    expect(existsSync(join(dir!, 'locks', 'tenant', 'eu', 'a.json'))).toBe(false);
    diskFull = false;
    const lock = await acquireLock(s, stackLockKey('tenant/eu/a'), 'tenant/eu/a', 'apply');
    await lock.release();
  });

  it('a write that fails keeps the previous object whole and leaves no temp file', async () => {
    const s = store();
    await s.write('tf/a/terraform.tfstate', '{"serial":1}');
    diskFull = true;
    // (the file store throws synchronously; callers await it)
    await expect(Promise.resolve().then(() => s.write('tf/a/terraform.tfstate', '{"serial":2}'))).rejects.toThrow(/ENOSPC/);
    diskFull = false;
    expect(readFileSync(join(dir!, 'tf', 'a', 'terraform.tfstate'), 'utf8')).toBe('{"serial":1}');
    expect(files(dir!)).toEqual([join('tf', 'a', 'terraform.tfstate')]);
  });
});
