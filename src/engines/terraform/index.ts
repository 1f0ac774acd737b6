/**
 * The Terraform engine's descriptor (light: nothing of the engine until `synth` or `load` is called,
 * and CDKTF only for stacks that need it, synth.ts). The engine: Terraform JSON per stack, run by the OpenTofu CLI, Kubernetes objects as
 * `kubectl_manifest` (gavinbunney/kubectl, server-side apply), state encrypted with the passphrase.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TERRAFORM_PROVIDERS, type CloudName } from '../../clouds/common.js';
import { hostPlatform, tfMirrorDir, toolchainDir } from '../../toolchain/layout.js';
import type { EngineDescriptor } from '../types.js';
import { terraformLocks, terraformStateKey, terraformStateReader } from './state.js';

/**
 * The server-side-apply field manager of everything this engine applies. gavinbunney/kubectl 1.19.0
 * hard-codes it (its schema has no field-manager attribute).
 */
export const TERRAFORM_FIELD_MANAGER = 'kubectl';

export const descriptor: EngineDescriptor = {
  name: 'terraform',
  fieldManager: { manager: TERRAFORM_FIELD_MANAGER, operation: 'Apply' },
  stateReader: terraformStateReader,
  stateKey: (ctx, stackId) => terraformStateKey(ctx.state, stackId),
  engineLocks: terraformLocks,
  // One object per stack, whose key depends on the backend (S3's and GCS's layouts differ).
  stateCopies: (_store, from, to, stackIds) =>
    Promise.resolve(stackIds.map((id) => ({ from: terraformStateKey(from.state, id), to: terraformStateKey(to.state, id) }))),

  async synth(stacks, options) {
    const { synthTerraform } = await import('./synth.js');
    const synthesized = await synthTerraform(stacks, options.outDir, {
      projectDir: options.projectDir,
      project: options.projectName,
      state: options.state,
      controlPlaneFor: options.controlPlaneFor,
    });
    return new Map(stacks.map((s) => [s.id, { resources: synthesized.get(s.id)?.resources ?? [], file: synthesized.get(s.id)?.file }]));
  },

  missingCloudPlugins(clouds: CloudName[], { env }) {
    // No registry access: providers come from the toolchain's filesystem mirror only.
    const mirror = tfMirrorDir(toolchainDir(env));
    const absent = clouds
      .map((c) => TERRAFORM_PROVIDERS[c])
      .filter((p) => !existsSync(join(mirror, 'registry.opentofu.org', p.source, p.version, hostPlatform())));
    if (!absent.length) return undefined;
    const list = absent.map((p) => `${p.source} ${p.version}`).join(', ');
    return {
      missing: `OpenTofu provider ${list} (there is no registry access to download ${absent.length > 1 ? 'them' : 'it'})`,
      fix: `install ${list} into the provider mirror ${mirror} (\`tofu providers mirror ${mirror}\` where the registry is reachable, then copy the folder here)`,
    };
  },

  load: async () => new (await import('./engine.js')).TerraformEngine(),
};
