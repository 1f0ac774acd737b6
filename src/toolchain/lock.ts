/**
 * A cross-process lock file holding the owner's pid: the second process waits, and a lock left by a
 * crashed process (pid gone) is taken over. Used by `toolchain install` and `local up/down`.
 */
import { closeSync, openSync, readFileSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { setTimeout as wait } from 'node:timers/promises';

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface LockOptions {
  /** Called once when another live process holds the lock. */
  onWait?: (holderPid: number) => void;
  signal?: AbortSignal;
  pollMs?: number;
}

/** Resolves to a release function once `lockFile` is ours. */
export async function acquireLock(lockFile: string, opts: LockOptions = {}): Promise<() => void> {
  let announced = false;
  for (;;) {
    opts.signal?.throwIfAborted();
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          unlinkSync(lockFile);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let holder = Number.NaN;
    try {
      holder = Number.parseInt(readFileSync(lockFile, 'utf8'), 10);
    } catch {
      // released between our open and read: retry
    }
    if (Number.isFinite(holder) && !pidAlive(holder)) {
      rmSync(lockFile, { force: true }); // left behind by a crashed process
      continue;
    }
    if (Number.isFinite(holder) && !announced) {
      opts.onWait?.(holder);
      announced = true;
    }
    // An empty file is a lock being written right now: look again soon.
    await wait(Number.isFinite(holder) ? (opts.pollMs ?? 500) : 50, undefined, { signal: opts.signal });
  }
}
