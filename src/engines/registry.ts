/**
 * The engine registry: one line per engine. A module with no static imports, so any layer (the config
 * schema included) may import the names, and loading a descriptor costs only that engine's light
 * `index.ts` (engine SDKs load when an engine runs or synthesizes). docs/architecture.md says what a
 * new engine's folder must provide.
 */
import type { EngineDescriptor } from './types.js';

const REGISTRY = {
  pulumi: () => import('./pulumi/index.js'),
  terraform: () => import('./terraform/index.js'),
} satisfies Record<string, () => Promise<{ descriptor: EngineDescriptor }>>;

export type EngineName = keyof typeof REGISTRY;
export const ENGINE_NAMES = Object.keys(REGISTRY) as [EngineName, ...EngineName[]];

export async function engineDescriptor(name: EngineName): Promise<EngineDescriptor> {
  return (await REGISTRY[name]()).descriptor;
}
