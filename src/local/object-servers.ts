/**
 * The object stores the state tests and benches run against, from the toolchain cache: moto (S3),
 * fake-gcs-server (GCS) and Azurite (Azure Blob), each started on loopback on a free port, in memory,
 * and stopped by its caller. `env` is what a client (platform, pulumi, tofu) needs to reach it — the
 * same variables it would use for the real cloud.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as wait } from 'node:timers/promises';
import { allocatePorts } from './ports.js';
import { ExternalError } from '../errors.js';
import { azuriteBlobMain, cachedToolPath, motoPython } from '../toolchain/layout.js';

export interface ObjectServer {
  name: 'moto' | 'fake-gcs-server' | 'azurite';
  /** The server's base URL. */
  url: string;
  /** The environment a client needs to reach it (credentials are the emulators' fixed test ones). */
  env: Record<string, string>;
  /** Creates a bucket (container) if it does not exist. */
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** Azurite's well-known development account (public, documented, not a secret). */
const AZURITE_ACCOUNT = 'devstoreaccount1';
const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

function need(file: string, what: string): string {
  if (!existsSync(file))
    throw new ExternalError(`${what} is not installed (${file})`, 'Run `platform toolchain install --test-servers` (npm test runs it first).');
  return file;
}

async function launch(name: ObjectServer['name'], command: string, args: string[], probe: string): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new ExternalError(`${name} exited at start (code ${child.exitCode}): ${stderr.trim()}`);
    try {
      const res = await fetch(probe, { signal: AbortSignal.timeout(2_000) });
      if (res.status < 500) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new ExternalError(`${name} did not answer on ${probe} within 60 s: ${stderr.trim()}`);
    }
    await wait(200);
  }
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await Promise.race([exited, wait(5_000).then(() => child.kill('SIGKILL'))]);
  };
}

/** moto's S3 server (conditional writes answer 412, as S3 does). */
export async function startS3Server(): Promise<ObjectServer> {
  const python = need(motoPython(), 'moto');
  const [port] = await allocatePorts(1);
  const url = `http://127.0.0.1:${port}`;
  const child = await launch('moto', python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], `${url}/`);
  const env = {
    AWS_ENDPOINT_URL_S3: url,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    // Never ask an instance metadata endpoint for credentials (there is none here).
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  return {
    name: 'moto',
    url,
    env,
    createBucket: async (bucket) => {
      const res = await fetch(`${url}/${bucket}`, { method: 'PUT' });
      if (!res.ok && res.status !== 409) throw new ExternalError(`moto: cannot create bucket ${bucket}: HTTP ${res.status} ${await res.text()}`);
    },
    stop: stopper(child),
  };
}

/** fake-gcs-server (preconditions: ifGenerationMatch answers 412). */
export async function startGcsServer(): Promise<ObjectServer> {
  const bin = need(cachedToolPath('fake-gcs-server'), 'fake-gcs-server');
  const [port] = await allocatePorts(1);
  const url = `http://127.0.0.1:${port}`;
  const child = await launch(
    'fake-gcs-server',
    bin,
    ['-scheme', 'http', '-host', '127.0.0.1', '-port', String(port), '-backend', 'memory', '-external-url', url, '-log-level', 'error'],
    `${url}/storage/v1/b`,
  );
  return {
    name: 'fake-gcs-server',
    url,
    // Pulumi's gs:// and OpenTofu's gcs backend want some Google credential even for an emulator; any token does.
    // host:port, as Google's clients expect it (Go's takes no scheme).
    env: { STORAGE_EMULATOR_HOST: `127.0.0.1:${port}`, GOOGLE_OAUTH_ACCESS_TOKEN: 'emulator' },
    createBucket: async (bucket) => {
      const res = await fetch(`${url}/storage/v1/b?project=test`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: bucket }),
      });
      if (!res.ok && res.status !== 409) throw new ExternalError(`fake-gcs-server: cannot create bucket ${bucket}: HTTP ${res.status} ${await res.text()}`);
    },
    stop: stopper(child),
  };
}

/** Azurite's blob service, in memory. */
export async function startAzurite(): Promise<ObjectServer> {
  const main = need(azuriteBlobMain(), 'Azurite');
  const [port] = await allocatePorts(1);
  const url = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
  const child = await launch(
    'azurite',
    process.execPath,
    [
      main,
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      String(port),
      '--inMemoryPersistence',
      '--skipApiVersionCheck',
      '--disableProductStyleUrl',
      '--silent',
      '--loose',
    ],
    `${url}?comp=list`,
  );
  const connectionString = `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${url};`;
  return {
    name: 'azurite',
    url,
    env: { AZURE_STORAGE_CONNECTION_STRING: connectionString },
    createBucket: async (container) => {
      const { BlobServiceClient } = await import('@azure/storage-blob');
      await BlobServiceClient.fromConnectionString(connectionString).getContainerClient(container).createIfNotExists();
    },
    stop: stopper(child),
  };
}
