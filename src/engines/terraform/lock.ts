/**
 * One operation per stack at a time. tofu's own state lock only covers each tofu command, while one
 * platform operation runs several (init, plan, show, apply) in a shared work dir; this lock covers the
 * whole operation and names its holder. Created with O_EXCL; a holder that died (kill -9) on this host
 * is detected by its pid and its lock taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { dirname } from 'node:path';
import { ExternalError } from '../../errors.js';

export interface LockHolder {
  pid: number;
  host: string;
  user: string;
  operation: string;
  started: string;
}

export const describeHolder = (h: LockHolder): string => `${h.operation} by ${h.user}@${h.host} (pid ${h.pid}, since ${h.started})`;

export class StackLockedError extends ExternalError {
  constructor(
    readonly stackId: string,
    readonly holder: LockHolder | undefined,
    lockFile: string,
  ) {
    super(
      `stack ${stackId} is locked${holder ? `: ${describeHolder(holder)}` : ''}`,
      `Wait for that operation to finish. If it is gone for good, remove ${lockFile}.`,
    );
    this.name = 'StackLockedError';
  }
}

/** Takes the lock or throws StackLockedError at once (no waiting). Returns the release function. */
export function acquireStackLock(lockFile: string, stackId: string, operation: string): () => void {
  mkdirSync(dirname(lockFile), { recursive: true });
  const me: LockHolder = { pid: process.pid, host: hostname(), user: safeUser(), operation, started: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      return () => rmSync(lockFile, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readHolder(lockFile);
      if (holder && holder.host === me.host && !alive(holder.pid)) {
        // The holder died without releasing (kill -9): its tofu released tofu's own lock with it.
        rmSync(lockFile, { force: true });
        continue;
      }
      throw new StackLockedError(stackId, holder, lockFile);
    }
  }
  throw new StackLockedError(stackId, readHolder(lockFile), lockFile);
}

function readHolder(lockFile: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(lockFile, 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
