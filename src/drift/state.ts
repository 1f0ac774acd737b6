/**
 * The "state" view: what the engine last applied, read straight from its state files (no engine
 * process): the Pulumi DIY checkpoint or the Terraform/OpenTofu local state.
 *
 * Pulumi:    <backend>/.pulumi/stacks/<project>/<stack id with / as .>.json — `checkpoint.latest.resources`,
 *            each `platform:kubernetes:Object` with `outputs.manifest` (the manifest it applied; Secret
 *            values live apart in the encrypted `secretData`, never read here).
 * Terraform: <backend>/tf/<stack id>/terraform.tfstate — `resources[type=kubectl_manifest].instances[].
 *            attributes.yaml_body` (the manifest as applied, JSON text).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import type { Engine } from '../config/schema.js';
import { readPassphrase } from '../engines/passphrase.js';
import { decryptTofuState } from '../engines/terraform/encryption.js';
import { ExternalError } from '../errors.js';
import { type OwnManager } from './types.js';
import type { KubeObject } from '../objects/model.js';
import { objectKey as objectKeyOf } from '../objects/identity.js';

/** The Pulumi provider's resource type (src/engines/pulumi/provider/object.ts OBJECT_TYPE). */
export const PULUMI_OBJECT_TYPE = 'platform:kubernetes:Object';
/** Field managers per engine: Pulumi's provider applies as `platform` (src/kube/client.ts FIELD_MANAGER),
 *  kubectl-provider hard-codes `kubectl` (src/engines/terraform/engine.ts TERRAFORM_FIELD_MANAGER).
 *  Copied, not imported: importing the engines would load Pulumi/CDKTF on every drift run. */
export const OWN_MANAGER: Record<Engine, OwnManager> = {
  pulumi: { manager: 'platform', operation: 'Apply' },
  terraform: { manager: 'kubectl', operation: 'Apply' },
};

export interface StackState {
  /** false when the engine has no state for the stack (never applied). */
  exists: boolean;
  objects: KubeObject[];
  /**
   * Objects the state holds only as a stub + sha256 of the full manifest whose body is gone (Pulumi
   * passes CRDs by digest, bodies in `.platform/pulumi/blobs/`): objectKey → digest. Their stub is
   * compared with live; Git is compared by digest.
   */
  stubDigests?: Map<string, string>;
}


/** The directory of a `file://` state URL (relative to the project), else undefined. */
export function localStateDir(projectDir: string, state = 'file://.platform/state'): string | undefined {
  if (!state.startsWith('file://')) return undefined;
  const path = state.slice('file://'.length);
  if (path.startsWith('~')) return join(process.env.HOME ?? '', path.slice(1));
  return isAbsolute(path) ? path : resolve(projectDir, path);
}

export const pulumiCheckpointDir = (stateDir: string, project: string): string => join(stateDir, '.pulumi', 'stacks', project);
export const pulumiCheckpointFile = (stateDir: string, project: string, stackId: string): string => join(pulumiCheckpointDir(stateDir, project), `${stackId.replaceAll('/', '.')}.json`);
export const terraformStateFile = (stateDir: string, stackId: string): string => join(stateDir, 'tf', ...stackId.split('/'), 'terraform.tfstate');

export class StateReader {
  private readonly stateDir: string;
  constructor(
    readonly engine: Engine,
    private readonly projectDir: string,
    private readonly project: string,
    stateUrl?: string,
  ) {
    const dir = localStateDir(projectDir, stateUrl);
    if (!dir) {
      throw new ExternalError(`drift reads state from file:// backends only (state: ${stateUrl})`, 'Run drift where the state is local, or copy the state down first.');
    }
    this.stateDir = dir;
  }

