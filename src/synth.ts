/** `platform synth`: what each stack's engine program declares, without running an engine. */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadClouds } from './clouds/index.js';
import { loadConfig } from './config/load.js';
import { lenientCrds } from './engines/crds.js';
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
  const base = (s: (typeof stacks)[number]) => ({ id: s.id, engine: s.engine, region: s.region.name, dependsOn: s.dependsOn });
  await loadClouds(config.engine, stacks); // only the cloud SDK modules these stacks use (src/clouds)

  const crds = lenientCrds();
  const warnMissing = () => {
    for (const m of crds.missing) opts.onWarning?.(`${m.split('\n')[0]} — left out of the synthesized stacks (run \`platform toolchain install\`)`);
  };
  if (config.engine === 'pulumi') {
    const { synthPulumi } = await import('./engines/pulumi/synth.js');
    const resources = await synthPulumi(stacks, { crdsFor: crds.crdsFor, projectName: config.name });
    warnMissing();
    return { stacks: stacks.map((s) => ({ ...base(s), resources: resources.get(s.id) ?? [] })) };
  }
  const outDir = resolve(opts.outDir ?? join(projectDir, '.platform', 'synth'));
  const { synthTerraform } = await import('./engines/terraform/synth.js');
  for (const s of stacks) rmSync(join(outDir, s.id), { recursive: true, force: true });
  const synthesized = synthTerraform(stacks, outDir, { projectDir, state: config.state, crdsFor: crds.crdsFor });
  warnMissing();
  return {
    outDir,
    stacks: stacks.map((s) => {
      const r = synthesized.get(s.id);
      return { ...base(s), resources: r?.resources ?? [], file: r?.file };
    }),
  };
}
