/**
 * `platform state list | unlock | migrate`: what a team needs around shared state. Every engine's state
 * and lock is reached through the state store (any backend) and the engine descriptors, never through
 * an engine process.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { loadConfig } from './config/load.js';
import { UsageError } from './errors.js';
import { ENGINE_NAMES, engineDescriptor, type EngineName } from './engines/registry.js';
import type { EngineDescriptor, StateContext, StateCopy } from './engines/types.js';
import { planStacks } from './stacks/plan.js';
import { resolveStateLocation, stateKey, type StateLocation } from './state/location.js';
import { acquireLock, readHolder, stackLockKey, type Lock, type LockHolder } from './state/lock.js';
import { openCheckedStateStore, type StateStore } from './state/store.js';

interface Opened {
  ctx: StateContext;
  store: StateStore;
  engines: EngineDescriptor[];
  /** The engine platform.yaml names. */
  engine: EngineName;
  /** Stack IDs the config plans now. */
  planned: string[];
}

async function open(configFile: string): Promise<Opened> {
  const { config, projectDir } = loadConfig(configFile);
  const state = resolveStateLocation(config.state, projectDir);
  const store = await openCheckedStateStore(state);
  const engines = await Promise.all(ENGINE_NAMES.map((n) => engineDescriptor(n)));
  return { ctx: { projectDir, project: config.name, state }, store, engines, engine: config.engine, planned: planStacks(config).map((s) => s.id) };
}

/** Stack IDs that hold a `platform` stack lock (`locks/<id>.json`). */
async function lockedStackIds(store: StateStore): Promise<string[]> {
  return (await store.list('locks/')).filter((k) => k.endsWith('.json')).map((k) => k.slice('locks/'.length, -'.json'.length));
}

// ---- list ------------------------------------------------------------------------------------------

export interface StateListEntry {
  id: string;
  engine: EngineName;
  /** The state location (platform.yaml `state:`). */
  backend: string;
  /** The object holding the stack's state, inside the bucket (or under the directory). */
  key: string;
  /** When it was last written (ISO 8601); null when there is no state, only a lock. */
  updated: string | null;
  /** Resources the state holds; null when it could not be read (see error). */
  resources: number | null;
  /** Who holds the stack: platform's stack lock, else the engine's own lock; null when free. */
  lockedBy: (LockHolder & { lock: string }) | null;
  error?: string;
}

export interface StateListResult {
  backend: string;
  stacks: StateListEntry[];
}

export async function listState(configFile: string): Promise<StateListResult> {
  const { ctx, store, engines, engine: configured } = await open(configFile);
  const entries: StateListEntry[] = [];
  const seen = new Set<string>();
  const entry = async (engine: EngineDescriptor, id: string, exists: boolean): Promise<StateListEntry> => {
    const key = engine.stateKey(ctx, id);
    const out: StateListEntry = {
      id,
      engine: engine.name,
      backend: ctx.state.url,
      key: stateKey(ctx.state, key),
      updated: null,
      resources: null,
      lockedBy: null,
    };
    try {
      if (exists) {
        const [info, state] = await Promise.all([store.stat(key), engine.stateReader(ctx, store).read(id)]);
        out.updated = info?.updated ?? null;
        out.resources = state.resources;
      } else out.resources = 0;
    } catch (e) {
      out.error = e instanceof Error ? e.message : String(e);
    }
    out.lockedBy = await lockedBy(store, engine, ctx, id);
    return out;
  };
  for (const engine of engines) {
    const ids = await engine.stateReader(ctx, store).stackIds();
    entries.push(...(await Promise.all(ids.map((id) => entry(engine, id, true)))));
    for (const id of ids) seen.add(id);
  }
  // A stack locked before its first apply finished has a lock and no state yet.
  const lockedOnly = (await lockedStackIds(store)).filter((id) => !seen.has(id));
  entries.push(
    ...(await Promise.all(
      lockedOnly.map(async (id) =>
        entry(
          engines.find((e) => e.name === configured)!,
          id,
          false,
        ),
      ),
    )),
  );
  entries.sort((a, b) => a.id.localeCompare(b.id) || a.engine.localeCompare(b.engine));
  return { backend: ctx.state.url, stacks: entries };
}

