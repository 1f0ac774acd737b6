/**
 * OpenTofu state, read in-process (no tofu process): `resources[type=kubectl_manifest].instances[].
 * attributes.yaml_body` (the manifest as applied, JSON text), decrypted with the project passphrase.
 * Where a stack's state is, under the state location: `tf/<stack id>/terraform.tfstate` (the local
 * backend), `<stack id>.tfstate` (s3, azurerm: the key we give them) or `<stack id>/default.tfstate`
 * (gcs: a prefix per stack, the workspace's file inside it).
 */
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ExternalError } from '../../errors.js';
import type { KubeObject } from '../../objects/model.js';
import type { StateLocation } from '../../state/location.js';
import { openStateStore, parseStateJson, type StateStore } from '../../state/store.js';
import { readPassphrase } from '../passphrase.js';
import type { LockHolder } from '../../state/lock.js';
import type { EngineLock, StateContext, StateReader } from '../types.js';
import { decryptTofuState } from './encryption.js';

/** The key of a stack's state under the state location. */
export function terraformStateKey(location: StateLocation, stackId: string): string {
  if (location.scheme === 'file') return `tf/${stackId}/terraform.tfstate`;
  return location.scheme === 'gs' ? `${stackId}/default.tfstate` : `${stackId}.tfstate`;
}

/** Where a stack's state is, for messages: a path (file://) or a URL. */
export function terraformStateWhere(location: StateLocation, stackId: string): string {
  const key = terraformStateKey(location, stackId);
  return location.scheme === 'file' ? join(location.dir!, ...key.split('/')) : `${location.url.replace(/\/$/, '')}/${key}`;
}

const STATE_FILE = { file: /^tf\/(.+)\/terraform\.tfstate$/, gs: /^(.+)\/default\.tfstate$/, s3: /^(.+)\.tfstate$/, azblob: /^(.+)\.tfstate$/ } as const;

export function terraformStateReader(ctx: StateContext, opened?: StateStore): StateReader {
  let store: Promise<StateStore> | undefined;
  const open = (): Promise<StateStore> => (store ??= opened ? Promise.resolve(opened) : openStateStore(ctx.state));
  const local = ctx.state.scheme === 'file';
  return {
    stackIds: async () => (await (await open()).list(local ? 'tf/' : '')).flatMap((key) => STATE_FILE[ctx.state.scheme].exec(key)?.slice(1, 2) ?? []),

    read: async (stackId) => {
      const doc = await readStateDoc(await open(), ctx, stackId);
      if (!doc) return { exists: false, objects: [], resources: 0 };
      let resources = 0;
      for (const r of doc.resources ?? []) if (r.mode === 'managed') resources += r.instances?.length ?? 0;
      return { exists: true, objects: manifestsOf(doc).map(([, manifest]) => manifest), resources };
    },

    output: async (stackId, name) => {
      const value = (await readStateDoc(await open(), ctx, stackId))?.outputs?.[name]?.value;
      return typeof value === 'string' && value !== '' ? value : undefined;
    },
  };
}

/** OpenTofu keeps the previous state beside a local state (`terraform.tfstate.backup`); buckets keep versions. */
export const TOFU_STATE_RECOVERY =
  'If another tofu run is writing it, try again; otherwise restore terraform.tfstate.backup beside it (or the previous version of the object in its bucket), then `platform plan` shows what is left to do.';

interface TofuState {
  outputs?: Record<string, { value?: unknown; sensitive?: boolean }>;
  resources?: Array<{ mode?: string; type?: string; name?: string; instances?: Array<{ attributes?: { yaml_body?: string } }> }>;
}

/** The state's JSON text, decrypted: the Terraform engine encrypts state with the project passphrase (secretEnv values live in yaml_body). */
async function stateText(raw: string, where: string, projectDir: string): Promise<string> {
  if (!raw.includes('"encrypted_data"')) return raw;
  const passphrase = readPassphrase(projectDir);
  if (!passphrase)
    throw new ExternalError(`${where} is encrypted and no passphrase is available`, 'Set PLATFORM_PASSPHRASE (or run where .platform/passphrase is).');
  try {
    return await decryptTofuState(raw, passphrase);
  } catch (e) {
    throw new ExternalError(`${where}: cannot decrypt (${(e as Error).message})`, 'Is PLATFORM_PASSPHRASE the passphrase this state was written with?');
  }
}

