import type { PlatformConfig, Region } from '../config/schema.js';
import type { DesiredObject } from './types.js';
export const observabilityEnabled = (c: PlatformConfig): boolean =>
  Boolean(c.observability?.prometheus?.enabled || c.observability?.grafana?.enabled || c.observability?.loki?.enabled || c.observability?.tempo?.enabled);
// PLACEHOLDER: filled in by the stack catalog work.
export function buildObservability(_c: PlatformConfig, _r: Region): { objects: DesiredObject[] } {
  return { objects: [] };
}
