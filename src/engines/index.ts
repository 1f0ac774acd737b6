/** Engines are loaded lazily: a command pays only for the engine the config names. */
import type { Engine } from '../config/schema.js';
import type { StackEngine } from './types.js';

export async function loadEngine(name: Engine): Promise<StackEngine> {
  if (name === 'pulumi') return new (await import('./pulumi/engine.js')).PulumiEngine();
  return new (await import('./terraform/engine.js')).TerraformEngine();
}
