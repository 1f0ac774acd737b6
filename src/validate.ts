import { loadConfig } from './config/load.js';
import { planStacks } from './stacks/plan.js';

export interface ValidationSummary {
  file: string;
  engine: string;
  regions: number;
  tenants: number;
  services: number;
  stacks: number;
}

/** Load, validate and plan (planning proves the model is complete); throws UsageError when invalid. */
export function validateProject(file: string): ValidationSummary {
  const { config, file: abs } = loadConfig(file);
  const stacks = planStacks(config);
  return {
    file: abs,
    engine: config.engine,
    regions: config.regions.length,
    tenants: config.tenants.length,
    services: config.services.length,
    stacks: stacks.length,
  };
}
