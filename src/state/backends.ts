/**
 * What each remote state backend takes from the environment, read in one place: the in-process stores
 * (stores/*.ts), Pulumi's backend URL and OpenTofu's backend settings all follow the same variables
 * the clouds' own tools use. Credentials and endpoints never come from platform.yaml and never land in
 * a synthesized file: the engines get them through their environment.
 */
import { ExternalError } from '../errors.js';
import type { StateLocation } from './location.js';

type Env = NodeJS.ProcessEnv;

// ---- S3 (and S3-compatible stores: MinIO, R2, Ceph) -----------------------------------------------

export interface S3Settings {
  /** AWS_ENDPOINT_URL_S3 (else AWS_ENDPOINT_URL): an S3-compatible store instead of AWS. */
  endpoint?: string;
}

export function s3Settings(env: Env = process.env): S3Settings {
  const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
  return endpoint ? { endpoint } : {};
}

// ---- GCS -----------------------------------------------------------------------------------------

export interface GcsSettings {
  /** STORAGE_EMULATOR_HOST (fake-gcs-server and friends): no credentials needed. */
  emulatorHost?: string;
}

export function gcsSettings(env: Env = process.env): GcsSettings {
  const host = env.STORAGE_EMULATOR_HOST;
  return host ? { emulatorHost: /^https?:\/\//.test(host) ? host : `http://${host}` } : {};
}

// ---- Azure Blob ------------------------------------------------------------------------------------

export interface AzureSettings {
  account: string;
  /** The blob service endpoint (`https://<account>.blob.core.windows.net`, or Azurite's). */
  endpoint: string;
  key?: string;
  sasToken?: string;
  connectionString?: string;
}

/** `Key=Value;…` of an Azure Storage connection string. */
export function parseConnectionString(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

/**
 * The storage account and how to authenticate: AZURE_STORAGE_CONNECTION_STRING (Azurite's, or a real
 * account's), else AZURE_STORAGE_ACCOUNT (or ARM_STORAGE_ACCOUNT_NAME) with AZURE_STORAGE_KEY /
 * ARM_ACCESS_KEY or AZURE_STORAGE_SAS_TOKEN / ARM_SAS_TOKEN. Throws naming the variables when neither.
 */
export function azureSettings(location: StateLocation, env: Env = process.env): AzureSettings {
  const connectionString = env.AZURE_STORAGE_CONNECTION_STRING;
  if (connectionString) {
    const parts = parseConnectionString(connectionString);
    const account = parts.AccountName;
    if (!account)
      throw new ExternalError(
        'AZURE_STORAGE_CONNECTION_STRING has no AccountName',
        "Copy the connection string from the storage account (Access keys), or Azurite's from its docs.",
      );
    const protocol = parts.DefaultEndpointsProtocol || 'https';
    const endpoint = parts.BlobEndpoint || `${protocol}://${account}.blob.${parts.EndpointSuffix || 'core.windows.net'}`;
    return {
      account,
      endpoint: endpoint.replace(/\/$/, ''),
      connectionString,
      ...(parts.AccountKey ? { key: parts.AccountKey } : {}),
      ...(parts.SharedAccessSignature ? { sasToken: parts.SharedAccessSignature } : {}),
    };
  }
  const account = env.AZURE_STORAGE_ACCOUNT || env.ARM_STORAGE_ACCOUNT_NAME;
  const key = env.AZURE_STORAGE_KEY || env.ARM_ACCESS_KEY;
  const sasToken = (env.AZURE_STORAGE_SAS_TOKEN || env.ARM_SAS_TOKEN)?.replace(/^\?/, '');
  if (!account || (!key && !sasToken)) {
    throw new ExternalError(
      `state ${location.url} needs an Azure storage account and its credentials: ${!account ? 'AZURE_STORAGE_ACCOUNT is not set' : 'neither AZURE_STORAGE_KEY nor AZURE_STORAGE_SAS_TOKEN is set'}`,
      'Set AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY (`az storage account keys list -n ACCOUNT`), or AZURE_STORAGE_SAS_TOKEN, or AZURE_STORAGE_CONNECTION_STRING (ARM_STORAGE_ACCOUNT_NAME / ARM_ACCESS_KEY / ARM_SAS_TOKEN work too).',
    );
  }
  return { account, endpoint: `https://${account}.blob.core.windows.net`, ...(key ? { key } : {}), ...(sasToken ? { sasToken } : {}) };
}

// ---- the engines ------------------------------------------------------------------------------------

/**
 * Pulumi's DIY backend URL of a remote location (gocloud.dev URLs): the credentials stay in the
 * environment pulumi inherits; only what its URL must carry is added — path-style addressing for an
 * S3-compatible endpoint, and Azurite's endpoint (gocloud reads no connection string's BlobEndpoint).
 */
export function pulumiRemoteUrl(location: StateLocation, env: Env = process.env): string {
  const base = `${location.scheme}://${location.bucket}${location.prefix ? `/${location.prefix}` : ''}`;
  const query = new URLSearchParams();
  if (location.scheme === 's3' && s3Settings(env).endpoint) query.set('use_path_style', 'true');
  if (location.scheme === 'azblob') {
    const { endpoint, account } = azureSettings(location, env);
    const url = new URL(endpoint);
    if (!url.hostname.endsWith('.blob.core.windows.net')) {
      // Azurite (http://127.0.0.1:10000/devstoreaccount1) or a sovereign cloud's domain.
      const local = /^(127\.|localhost$|\[::1\]$)/.test(url.hostname);
      if (local) query.set('localemu', 'true');
      query.set('domain', `${url.host}${url.pathname.replace(/\/$/, '').replace(new RegExp(`/${account}$`), '')}`);
      query.set('protocol', url.protocol.replace(':', ''));
    }
  }
  const q = query.toString();
  return q ? `${base}?${q}` : base;
}

/** How the Azure settings reach the engines: the variables Pulumi's gocloud and OpenTofu's azurerm read. */
export function azureEngineEnv(location: StateLocation, env: Env = process.env): Record<string, string> {
  const s = azureSettings(location, env);
  return {
    AZURE_STORAGE_ACCOUNT: s.account,
    ...(s.key ? { AZURE_STORAGE_KEY: s.key, ARM_ACCESS_KEY: s.key } : {}),
    ...(s.sasToken ? { AZURE_STORAGE_SAS_TOKEN: s.sasToken, ARM_SAS_TOKEN: s.sasToken } : {}),
  };
}

/**
 * OpenTofu's backend settings that depend on the environment, as `-backend-config` arguments for
 * `tofu init` (never secrets: those stay in its environment, `env`). An S3-compatible endpoint has no
 * STS or account id to ask: skip those checks and address buckets by path, as such stores expect.
 */
export function tofuBackendSettings(location: StateLocation, env: Env = process.env): { args: string[]; env: Record<string, string> } {
  switch (location.scheme) {
    case 's3':
      return s3Settings(env).endpoint
        ? {
            args: [
              'use_path_style=true',
              'skip_credentials_validation=true',
              'skip_requesting_account_id=true',
              'skip_metadata_api_check=true',
              'skip_region_validation=true',
            ].map((a) => `-backend-config=${a}`),
            env: {},
          }
        : { args: [], env: {} };
    case 'gs': {
      const { emulatorHost } = gcsSettings(env);
      // The gcs backend's client honours STORAGE_EMULATOR_HOST itself; its custom endpoint takes the JSON API path.
      return emulatorHost ? { args: [`-backend-config=storage_custom_endpoint=${emulatorHost}/storage/v1/`], env: {} } : { args: [], env: {} };
    }
    case 'azblob': {
      const s = azureSettings(location, env);
      return { args: [`-backend-config=storage_account_name=${s.account}`], env: azureEngineEnv(location, env) };
    }
    case 'file':
      return { args: [], env: {} };
  }
}
