/**
 * Pulumi's DIY-backend state, read in-process (no pulumi process): the checkpoint of each stack at
 * `.pulumi/stacks/<project>/<stack id with / as .>.json[.gz]` under the state location, each
 * `platform:kubernetes:Object` with `outputs.manifest` (the manifest it applied; Secret values live
 * apart in the encrypted `secretData`, never read here).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { objectKey } from '../../objects/identity.js';
import type { KubeObject } from '../../objects/model.js';
import { openStateStore, parseStateJson, type StateStore } from '../../state/store.js';
import type { StackState, StateContext, StateReader } from '../types.js';

/** The provider's resource type (provider/object.ts registers it under this token). */
export const OBJECT_TYPE = 'platform:kubernetes:Object';

/** Pulumi stack name of a stack ID (`/` is not allowed in stack names). */
export const pulumiStackName = (stackId: string): string => stackId.replaceAll('/', '.');

/** The checkpoint's key under the state location. */
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
      const key = checkpointKey(ctx.project, stackId);
      const s = await open();
      const plain = await s.read(key);
      const zipped = plain ? undefined : await s.read(`${key}.gz`);
      if (!plain && !zipped) return { exists: false, objects: [], resources: 0 };
      return parseCheckpoint(plain ? plain.toString('utf8') : gunzipSync(zipped!).toString('utf8'), s.describe(key), blobDir(ctx.projectDir));
    },
  };
}

/** Pulumi keeps the previous checkpoints of every stack. */
export const CHECKPOINT_RECOVERY =
  'If another pulumi run is writing it, try again; otherwise restore the newest good copy from .pulumi/backups/<project>/<stack>/ beside it.';

type Props = { manifest?: KubeObject; manifestDigest?: string };
interface Checkpoint {
  checkpoint?: { latest?: { resources?: Array<{ type?: string; outputs?: Props; inputs?: Props; delete?: boolean }> } };
}

function parseCheckpoint(text: string, where: string, blobs: string): StackState {
  const doc = parseStateJson(text, where, 'Pulumi checkpoint', CHECKPOINT_RECOVERY) as Checkpoint;
  const objects: KubeObject[] = [];
  const stubDigests = new Map<string, string>();
  const all = doc.checkpoint?.latest?.resources ?? [];
  // What a user counts as resources: not the stack itself, nor provider instances.
  const resources = all.filter((r) => !r.delete && r.type !== 'pulumi:pulumi:Stack' && !r.type?.startsWith('pulumi:providers:')).length;
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
