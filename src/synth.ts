/** `platform synth`: what each stack's engine program declares, without running an engine. */
import { join, resolve } from 'node:path';
import { loadClouds } from './clouds/index.js';
import { loadConfig } from './config/load.js';
import { lenientControlPlane } from './engines/crds.js';
import { engineDescriptor } from './engines/registry.js';
import { resolveStateLocation } from './state/location.js';
import type { SynthResource } from './engines/types.js';
import { planStacks } from './stacks/plan.js';
import { selectStacks } from './stacks/select.js';

export interface SynthStack {
  id: string;
  engine: string;
  region: string;
  dependsOn: string[];
  resources: SynthResource[];
  /** Terraform: the synthesized JSON file. */
  file?: string;
}

export interface SynthOptions {
  configFile: string;
  stackIds?: string[];
  /** Terraform JSON goes to `<out>/<stack id>/`; default `<project>/.platform/synth`. */
  outDir?: string;
  onWarning?: (message: string) => void;
}

export async function synthesize(opts: SynthOptions): Promise<{ outDir?: string; stacks: SynthStack[] }> {
  const { config, projectDir } = loadConfig(opts.configFile);
  const stacks = selectStacks(planStacks(config), opts.stackIds);
  await loadClouds(config.engine, stacks); // only the cloud SDK modules these stacks use (src/clouds)
  const engine = await engineDescriptor(config.engine);
  const crds = lenientControlPlane();
  const outDir = resolve(opts.outDir ?? join(projectDir, '.platform', 'synth'));
  const synthesized = await engine.synth(stacks, {
    projectDir,
    projectName: config.name,
    state: resolveStateLocation(config.state, projectDir),
    outDir,
    controlPlaneFor: crds.controlPlaneFor,
  });
  for (const m of crds.missing) opts.onWarning?.(`${m.split('\n')[0]} — left out of the synthesized stacks (run \`platform toolchain install\`)`);
  const out = stacks.map((s) => {
    const r = synthesized.get(s.id);
    return { id: s.id, engine: s.engine, region: s.region.name, dependsOn: s.dependsOn, resources: r?.resources ?? [], ...(r?.file ? { file: r.file } : {}) };
  });
  return { ...(out.some((s) => s.file) ? { outDir } : {}), stacks: out };
}