async function lockedBy(store: StateStore, engine: EngineDescriptor, ctx: StateContext, id: string): Promise<StateListEntry['lockedBy']> {
  const ours = await readHolder(store, stackLockKey(id));
  if (ours) return { ...ours, lock: store.describe(stackLockKey(id)) };
  const theirs = (await engine.engineLocks(store, ctx, id)).at(0);
  return theirs ? { ...(theirs.holder ?? { user: '?', host: '?', pid: 0, operation: `a ${engine.name} operation`, since: '?' }), lock: theirs.where } : null;
}

// ---- unlock ----------------------------------------------------------------------------------------

export interface RemovedLock {
  /** `platform` (the stack lock) or the engine whose own lock it was. */
  owner: 'platform' | EngineName;
  where: string;
  holder: LockHolder | null;
}

export interface StateUnlockResult {
  stacks: Array<{ id: string; removed: RemovedLock[] }>;
}

export interface UnlockOptions {
  configFile: string;
  stackIds?: string[];
  all?: boolean;
  yes?: boolean;
}

/**
 * Removes every lock of the stacks — platform's stack lock and each engine's own — whatever their
 * holder: for a holder that is gone for good (killed, a lost CI runner). Needs --yes.
 */
export async function unlockState(opts: UnlockOptions): Promise<StateUnlockResult> {
  const ids = opts.stackIds ?? [];
  if (Boolean(opts.all) === ids.length > 0)
    throw new UsageError('state unlock needs stack IDs or --all (not both)', [], 'See `platform state list` for the locked stacks.');
  if (!opts.yes) {
    throw new UsageError(
      'state unlock removes locks whatever their holder: pass --yes',
      [],
      'Only unlock a stack whose operation is gone for good (killed, a lost CI runner): a live holder would then write state alongside the next run.',
    );
  }
  const { ctx, store, engines, planned } = await open(opts.configFile);
  const withState = new Set<string>();
  for (const engine of engines) for (const id of await engine.stateReader(ctx, store).stackIds()) withState.add(id);
  const locked = await lockedStackIds(store);
  let targets: string[];
  if (opts.all) targets = [...new Set([...planned, ...withState, ...locked])].sort();
  else {
    const known = new Set([...planned, ...withState, ...locked]);
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length)
      throw new UsageError(
        `unknown stack ${unknown.join(', ')}`,
        unknown.map((id) => ({ path: 'STACK', message: `${id} is neither in platform.yaml nor in the state` })),
        'List the stacks with `platform state list`.',
      );
    targets = ids;
  }
  const stacks: StateUnlockResult['stacks'] = [];
  for (const id of targets) {
    const removed: RemovedLock[] = [];
    const holder = await readHolder(store, stackLockKey(id));
    if (holder || (await store.stat(stackLockKey(id)))) {
      await store.delete(stackLockKey(id));
      removed.push({ owner: 'platform', where: store.describe(stackLockKey(id)), holder: holder ?? null });
    }
    for (const engine of engines) {
      for (const lock of await engine.engineLocks(store, ctx, id)) {
        await lock.remove();
        removed.push({ owner: engine.name, where: lock.where, holder: lock.holder ?? null });
      }
    }
    if (removed.length || !opts.all) stacks.push({ id, removed });
  }
  return { stacks };
}

// ---- migrate ---------------------------------------------------------------------------------------

export type MigrateEvent =
  { type: 'planned'; objects: number; stacks: number } | { type: 'copied'; key: string; done: number; total: number } | { type: 'verified'; objects: number };

export interface StateMigrateResult {
  from: string;
  to: string;
  stacks: Array<{ id: string; engine: EngineName; from: string; to: string }>;
  /** Objects copied (state, Pulumi's history and metadata); already present and identical ones are skipped. */
  copied: number;
  skipped: number;
  /** platform.yaml now names `to`. */
  configFile: string;
  /** The old state is left in place: nothing is deleted. */
  left: string;
}

export interface MigrateOptions {
  configFile: string;
  to: string;
  onEvent?: (e: MigrateEvent) => void;
}

