/**
 * State in an Azure Blob container, authenticated by the storage account's key, a SAS token or a
 * connection string (Azurite's included) from the environment (backends.ts). Locks are conditional
 * writes (`ifNoneMatch: '*'`); OpenTofu's azurerm backend locks by leasing the state blob, which
 * `leaseOf` reads and `breakLease` breaks (`platform state unlock`).
 */
import { BlobServiceClient, RestError, StorageSharedKeyCredential, type ContainerClient } from '@azure/storage-blob';
import { ExternalError } from '../../errors.js';
import { azureSettings } from '../backends.js';
import type { StateLocation } from '../location.js';
import type { BlobLease } from '../store.js';
import { RemoteStore, type RemoteObjectInfo } from './remote.js';

export class AzureBlobStore extends RemoteStore {
  private readonly container: ContainerClient;
  private readonly account: string;

  constructor(location: StateLocation, env: NodeJS.ProcessEnv = process.env) {
    super(location);
    const s = azureSettings(location, env);
    this.account = s.account;
    const service = s.connectionString
      ? BlobServiceClient.fromConnectionString(s.connectionString)
      : s.key
        ? new BlobServiceClient(s.endpoint, new StorageSharedKeyCredential(s.account, s.key))
        : new BlobServiceClient(`${s.endpoint}?${s.sasToken}`);
    this.container = service.getContainerClient(location.bucket!);
  }

  async check(): Promise<void> {
    const exists = await this.call('reach the container', () => this.container.exists());
    if (!exists) {
      throw new ExternalError(
        `state ${this.location.url}: container ${this.container.containerName} does not exist in storage account ${this.account}`,
        `Create it (\`az storage container create -n ${this.container.containerName} --account-name ${this.account}\`), or fix state: in platform.yaml.`,
      );
    }
  }

  protected async readObject(key: string): Promise<Buffer | undefined> {
    try {
      return await this.container.getBlobClient(key).downloadToBuffer();
    } catch (e) {
      if (status(e) === 404 && errorCode(e) !== 'ContainerNotFound') return undefined;
      throw this.failure(e, `read ${key}`);
    }
  }

  protected async listObjects(prefix: string): Promise<string[]> {
    return this.call(`list ${prefix || '/'}`, async () => {
      const keys: string[] = [];
      for await (const blob of this.container.listBlobsFlat({ prefix })) keys.push(blob.name);
      return keys;
    });
  }

  protected async writeObject(key: string, data: Buffer): Promise<void> {
    await this.call(`write ${key}`, () => this.container.getBlockBlobClient(key).upload(data, data.length));
  }

  protected async createObject(key: string, data: Buffer): Promise<boolean> {
    try {
      await this.container.getBlockBlobClient(key).upload(data, data.length, { conditions: { ifNoneMatch: '*' } });
      return true;
    } catch (e) {
      if (status(e) === 409 || status(e) === 412) return false;
      throw this.failure(e, `create ${key}`);
    }
  }

  protected async deleteObject(key: string): Promise<void> {
    await this.call(`delete ${key}`, () => this.container.getBlobClient(key).deleteIfExists());
  }

  protected async statObject(key: string): Promise<RemoteObjectInfo | undefined> {
    try {
      const p = await this.container.getBlobClient(key).getProperties();
      return { updated: (p.lastModified ?? new Date(0)).toISOString(), size: p.contentLength ?? 0 };
    } catch (e) {
      if (status(e) === 404) return undefined;
      throw this.failure(e, `read ${key}`);
    }
  }

  async leaseOf(key: string): Promise<BlobLease | undefined> {
    try {
      const p = await this.container.getBlobClient(this.full(key)).getProperties();
      return p.leaseState === 'leased' ? { metadata: p.metadata ?? {} } : undefined;
    } catch (e) {
      if (status(e) === 404) return undefined;
      throw this.failure(e, `read ${key}`);
    }
  }

  async breakLease(key: string): Promise<void> {
    await this.call(`break the lease of ${key}`, () => this.container.getBlobClient(this.full(key)).getBlobLeaseClient().breakLease(0));
  }

  protected failure(e: unknown, what: string): ExternalError {
    const where = `state ${this.location.url}`;
    if (errorCode(e) === 'ContainerNotFound') {
      return new ExternalError(
        `${where}: container ${this.container.containerName} does not exist in storage account ${this.account}`,
        `Create it (\`az storage container create -n ${this.container.containerName} --account-name ${this.account}\`).`,
        { cause: e },
      );
    }
    if (status(e) === 403 || errorCode(e) === 'AuthenticationFailed') {
      return new ExternalError(
        `${where}: access denied to storage account ${this.account} (${what})`,
        'Check AZURE_STORAGE_KEY / AZURE_STORAGE_SAS_TOKEN (or the connection string): it must belong to that account and allow read, write, list and delete.',
        { cause: e },
      );
    }
    return new ExternalError(
      `${where}: cannot ${what}: ${(e as Error).message.split('\n')[0]}`,
      `Is the blob endpoint of storage account ${this.account} reachable?`,
      { cause: e },
    );
  }
}

const status = (e: unknown): number | undefined => (e instanceof RestError ? e.statusCode : undefined);
const errorCode = (e: unknown): string | undefined => (e instanceof RestError ? e.code : undefined);
