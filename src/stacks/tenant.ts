import type { PlatformConfig, Region, Tenant } from '../config/schema.js';
import type { DesiredObject } from './types.js';
// PLACEHOLDER: filled in by the stack catalog work.
export function buildTenant(_c: PlatformConfig, _r: Region, _t: Tenant): { objects: DesiredObject[] } {
  return { objects: [] };
}
