import type { PlatformConfig, Region } from '../config/schema.js';
import type { DesiredObject } from './types.js';
export const meshEnabled = (c: PlatformConfig): boolean => c.mesh?.istio?.enabled === true;
// PLACEHOLDER: filled in by the stack catalog work.
export function buildMesh(_c: PlatformConfig, _r: Region): { objects: DesiredObject[] } {
  return { objects: [] };
}