const digest = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/**
 * Moves every stack's state (both engines) from the current location to `to`: holds every stack's
 * lock, copies, reads every copy back and compares its digest, and only then switches `state:` in
 * platform.yaml. The old state stays where it was. Stopped halfway, nothing is lost (platform.yaml
 * still names the old location) and running it again copies what is missing.
 */
export async function migrateState(opts: MigrateOptions): Promise<StateMigrateResult> {
  const emit = opts.onEvent ?? (() => {});
  const loaded = loadConfig(opts.configFile);
  const from = await open(opts.configFile);
  const target: StateLocation = resolveStateLocation(opts.to, loaded.projectDir);
  if (sameLocation(target, from.ctx.state)) throw new UsageError(`state is ${from.ctx.state.url} already`, [], 'Pass --to with another location.');
  const toCtx: StateContext = { ...from.ctx, state: target };
  const to = await openCheckedStateStore(target);

  // What moves: what each engine keeps of these stacks (its descriptor says which keys).
  const copies: StateCopy[] = [];
  const stacks: StateMigrateResult['stacks'] = [];
  for (const engine of from.engines) {
    const ids = await engine.stateReader(from.ctx, from.store).stackIds();
    for (const id of ids)
      stacks.push({ id, engine: engine.name, from: from.store.describe(engine.stateKey(from.ctx, id)), to: to.describe(engine.stateKey(toCtx, id)) });
    copies.push(...(await engine.stateCopies(from.store, from.ctx, toCtx, ids)));
  }
  emit({ type: 'planned', objects: copies.length, stacks: stacks.length });

  // No apply may write the old state while it moves: every stack's lock, or none.
  const locks: Lock[] = [];
  try {
    for (const id of [...new Set(stacks.map((s) => s.id))]) locks.push(await acquireLock(from.store, stackLockKey(id), id, 'state migrate'));
    let copied = 0;
    let skipped = 0;
    const conflicts: string[] = [];
    const planned: Array<StateCopy & { bytes: Buffer }> = [];
    for (const c of copies) {
      const bytes = await from.store.read(c.from);
      if (!bytes) continue; // listed, then gone (a .bak rotated): nothing to move
      const there = await to.read(c.to);
      if (there && digest(there) === digest(bytes)) skipped++;
      else if (there && c.to !== '.pulumi/meta.yaml') conflicts.push(to.describe(c.to));
      else if (!there) planned.push({ ...c, bytes });
      else skipped++; // the target's own Pulumi metadata stays
    }
    if (conflicts.length) {
      throw new UsageError(
        `${target.url} already holds other state for ${conflicts.length} object${conflicts.length === 1 ? '' : 's'}`,
        conflicts.map((c) => ({ path: c, message: 'exists with different contents' })),
        'Nothing was copied. Pick an empty location, or remove those objects if they are stale.',
      );
    }
    for (const c of planned) {
      await to.write(c.to, c.bytes);
      copied++;
      emit({ type: 'copied', key: c.to, done: copied, total: planned.length });
    }
    // Verify every object at the target before anything points at it.
    for (const c of planned) {
      const back = await to.read(c.to);
      if (!back || digest(back) !== digest(c.bytes))
        throw new UsageError(`${to.describe(c.to)} does not read back as written`, [], 'platform.yaml still names the old location; run the migration again.');
    }
    emit({ type: 'verified', objects: planned.length + skipped });
    switchStateInConfig(loaded.file, opts.to);
    return { from: from.ctx.state.url, to: opts.to, stacks, copied, skipped, configFile: loaded.file, left: from.ctx.state.url };
  } finally {
    for (const lock of locks) await lock.release();
  }
}

function sameLocation(a: StateLocation, b: StateLocation): boolean {
  return a.scheme === b.scheme && (a.scheme === 'file' ? a.dir === b.dir : a.bucket === b.bucket && a.prefix === b.prefix);
}

/** Rewrites `state:` in platform.yaml, keeping its comments and layout; atomic (temp file + rename). */
function switchStateInConfig(file: string, url: string): void {
  const doc = parseDocument(readFileSync(file, 'utf8'));
  doc.set('state', url);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, doc.toString());
  renameSync(temp, file);
}
