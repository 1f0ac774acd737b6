import type { PlatformConfig, Region } from '../config/schema.js';
import type { CloudIntent, DesiredObject } from './types.js';
// PLACEHOLDER: filled in by the stack catalog work.
export function buildCluster(_c: PlatformConfig, _r: Region): { objects: DesiredObject[]; cloud: CloudIntent[] } {
  return { objects: [], cloud: [] };
}
