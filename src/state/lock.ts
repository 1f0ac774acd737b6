/**
 * The one lock: an object created only-if-absent in a store, naming its holder (user, host, pid,
 * operation, since). Stack operations hold `locks/<stack id>.json` at the state location for a stack's
 * whole run, whatever the engine (each engine keeps its own lock too); the toolchain holds one in its
 * cache. A holder that died on this host (kill -9) is detected by its pid and its lock taken over; one
 * on another host stays until `platform state unlock` removes it.
 */
import { hostname, userInfo } from 'node:os';
import { setTimeout as wait } from 'node:timers/promises';
import { ExternalError } from '../errors.js';
import { isProcessAlive } from '../process.js';
import type { StateStore } from './store.js';

export interface LockHolder {
  user: string;
  host: string;
  pid: number;
  operation: string;
  since: string;
}

export const describeHolder = (h: LockHolder): string => `${h.operation} by ${h.user}@${h.host} (pid ${h.pid}, since ${h.since})`;

/** Another operation holds a stack: who, since when, and how to clear a lock whose holder is gone. */
export class StackLockedError extends ExternalError {
  constructor(
    readonly stackId: string,
    readonly holder: LockHolder | undefined,
    where: string,
  ) {
    super(
      `stack ${stackId} is locked${holder ? `: ${describeHolder(holder)}` : ''}`,
      `Wait for that operation to finish. If its process is gone for good, run \`platform state unlock ${stackId} --yes\` (the lock is ${where}).`,
    );
    this.name = 'StackLockedError';
  }
}

export const stackLockKey = (stackId: string): string => `locks/${stackId}.json`;

export interface Lock {
  holder: LockHolder;
  /** A plain function (no `this`): callers pass it on as the stack's release. */
  release: () => Promise<void>;
}

export interface AcquireOptions {
  /** Wait (polling) while another live process holds it, instead of failing at once. */
  wait?: boolean;
  /** Called once when waiting starts. */
  onWait?: (holder: LockHolder | undefined) => void;
  signal?: AbortSignal;
  pollMs?: number;
}

function me(operation: string): LockHolder {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (some containers)
  }
  return { user, host: hostname(), pid: process.pid, operation, since: new Date().toISOString() };
}

/** The holder of a lock, undefined when it is free or being written this very moment. */
export async function readHolder(store: StateStore, key: string): Promise<LockHolder | undefined> {
  const bytes = await store.read(key);
  if (!bytes?.length) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}

/** A holder on this host whose process is gone (killed, crashed): its lock may be taken over. */
const isDeadHere = (h: LockHolder | undefined): boolean => h !== undefined && h.host === hostname() && !isProcessAlive(h.pid);

/**
 * Takes the lock `key` in `store` for `operation`. Fails at once with StackLockedError (`name` is what
 * the error names) while another live process holds it, unless `wait` is set.
 */
export async function acquireLock(store: StateStore, key: string, name: string, operation: string, opts: AcquireOptions = {}): Promise<Lock> {
  const holder = me(operation);
  const text = JSON.stringify(holder);
  let announced = false;
  for (;;) {
    opts.signal?.throwIfAborted();
    if (await store.create(key, text)) {
      return { holder, release: () => store.delete(key) };
    }
    const current = await readHolder(store, key);
    if (isDeadHere(current)) {
      await store.delete(key);
      continue;
    }
    if (!opts.wait) {
      // Empty: another process is writing its holder right now; look once more before giving up.
      if (current === undefined) {
        await wait(50);
        const again = await readHolder(store, key);
        if (again === undefined && (await store.create(key, text))) return { holder, release: () => store.delete(key) };
        throw new StackLockedError(name, again, store.describe(key));
      }
      throw new StackLockedError(name, current, store.describe(key));
    }
    if (!announced) {
      opts.onWait?.(current);
      announced = true;
    }
    await wait(current ? (opts.pollMs ?? 500) : 50, undefined, { signal: opts.signal });
  }
}

/** What the stack runner holds around each stack's run: `locks/<stack id>.json` in the state store. */
export const stackLocker =
  (store: StateStore) =>
  async (stackId: string, operation: string): Promise<() => Promise<void>> =>
    (await acquireLock(store, stackLockKey(stackId), stackId, operation)).release;

/** Removes a lock whatever its holder (`platform state unlock`); returns who held it. */
export async function breakLock(store: StateStore, key: string): Promise<LockHolder | undefined> {
  const holder = await readHolder(store, key);
  await store.delete(key);
  return holder;
}
