/**
 * The state location as a key/value store: what every reader of state (drift, the engine-switch
 * refusal, lock holders, `platform state`) and the stack lock use, whatever the backend. Keys are
 * `/`-separated and relative to the location (its directory, or its bucket prefix). The bucket
 * stores (stores/*.ts) load their cloud SDK only when a location of theirs is opened.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { ExternalError } from '../errors.js';
import type { StateLocation } from './location.js';

export interface StateObjectInfo {
  key: string;
  /** Last modified, ISO 8601. */
  updated: string;
  size: number;
}

/** A lease on a blob (OpenTofu's azurerm lock): its metadata names the holder. */
export interface BlobLease {
  metadata: Record<string, string>;
}

export interface StateStore {
  readonly location: StateLocation;
  /** The object's bytes, or undefined when there is none. */
  read(key: string): Promise<Buffer | undefined>;
  /** Every key under `prefix` (recursively), sorted. */
  list(prefix: string): Promise<string[]>;
  /** Writes (replaces) the object atomically. */
  write(key: string, data: Buffer | string): Promise<void>;
  /** Creates the object only if there is none; false when one exists (how locks are taken). */
  create(key: string, data: Buffer | string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** When the object was last written and its size; undefined when there is none. */
  stat(key: string): Promise<StateObjectInfo | undefined>;
  /** Where a key is, for messages (a path, or a URL). */
  describe(key: string): string;
  /**
   * Fails with one clear ExternalError (naming the variable, the bucket, and what to run) when the
   * location cannot be used with the credentials at hand; run before any engine starts.
   */
  check(): Promise<void>;
  /** Azure Blob only: the lease on a blob, if any. */
  leaseOf?(key: string): Promise<BlobLease | undefined>;
  /** Azure Blob only: breaks the lease on a blob. */
  breakLease?(key: string): Promise<void>;
}

/** A directory as a store (the toolchain's own lock lives in one). */
export const directoryStore = (dir: string): StateStore => new FileStore({ url: `file://${dir}`, scheme: 'file', dir, prefix: '' });

/** The store of a state location (a bucket store loads its cloud's SDK here, on first use). */
export async function openStateStore(location: StateLocation, env: NodeJS.ProcessEnv = process.env): Promise<StateStore> {
  switch (location.scheme) {
    case 'file':
      return new FileStore(location);
    case 's3':
      return new (await import('./stores/s3.js')).S3Store(location, env);
    case 'gs':
      return new (await import('./stores/gcs.js')).GcsStore(location, env);
    case 'azblob':
      return new (await import('./stores/azblob.js')).AzureBlobStore(location, env);
  }
}

/** The store of a state location, opened and checked: what commands call before any engine starts. */
export async function openCheckedStateStore(location: StateLocation): Promise<StateStore> {
  const store = await openStateStore(location);
  await store.check();
  return store;
}

/** Writes all of `data` (writeSync may write less than asked). */
function writeAllSync(fd: number, data: Buffer | string): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done, bytes.length - done);
}

class FileStore implements StateStore {
  private readonly root: string;
  constructor(readonly location: StateLocation) {
    this.root = location.dir!;
  }

  private path(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  describe(key: string): string {
    return this.path(key);
  }

  read(key: string): Promise<Buffer | undefined> {
    try {
      return Promise.resolve(readFileSync(this.path(key)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return Promise.resolve(undefined);
      throw e;
    }
  }

  list(prefix: string): Promise<string[]> {
    const out: string[] = [];
    const walk = (dir: string): void => {
      if (!existsSync(dir)) return;
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else out.push(relative(this.root, p).split(sep).join('/'));
      }
    };
    walk(this.path(prefix));
    return Promise.resolve(out.sort());
  }

  write(key: string, data: Buffer | string): Promise<void> {
    const file = this.path(key);
    mkdirSync(dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    const fd = openSync(temp, 'w', 0o600);
    try {
      try {
        writeAllSync(fd, data);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, file);
    } catch (e) {
      // A full disk (ENOSPC) fails the write: the old object stays whole and no temp file is left.
      rmSync(temp, { force: true });
      throw e;
    }
    return Promise.resolve();
  }

  create(key: string, data: Buffer | string): Promise<boolean> {
    const file = this.path(key);
    mkdirSync(dirname(file), { recursive: true });
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return Promise.resolve(false);
      throw e;
    }
    try {
      try {
        writeAllSync(fd, data);
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      // Created but not written (a full disk): an empty lock would read as one "being written" and
      // refuse every later run, so the half-made object goes.
      rmSync(file, { force: true });
      throw e;
    }
    return Promise.resolve(true);
  }

  delete(key: string): Promise<void> {
    rmSync(this.path(key), { force: true });
    return Promise.resolve();
  }

  stat(key: string): Promise<StateObjectInfo | undefined> {
    const st = statSync(this.path(key), { throwIfNoEntry: false });
    return Promise.resolve(st?.isFile() ? { key, updated: st.mtime.toISOString(), size: st.size } : undefined);
  }

  /** A directory is created on first write: nothing to check. */
  check(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * A state document's JSON, or one ExternalError naming where it is, what is wrong with it and how to
 * recover (each engine says where its backup copy is).
 */
export function parseStateJson(text: string, where: string, what: string, recovery: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ExternalError(`${where}: not a readable ${what} (${(e as Error).message})`, recovery);
  }
}