  /** Stack IDs that have state (to find stacks removed from Git but still applied). */
  stackIds(): string[] {
    if (this.engine === 'pulumi') {
      const dir = pulumiCheckpointDir(this.stateDir, this.project);
      if (!existsSync(dir)) return [];
      return readdirSync(dir)
        .filter((f) => f.endsWith('.json') || f.endsWith('.json.gz'))
        .map((f) => f.replace(/\.json(\.gz)?$/, '').replaceAll('.', '/'));
    }
    const root = join(this.stateDir, 'tf');
    const out: string[] = [];
    const walk = (dir: string): void => {
      if (!existsSync(dir)) return;
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (name === 'terraform.tfstate') out.push(relative(root, dir).split(sep).join('/'));
        else if (statSync(p).isDirectory()) walk(p);
      }
    };
    walk(root);
    return out;
  }

  read(stackId: string): Promise<StackState> {
    return this.engine === 'pulumi' ? Promise.resolve(this.readPulumi(stackId)) : this.readTerraform(stackId);
  }

  private readPulumi(stackId: string): StackState {
    const file = pulumiCheckpointFile(this.stateDir, this.project, stackId);
    let text: string | undefined;
    if (existsSync(file)) text = readFileSync(file, 'utf8');
    else if (existsSync(`${file}.gz`)) text = gunzipSync(readFileSync(`${file}.gz`)).toString('utf8');
    if (text === undefined) return { exists: false, objects: [] };
    type Props = { manifest?: KubeObject; manifestDigest?: string };
    let doc: { checkpoint?: { latest?: { resources?: Array<{ type?: string; outputs?: Props; inputs?: Props; delete?: boolean }> } } };
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new ExternalError(`${file}: not a Pulumi checkpoint (${(e as Error).message})`, 'Is another pulumi run writing it? Try again.');
    }
    const resources = doc.checkpoint?.latest?.resources ?? [];
    const objects: KubeObject[] = [];
    const stubDigests = new Map<string, string>();
    const blobDir = join(this.projectDir, '.platform', 'pulumi', 'blobs');
    for (const r of resources) {
      if (r.type !== PULUMI_OBJECT_TYPE || r.delete) continue;
      const props = r.outputs?.manifest ? r.outputs : r.inputs;
      const manifest = props?.manifest;
      if (!manifest || typeof manifest !== 'object' || !manifest.kind) continue;
      const digest = props?.manifestDigest;
      if (!digest) {
        objects.push(manifest);
        continue;
      }
      // Passed by digest: the full body is a content-addressed blob next to the Pulumi work dir.
      const blob = join(blobDir, `${digest}.json`);
      if (existsSync(blob)) {
        objects.push(JSON.parse(readFileSync(blob, 'utf8')) as KubeObject);
      } else {
        objects.push(manifest);
        stubDigests.set(objectKeyOf(manifest), digest);
      }
    }
    return { exists: true, objects, ...(stubDigests.size ? { stubDigests } : {}) };
  }

  private async readTerraform(stackId: string): Promise<StackState> {
    const file = terraformStateFile(this.stateDir, stackId);
    if (!existsSync(file)) return { exists: false, objects: [] };
    let doc: { resources?: Array<{ mode?: string; type?: string; instances?: Array<{ attributes?: { yaml_body?: string } }> }> };
    let text = readFileSync(file, 'utf8');
    if (text.includes('"encrypted_data"')) {
      // The Terraform engine encrypts state with the project passphrase (secretEnv values live in yaml_body).
      const passphrase = readPassphrase(this.projectDir);
      if (!passphrase) throw new ExternalError(`${file} is encrypted and no passphrase is available`, 'Set PLATFORM_PASSPHRASE (or run where .platform/passphrase is).');
      try {
        text = await decryptTofuState(text, passphrase);
      } catch (e) {
        throw new ExternalError(`${file}: cannot decrypt (${(e as Error).message})`, 'Is PLATFORM_PASSPHRASE the passphrase this state was written with?');
      }
    }
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new ExternalError(`${file}: not a Terraform state (${(e as Error).message})`, 'Is another tofu run writing it? Try again.');
    }
    const objects: KubeObject[] = [];
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
        if (manifest?.kind) objects.push(manifest);
      }
    }
    return { exists: true, objects };
  }
}
