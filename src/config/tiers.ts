/** Plan tiers (docs/config.md "Plan tiers"): quota and default limits per tenant namespace. */
import type { Plan } from './schema.js';

export interface Tier {
  /** Members besides owners; null = unlimited. */
  members: number | null;
  pods: number | null;
  services: number | null;
  cpu: string;
  memory: string;
  defaultLimit: { cpu: string; memory: string };
}

export const TIERS: Record<Plan, Tier> = {
  free: { members: 0, pods: 10, services: 5, cpu: '2', memory: '4Gi', defaultLimit: { cpu: '250m', memory: '256Mi' } },
  starter: { members: 5, pods: 100, services: 20, cpu: '8', memory: '16Gi', defaultLimit: { cpu: '500m', memory: '512Mi' } },
  professional: { members: 25, pods: 500, services: 100, cpu: '32', memory: '64Gi', defaultLimit: { cpu: '1', memory: '1Gi' } },
  enterprise: { members: null, pods: null, services: null, cpu: '128', memory: '256Gi', defaultLimit: { cpu: '2', memory: '2Gi' } },
};
