/**
 * Pulumi's DIY-backend state, read in-process (no pulumi process): the checkpoint of each stack at
 * `.pulumi/stacks/<project>/<stack id with / as .>.json[.gz]` under the state location, each
 * `platform:kubernetes:Object` with `outputs.manifest` (the manifest it applied; Secret values live
 * apart in the encrypted `secretData`, never read here).
 */
import { createDecipheriv, pbkdf2 } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { objectKey } from '../../objects/identity.js';
import type { KubeObject } from '../../objects/model.js';
import { openStateStore, parseStateJson, type StateStore } from '../../state/store.js';
import type { StackState, StateContext, StateCopy, StateReader } from '../types.js';
import { ExternalError } from '../../errors.js';
import { readPassphrase } from '../passphrase.js';

/** The provider's resource type (provider/object.ts registers it under this token). */
export const OBJECT_TYPE = 'platform:kubernetes:Object';

/** Pulumi stack name of a stack ID (`/` is not allowed in stack names). */
export const pulumiStackName = (stackId: string): string => stackId.replaceAll('/', '.');

/** The checkpoint's key under the state location. */
/** Every DIY-backend object of the project (checkpoints, history, backups) and the backend's metadata: the keys stay the same. */
export async function pulumiStateCopies(store: StateStore, ctx: StateContext, stackIds: string[]): Promise<StateCopy[]> {
  if (!stackIds.length) return [];
  const keys = await Promise.all(['stacks', 'history', 'backups'].map((d) => store.list(`.pulumi/${d}/${ctx.project}/`)));
  return ['.pulumi/meta.yaml', ...keys.flat()].map((key) => ({ from: key, to: key }));
}

export const checkpointKey = (project: string, stackId: string): string => `.pulumi/stacks/${project}/${pulumiStackName(stackId)}.json`;

/** Content-addressed manifest bodies of objects passed by digest (written by the engine, read by its provider and here). */
export const blobDir = (projectDir: string): string => join(projectDir, '.platform', 'pulumi', 'blobs');

export function pulumiStateReader(ctx: StateContext, opened?: StateStore): StateReader {
  let store: Promise<StateStore> | undefined;
  const open = (): Promise<StateStore> => (store ??= opened ? Promise.resolve(opened) : openStateStore(ctx.state));
  const dir = `.pulumi/stacks/${ctx.project}/`;
  return {
    stackIds: async () =>
      (await (await open()).list(dir))
        .map((key) => key.slice(dir.length))
        .filter((name) => /^[^/]+\.json(\.gz)?$/.test(name))
        .map((name) => name.replace(/\.json(\.gz)?$/, '').replaceAll('.', '/')),

    read: async (stackId) => {
      const found = await readCheckpoint(await open(), ctx.project, stackId);
      if (!found) return { exists: false, objects: [], resources: 0 };
      return parseCheckpoint(found.text, found.where, blobDir(ctx.projectDir));
    },

    output: async (stackId, name) => {
      const found = await readCheckpoint(await open(), ctx.project, stackId);
      if (!found) return undefined;
      const doc = parseStateJson(found.text, found.where, 'Pulumi checkpoint', CHECKPOINT_RECOVERY) as Checkpoint;
      const latest = doc.checkpoint?.latest;
      const value = latest?.resources?.find((r) => r.type === 'pulumi:pulumi:Stack' && !r.delete)?.outputs?.[name];
      const clear = isSecretValue(value) ? await decryptSecret(value, latest?.secrets_providers, found.where, ctx.projectDir) : value;
      return typeof clear === 'string' && clear !== '' ? clear : undefined;
    },
  };
}

async function readCheckpoint(s: StateStore, project: string, stackId: string): Promise<{ text: string; where: string } | undefined> {
  const key = checkpointKey(project, stackId);
  const plain = await s.read(key);
  const zipped = plain ? undefined : await s.read(`${key}.gz`);
  if (!plain && !zipped) return undefined;
  return { text: plain ? plain.toString('utf8') : gunzipSync(zipped!).toString('utf8'), where: s.describe(key) };
}

/** Pulumi's marker of a secret property value in a checkpoint. */
const SECRET_SIG = '4dabf18193072939515e22adb298388d';
type SecretValue = { [SECRET_SIG]: string; ciphertext?: string; plaintext?: string };
const isSecretValue = (v: unknown): v is SecretValue => typeof v === 'object' && v !== null && SECRET_SIG in v;

