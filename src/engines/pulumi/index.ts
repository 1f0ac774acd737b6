/**
 * The Pulumi engine's descriptor (light: no Pulumi SDK until `synth` or `load` is called). The engine:
 * one Pulumi project per platform, one Pulumi stack per StackInstance, inline programs through the
 * Automation API, a DIY backend at the state location, and our `platform:kubernetes:Object` provider.
 */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { CloudName } from '../../clouds/common.js';
import { PULUMI_PLUGINS } from '../../clouds/common.js';
import { FIELD_MANAGER } from '../../kube/client.js';
import { pulumiHome } from '../../toolchain/index.js';
import type { EngineDescriptor } from '../types.js';
import { checkpointKey, pulumiStackName, pulumiStateCopies, pulumiStateReader } from './state.js';
import { lockHolders } from './workspace.js';

export const descriptor: EngineDescriptor = {
  name: 'pulumi',
  fieldManager: { manager: FIELD_MANAGER, operation: 'Apply' },
  stateReader: pulumiStateReader,
  stateKey: (ctx, stackId) => checkpointKey(ctx.project, stackId),
  engineLocks: async (store, ctx, stackId) =>
    (await lockHolders(store, ctx.project, pulumiStackName(stackId))).map(({ key, where, ...holder }) => ({ where, holder, remove: () => store.delete(key) })),
  stateCopies: (store, from, _to, stackIds) => pulumiStateCopies(store, from, stackIds),

  async synth(stacks, options) {
    const { synthPulumi } = await import('./synth.js');
    const resources = await synthPulumi(stacks, { controlPlaneFor: options.controlPlaneFor, projectName: options.projectName });
    return new Map(stacks.map((s) => [s.id, { resources: resources.get(s.id) ?? [] }]));
  },

  missingCloudPlugins(clouds: CloudName[], { projectDir, env }) {
    const home = pulumiHome(projectDir);
    const onPath = (binary: string): boolean => (env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, binary)));
    const absent = clouds
      .map((c) => PULUMI_PLUGINS[c])
      .filter(
        (p) => !existsSync(join(home, 'plugins', `resource-${p.name}-v${p.version}`, `pulumi-resource-${p.name}`)) && !onPath(`pulumi-resource-${p.name}`),
      );
    if (!absent.length) return undefined;
    return {
      missing: `Pulumi resource plugin ${absent.map((p) => `${p.name} ${p.version}`).join(', ')}`,
      fix: `${absent.map((p) => `PULUMI_HOME=${home} pulumi plugin install resource ${p.name} ${p.version}`).join(' and ')} (or put pulumi-resource-<name> on PATH)`,
    };
  },

  load: async () => new (await import('./engine.js')).PulumiEngine(),
};
