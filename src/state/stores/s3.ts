/**
 * State in S3 (or an S3-compatible store through AWS_ENDPOINT_URL_S3), with the AWS SDK's own
 * credential and region chains. Locks are conditional writes (`If-None-Match: *`).
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { ExternalError } from '../../errors.js';
import { s3Settings } from '../backends.js';
import type { StateLocation } from '../location.js';
import { RemoteStore, type RemoteObjectInfo } from './remote.js';

export class S3Store extends RemoteStore {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(location: StateLocation, env: NodeJS.ProcessEnv = process.env) {
    super(location);
    this.bucket = location.bucket!;
    // An S3-compatible endpoint (MinIO, R2, Ceph, moto) is addressed by path, as such stores expect.
    this.client = new S3Client({ forcePathStyle: Boolean(s3Settings(env).endpoint), maxAttempts: 3 });
  }

  async check(): Promise<void> {
    await this.call('reach the bucket', () => this.client.send(new HeadBucketCommand({ Bucket: this.bucket })));
  }

  protected async readObject(key: string): Promise<Buffer | undefined> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return Buffer.from(await out.Body!.transformToByteArray());
    } catch (e) {
      if (status(e) === 404 && !isMissingBucket(e)) return undefined;
      throw this.failure(e, `read ${key}`);
    }
  }

  protected async listObjects(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.call(`list ${prefix || '/'}`, () =>
        this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token })),
      );
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  protected async writeObject(key: string, data: Buffer): Promise<void> {
    await this.call(`write ${key}`, () => this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: data })));
  }

  protected async createObject(key: string, data: Buffer): Promise<boolean> {
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: data, IfNoneMatch: '*' }));
      return true;
    } catch (e) {
      // 412: it exists; 409: another conditional write to the same key is in flight (it wins).
      if (status(e) === 412 || status(e) === 409) return false;
      throw this.failure(e, `create ${key}`);
    }
  }

  protected async deleteObject(key: string): Promise<void> {
    await this.call(`delete ${key}`, () => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })));
  }

  protected async statObject(key: string): Promise<RemoteObjectInfo | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { updated: (head.LastModified ?? new Date(0)).toISOString(), size: head.ContentLength ?? 0 };
    } catch (e) {
      if (status(e) === 404) return undefined;
      throw this.failure(e, `read ${key}`);
    }
  }

  /** One clear error naming what is missing: the credentials, the region, the bucket, or access. */
  protected failure(e: unknown, what: string): ExternalError {
    const name = (e as Error).name;
    const message = (e as Error).message;
    const where = `state ${this.location.url}`;
    const endpoint = s3Settings().endpoint;
    if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
      return new ExternalError(
        `${where}: no AWS credentials found`,
        'Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE (run `aws configure` or `aws sso login --profile NAME` first).',
        { cause: e },
      );
    }
    if (/Region is missing/i.test(message)) {
      return new ExternalError(`${where}: no AWS region`, 'Set AWS_REGION (the region of the bucket), or a region in the profile of AWS_PROFILE.', {
        cause: e,
      });
    }
    if (isMissingBucket(e) || (status(e) === 404 && what === 'reach the bucket')) {
      return new ExternalError(
        `${where}: bucket ${this.bucket} does not exist${endpoint ? ` at ${endpoint}` : ''}`,
        `Create it (\`aws s3 mb s3://${this.bucket}\`), or fix state: in platform.yaml.`,
        { cause: e },
      );
    }
    if (status(e) === 403) {
      return new ExternalError(
        `${where}: access denied to bucket ${this.bucket} (${what})`,
        'The credentials in AWS_ACCESS_KEY_ID / AWS_PROFILE need s3:ListBucket, s3:GetObject, s3:PutObject and s3:DeleteObject on it.',
        { cause: e },
      );
    }
    const code = e instanceof S3ServiceException ? ` (HTTP ${status(e)} ${name})` : '';
    return new ExternalError(
      `${where}: cannot ${what}: ${message}${code}`,
      endpoint ? `Is the S3 endpoint ${endpoint} (AWS_ENDPOINT_URL_S3) reachable?` : 'Check the network and the AWS credentials, then try again.',
      { cause: e },
    );
  }
}

const status = (e: unknown): number | undefined => (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
const isMissingBucket = (e: unknown): boolean => (e as Error).name === 'NoSuchBucket';
