/**
 * State in Google Cloud Storage, with Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS,
 * `gcloud auth application-default login`, a workload identity), or an emulator through
 * STORAGE_EMULATOR_HOST. Locks are conditional writes (`ifGenerationMatch: 0`).
 */
import { Storage, type Bucket } from '@google-cloud/storage';
import { ExternalError } from '../../errors.js';
import { gcsSettings } from '../backends.js';
import type { StateLocation } from '../location.js';
import { RemoteStore, type RemoteObjectInfo } from './remote.js';

export class GcsStore extends RemoteStore {
  private readonly bucket: Bucket;

  constructor(location: StateLocation, env: NodeJS.ProcessEnv = process.env) {
    super(location);
    this.bucket = newStorage(gcsSettings(env).emulatorHost).bucket(location.bucket!);
  }

  async check(): Promise<void> {
    const [exists] = await this.call('reach the bucket', () => this.bucket.exists());
    if (!exists)
      throw new ExternalError(
        `state ${this.location.url}: bucket ${this.bucket.name} does not exist`,
        `Create it (\`gcloud storage buckets create gs://${this.bucket.name}\`), or fix state: in platform.yaml.`,
      );
  }

  protected async readObject(key: string): Promise<Buffer | undefined> {
    try {
      const [data] = await this.bucket.file(key).download();
      return data;
    } catch (e) {
      if (code(e) === 404 && !/bucket/i.test((e as Error).message)) return undefined;
      throw this.failure(e, `read ${key}`);
    }
  }

  protected async listObjects(prefix: string): Promise<string[]> {
    const [files] = await this.call(`list ${prefix || '/'}`, () => this.bucket.getFiles({ prefix, autoPaginate: true }));
    return files.map((f) => f.name);
  }

  protected async writeObject(key: string, data: Buffer): Promise<void> {
    await this.call(`write ${key}`, () => this.bucket.file(key).save(data, { resumable: false, validation: false }));
  }

  protected async createObject(key: string, data: Buffer): Promise<boolean> {
    try {
      await this.bucket.file(key).save(data, { resumable: false, validation: false, preconditionOpts: { ifGenerationMatch: 0 } });
      return true;
    } catch (e) {
      if (code(e) === 412) return false;
      throw this.failure(e, `create ${key}`);
    }
  }

  protected async deleteObject(key: string): Promise<void> {
    await this.call(`delete ${key}`, () => this.bucket.file(key).delete({ ignoreNotFound: true }));
  }

  protected async statObject(key: string): Promise<RemoteObjectInfo | undefined> {
    try {
      const [meta] = await this.bucket.file(key).getMetadata();
      return { updated: new Date(meta.updated ?? 0).toISOString(), size: Number(meta.size ?? 0) };
    } catch (e) {
      if (code(e) === 404) return undefined;
      throw this.failure(e, `read ${key}`);
    }
  }

  protected failure(e: unknown, what: string): ExternalError {
    const message = (e as Error).message;
    const where = `state ${this.location.url}`;
    if (/default credentials|Could not load the default credentials|invalid_grant|Unable to detect a Project Id/i.test(message)) {
      return new ExternalError(
        `${where}: no Google Cloud credentials found`,
        'Set GOOGLE_APPLICATION_CREDENTIALS to a service account key file, or run `gcloud auth application-default login` (STORAGE_EMULATOR_HOST for an emulator).',
        { cause: e },
      );
    }
    if (code(e) === 404)
      return new ExternalError(
        `${where}: bucket ${this.bucket.name} does not exist`,
        `Create it (\`gcloud storage buckets create gs://${this.bucket.name}\`), or fix state: in platform.yaml.`,
        { cause: e },
      );
    if (code(e) === 403 || code(e) === 401) {
      return new ExternalError(
        `${where}: access denied to bucket ${this.bucket.name} (${what})`,
        'The credentials need roles/storage.objectAdmin on the bucket.',
        { cause: e },
      );
    }
    const emulator = gcsSettings().emulatorHost;
    return new ExternalError(
      `${where}: cannot ${what}: ${message}`,
      emulator ? `Is the emulator at ${emulator} (STORAGE_EMULATOR_HOST) running?` : 'Check the network and the credentials, then try again.',
      { cause: e },
    );
  }
}

/**
 * The client; for an emulator, its root URL as apiEndpoint. STORAGE_EMULATOR_HOST is the host root
 * for every other tool (Go's client, pulumi, tofu), but this library would take it as its JSON API's
 * base URL (without `/storage/v1`): it must not see the variable while it is constructed.
 */
function newStorage(emulatorHost: string | undefined): Storage {
  if (!emulatorHost) return new Storage();
  const saved = process.env.STORAGE_EMULATOR_HOST;
  delete process.env.STORAGE_EMULATOR_HOST;
  try {
    return new Storage({ apiEndpoint: emulatorHost, projectId: 'emulator' });
  } finally {
    if (saved !== undefined) process.env.STORAGE_EMULATOR_HOST = saved;
  }
}

const code = (e: unknown): number | undefined => {
  const c = (e as { code?: unknown }).code;
  return typeof c === 'number' ? c : undefined;
};
