/**
 * What the bucket stores share: keys relative to the location's prefix, bytes in and out, sorted
 * listings. Each cloud's store implements the object calls with its own SDK.
 */
import type { ExternalError } from '../../errors.js';
import { stateKey, type StateLocation } from '../location.js';
import type { StateObjectInfo, StateStore } from '../store.js';

export type RemoteObjectInfo = Omit<StateObjectInfo, 'key'>;

export abstract class RemoteStore implements StateStore {
  constructor(readonly location: StateLocation) {}

  /** Fails with one clear ExternalError when the bucket cannot be reached with the credentials at hand. */
  abstract check(): Promise<void>;
  protected abstract readObject(key: string): Promise<Buffer | undefined>;
  /** Full keys under a full prefix. */
  protected abstract listObjects(prefix: string): Promise<string[]>;
  protected abstract writeObject(key: string, data: Buffer): Promise<void>;
  protected abstract createObject(key: string, data: Buffer): Promise<boolean>;
  protected abstract deleteObject(key: string): Promise<void>;
  protected abstract statObject(key: string): Promise<RemoteObjectInfo | undefined>;
  /** One clear error for a failed call: what is missing (credentials, bucket, access) and what to do. */
  protected abstract failure(e: unknown, what: string): ExternalError;

  protected async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw this.failure(e, what);
    }
  }

  protected full(key: string): string {
    return stateKey(this.location, key);
  }

  describe(key: string): string {
    return `${this.location.scheme}://${this.location.bucket}/${this.full(key)}`;
  }

  read(key: string): Promise<Buffer | undefined> {
    return this.readObject(this.full(key));
  }

  async list(prefix: string): Promise<string[]> {
    const root = this.location.prefix ? `${this.location.prefix}/` : '';
    const keys = await this.listObjects(`${root}${prefix}`);
    return keys.map((k) => k.slice(root.length)).sort();
  }

  write(key: string, data: Buffer | string): Promise<void> {
    return this.writeObject(this.full(key), bytes(data));
  }

  create(key: string, data: Buffer | string): Promise<boolean> {
    return this.createObject(this.full(key), bytes(data));
  }

  delete(key: string): Promise<void> {
    return this.deleteObject(this.full(key));
  }

  async stat(key: string): Promise<StateObjectInfo | undefined> {
    const info = await this.statObject(this.full(key));
    return info && { key, ...info };
  }
}

const bytes = (data: Buffer | string): Buffer => (typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
