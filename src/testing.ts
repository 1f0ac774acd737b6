/**
 * `@platform-iac/cli/testing`: what a service module's own test imports (scaffolded by `platform generate
 * service`). Pure: loads platform.yaml (with the service folders' overrides) and plans the stacks.
 */
import { fileURLToPath } from 'node:url';
import { loadConfig } from './config/load.js';
import { planStacks } from './stacks/plan.js';
import type { KubeObject } from './objects/model.js';

export interface SynthesizedServiceStack {
  id: string;
  region: string;
  objects: KubeObject[];
}

export function synthService(configFile: string | URL, tenant: string, service: string): SynthesizedServiceStack[] {
  const file = configFile instanceof URL ? fileURLToPath(configFile) : configFile;
  const { config } = loadConfig(file);
  return planStacks(config)
    .filter((s) => s.layer === 'app' && s.tenant === tenant && s.service === service)
    .map((s) => ({ id: s.id, region: s.region.name, objects: s.objects.map((o) => o.manifest) }));
}
