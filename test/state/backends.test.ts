import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { azureEngineEnv, azureSettings, pulumiRemoteUrl, tofuBackendSettings } from '../../src/state/backends.js';
import { resolveStateLocation } from '../../src/state/location.js';
import { openCheckedStateStore } from '../../src/state/store.js';
import { runCli } from '../helpers/cli.js';

const loc = (url: string) => resolveStateLocation(url, '/project');
const AZURITE = 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;';

describe("Pulumi's backend URL", () => {
  it('is the state URL for the clouds themselves (credentials stay in the environment)', () => {
    expect(pulumiRemoteUrl(loc('s3://acme/prod'), {})).toBe('s3://acme/prod');
    expect(pulumiRemoteUrl(loc('gs://acme/prod/eu'), {})).toBe('gs://acme/prod/eu');
    expect(pulumiRemoteUrl(loc('azblob://state/prod'), { AZURE_STORAGE_ACCOUNT: 'acme', AZURE_STORAGE_KEY: 'k' })).toBe('azblob://state/prod');
  });
  it('addresses an S3-compatible endpoint by path', () => {
    expect(pulumiRemoteUrl(loc('s3://acme/prod'), { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9000' })).toBe('s3://acme/prod?use_path_style=true');
  });
  it("carries Azurite's endpoint (gocloud reads no BlobEndpoint)", () => {
    expect(pulumiRemoteUrl(loc('azblob://state/prod'), { AZURE_STORAGE_CONNECTION_STRING: AZURITE })).toBe(
      'azblob://state/prod?localemu=true&domain=127.0.0.1%3A10000&protocol=http',
    );
  });
});

describe("OpenTofu's backend settings from the environment", () => {
  it('none for AWS itself; path style and no STS for an S3-compatible endpoint', () => {
    expect(tofuBackendSettings(loc('s3://acme/prod'), {})).toEqual({ args: [], env: {} });
    const compatible = tofuBackendSettings(loc('s3://acme/prod'), { AWS_ENDPOINT_URL_S3: 'http://minio:9000' });
    expect(compatible.args).toContain('-backend-config=use_path_style=true');
    expect(compatible.args).toContain('-backend-config=skip_credentials_validation=true');
  });
  it('azurerm: the account as backend config, the key only in the environment (never on disk)', () => {
    const s = tofuBackendSettings(loc('azblob://state/prod'), { AZURE_STORAGE_ACCOUNT: 'acme', AZURE_STORAGE_KEY: 'secret' });
    expect(s.args).toEqual(['-backend-config=storage_account_name=acme']);
    expect(s.args.join(' ')).not.toContain('secret');
    expect(s.env).toMatchObject({ ARM_ACCESS_KEY: 'secret', AZURE_STORAGE_ACCOUNT: 'acme' });
  });
  it('gcs: the emulator as custom endpoint', () => {
    expect(tofuBackendSettings(loc('gs://b/p'), { STORAGE_EMULATOR_HOST: '127.0.0.1:4443' }).args).toEqual([
      '-backend-config=storage_custom_endpoint=http://127.0.0.1:4443/storage/v1/',
    ]);
  });
});

describe('Azure settings', () => {
  it('from a connection string (Azurite), an account key, or a SAS token; ARM_* too', () => {
    expect(azureSettings(loc('azblob://c/p'), { AZURE_STORAGE_CONNECTION_STRING: AZURITE })).toMatchObject({
      account: 'devstoreaccount1',
      endpoint: 'http://127.0.0.1:10000/devstoreaccount1',
      key: 'a2V5',
    });
    expect(azureSettings(loc('azblob://c/p'), { ARM_STORAGE_ACCOUNT_NAME: 'acme', ARM_SAS_TOKEN: '?sv=1&sig=x' })).toEqual({
      account: 'acme',
      endpoint: 'https://acme.blob.core.windows.net',
      sasToken: 'sv=1&sig=x',
    });
    expect(azureEngineEnv(loc('azblob://c/p'), { AZURE_STORAGE_ACCOUNT: 'acme', AZURE_STORAGE_SAS_TOKEN: 'sv=1' })).toEqual({
      AZURE_STORAGE_ACCOUNT: 'acme',
      AZURE_STORAGE_SAS_TOKEN: 'sv=1',
      ARM_SAS_TOKEN: 'sv=1',
    });
  });
  it('names the missing variable', () => {
    expect(() => azureSettings(loc('azblob://c/p'), {})).toThrow(
      'state azblob://c/p needs an Azure storage account and its credentials: AZURE_STORAGE_ACCOUNT is not set',
    );
    expect(() => azureSettings(loc('azblob://c/p'), { AZURE_STORAGE_ACCOUNT: 'acme' })).toThrow('neither AZURE_STORAGE_KEY nor AZURE_STORAGE_SAS_TOKEN is set');
  });
});

describe('a missing AWS credential or region is one clear error before any request', () => {
  const clean = (extra: Record<string, string>) => {
    const saved = { ...process.env };
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) Reflect.deleteProperty(process.env, k);
    Object.assign(process.env, { HOME: mkdtempSync(join(tmpdir(), 'no-aws-')), AWS_EC2_METADATA_DISABLED: 'true' }, extra);
    return () => {
      for (const k of Object.keys(process.env)) Reflect.deleteProperty(process.env, k);
      Object.assign(process.env, saved);
    };
  };
  it('no credentials: names the variables and what to run', async () => {
    const restore = clean({ AWS_REGION: 'eu-west-1' });
    try {
      const e = (await openCheckedStateStore(loc('s3://acme/prod')).catch((x: unknown) => x)) as Error & { hint?: string };
      expect(e.message).toBe('state s3://acme/prod: no AWS credentials found');
      expect(e.hint).toContain('AWS_ACCESS_KEY_ID');
      expect(e.hint).toContain('aws configure');
    } finally {
      restore();
    }
  });
  it('no region: names AWS_REGION', async () => {
    const restore = clean({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' });
    try {
      const e = (await openCheckedStateStore(loc('s3://acme/prod')).catch((x: unknown) => x)) as Error & { hint?: string };
      expect(e.message).toBe('state s3://acme/prod: no AWS region');
      expect(e.hint).toContain('AWS_REGION');
    } finally {
      restore();
    }
  });
});

describe('before any engine starts', () => {
  it('plan on a bucket without credentials: exit 1, one error naming the variables, nothing written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'platform-no-azure-'));
    writeFileSync(
      join(dir, 'platform.yaml'),
      'apiVersion: platform.dev/v1\nname: acme\nengine: terraform\nstate: azblob://state/prod\nregions:\n  - { name: eu, cloud: local, location: local-eu, role: primary }\ntenants:\n  - { name: t1, plan: starter, owners: [a@example.com] }\nservices: []\n',
    );
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AZURE_') && !k.startsWith('ARM_')));
    const r = await runCli(['plan', '--stack', 'tenant/eu/t1', '--json'], { cwd: dir, env, extendEnv: false });
    expect(r.exitCode).toBe(1);
    const doc = JSON.parse(r.stdout) as { error: { kind: string; message: string; hint: string } };
    expect(doc.error).toMatchObject({
      kind: 'external',
      message: 'state azblob://state/prod needs an Azure storage account and its credentials: AZURE_STORAGE_ACCOUNT is not set',
    });
    expect(doc.error.hint).toContain('AZURE_STORAGE_KEY');
    expect(existsSync(join(dir, '.platform', 'tf'))).toBe(false);
  }, 60_000);
});
