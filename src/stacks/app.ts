import type { PlatformConfig, Region, Service, Tenant } from '../config/schema.js';
import type { DesiredObject } from './types.js';
// PLACEHOLDER: filled in by the stack catalog work.
export function buildApp(_c: PlatformConfig, _r: Region, _t: Tenant, _s: Service): { objects: DesiredObject[] } {
  return { objects: [] };
}