/** A stack's state document, decrypted and parsed; undefined when the stack has no state. */
async function readStateDoc(s: StateStore, ctx: StateContext, stackId: string): Promise<TofuState | undefined> {
  const key = terraformStateKey(ctx.state, stackId);
  const bytes = await s.read(key);
  if (!bytes) return undefined;
  const where = s.describe(key);
  return parseStateJson(await stateText(bytes.toString('utf8'), where, ctx.projectDir), where, 'OpenTofu state', TOFU_STATE_RECOVERY) as TofuState;
}

/** The applied manifests by Terraform address (`kubectl_manifest.<name>`: we use neither count nor for_each). */
function manifestsOf(doc: TofuState): Array<[address: string, manifest: KubeObject]> {
  const out: Array<[string, KubeObject]> = [];
  for (const r of doc.resources ?? []) {
    if (r.mode !== 'managed' || r.type !== 'kubectl_manifest') continue;
    for (const instance of r.instances ?? []) {
      const body = instance.attributes?.yaml_body;
      if (!body) continue;
      // The engine writes JSON (which is YAML); JSON.parse is ~50× faster on multi-MB CRDs.
      let manifest: KubeObject;
      try {
        manifest = JSON.parse(body) as KubeObject;
      } catch {
        manifest = parseYaml(body) as KubeObject;
      }
      if ((manifest as KubeObject | null)?.kind) out.push([`${r.type}.${r.name ?? ''}`, manifest]); // a body of `null` parses to null
    }
  }
  return out;
}

/**
 * A stack's applied manifests by Terraform address, as its state holds them now: what a destroy deletes
 * that is no longer synthesized (a pruned stack, an object dropped from the config) is named from here.
 */
export async function terraformStateManifests(ctx: StateContext, stackId: string, opened?: StateStore): Promise<Map<string, KubeObject>> {
  const doc = await readStateDoc(opened ?? (await openStateStore(ctx.state)), ctx, stackId);
  return new Map(doc ? manifestsOf(doc) : []);
}

/** OpenTofu's lock info (what `Error acquiring the state lock` prints). */
interface TofuLockInfo {
  ID?: string;
  Operation?: string;
  Who?: string;
  Created?: string;
}

function tofuHolder(info: TofuLockInfo): LockHolder {
  const [user, host] = (info.Who ?? '?@?').split('@');
  return {
    user: user || '?',
    host: host || '?',
    pid: 0,
    operation: `tofu ${(info.Operation ?? 'operation').replace(/^OperationType/, '').toLowerCase()} (lock ID ${info.ID ?? '?'})`,
    since: info.Created ?? '?',
  };
}

const parseLockInfo = (text: string | undefined): TofuLockInfo => {
  try {
    return JSON.parse(text ?? '{}') as TofuLockInfo;
  } catch {
    return {}; // being written: holder unknown
  }
};

/**
 * OpenTofu's own lock of a stack: a `.tflock` object next to the state (s3 `use_lockfile`, gcs), a
 * lease on the state blob (azurerm). The local backend locks with the OS (released when tofu dies).
 */
export async function terraformLocks(store: StateStore, ctx: StateContext, stackId: string): Promise<EngineLock[]> {
  const state = terraformStateKey(ctx.state, stackId);
  switch (ctx.state.scheme) {
    case 'file':
      return [];
    case 'azblob': {
      const lease = await store.leaseOf?.(state);
      if (!lease) return [];
      const raw = lease.metadata.terraformlockid;
      return [
        {
          where: `lease on ${store.describe(state)}`,
          holder: raw ? tofuHolder(parseLockInfo(Buffer.from(raw, 'base64').toString('utf8'))) : undefined,
          remove: () => store.breakLease!(state),
        },
      ];
    }
    case 's3':
    case 'gs': {
      const key = ctx.state.scheme === 's3' ? `${state}.tflock` : state.replace(/\.tfstate$/, '.tflock');
      const bytes = await store.read(key);
      if (!bytes) return [];
      return [{ where: store.describe(key), holder: tofuHolder(parseLockInfo(bytes.toString('utf8'))), remove: () => store.delete(key) }];
    }
  }
}