const pbkdf2Async = promisify(pbkdf2);
/** Derived keys by passphrase and salt: the derivation takes about a second, and a run reads a cluster's output per stack. */
const keys = new Map<string, Promise<Buffer>>();
const secretKey = (passphrase: string, salt: string): Promise<Buffer> => {
  const id = `${passphrase}\0${salt}`;
  let key = keys.get(id);
  if (!key) keys.set(id, (key = pbkdf2Async(passphrase, Buffer.from(salt, 'base64'), 1_000_000, 32, 'sha256')));
  return key;
};

/**
 * A secret of a stack whose secrets provider is the passphrase (ours): AES-256-GCM with a key from
 * PBKDF2-SHA256 (1,000,000 rounds) of the passphrase and the stack's salt (`v1:<salt>:<check>`), the
 * value `v1:<nonce>:<ciphertext+tag>` holding the JSON of the property value (Pulumi's passphrase
 * secrets manager).
 */
async function decryptSecret(value: SecretValue, providers: SecretsProviders | undefined, where: string, projectDir: string): Promise<unknown> {
  if (value.plaintext !== undefined) return JSON.parse(value.plaintext) as unknown;
  const salt = providers?.type === 'passphrase' ? providers.state?.salt?.split(':')[1] : undefined;
  const [version, nonce, sealed] = value.ciphertext?.split(':') ?? [];
  if (!salt || version !== 'v1' || !nonce || !sealed)
    throw new ExternalError(`${where}: a secret output is not encrypted with a passphrase this version reads`, CHECKPOINT_RECOVERY);
  const passphrase = readPassphrase(projectDir);
  if (!passphrase)
    throw new ExternalError(`${where} holds secrets and no passphrase is available`, 'Set PLATFORM_PASSPHRASE (or run where .platform/passphrase is).');
  const key = await secretKey(passphrase, salt);
  const data = Buffer.from(sealed, 'base64');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64'));
    decipher.setAuthTag(data.subarray(data.length - 16));
    return JSON.parse(Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8')) as unknown;
  } catch {
    throw new ExternalError(`${where}: cannot decrypt a secret output`, 'Is PLATFORM_PASSPHRASE the passphrase this state was written with?');
  }
}

/** Pulumi keeps the previous checkpoints of every stack. */
export const CHECKPOINT_RECOVERY =
  'If another pulumi run is writing it, try again; otherwise restore the newest good copy from .pulumi/backups/<project>/<stack>/ beside it.';

type Props = { manifest?: KubeObject; manifestDigest?: string } & Record<string, unknown>;
interface SecretsProviders {
  type?: string;
  state?: { salt?: string };
}
interface Checkpoint {
  checkpoint?: {
    latest?: { secrets_providers?: SecretsProviders; resources?: Array<{ type?: string; outputs?: Props; inputs?: Props; delete?: boolean }> };
  };
}

function parseCheckpoint(text: string, where: string, blobs: string): StackState {
  const doc = parseStateJson(text, where, 'Pulumi checkpoint', CHECKPOINT_RECOVERY) as Checkpoint;
  const objects: KubeObject[] = [];
  const stubDigests = new Map<string, string>();
  const all = doc.checkpoint?.latest?.resources ?? [];
  // What a user counts as resources: not the stack itself, its reads of other stacks (a cloud region's
  // cluster kubeconfig), nor provider instances.
  const resources = all.filter((r) => !r.delete && !r.type?.startsWith('pulumi:pulumi:') && !r.type?.startsWith('pulumi:providers:')).length;
  for (const r of all) {
    if (r.type !== OBJECT_TYPE || r.delete) continue;
    const props = r.outputs?.manifest ? r.outputs : r.inputs;
    const manifest = props?.manifest;
    if (!manifest || typeof manifest !== 'object' || !manifest.kind) continue;
    const digest = props.manifestDigest;
    if (!digest) {
      objects.push(manifest);
      continue;
    }
    // Passed by digest: the full body is a content-addressed blob next to the Pulumi work dir.
    const blob = join(blobs, `${digest}.json`);
    if (existsSync(blob)) objects.push(JSON.parse(readFileSync(blob, 'utf8')) as KubeObject);
    else {
      objects.push(manifest);
      stubDigests.set(objectKey(manifest), digest);
    }
  }
  return { exists: true, objects, resources, ...(stubDigests.size ? { stubDigests } : {}) };
}
