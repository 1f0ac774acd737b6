/** Estates for the cloud renderer tests: the examples, and small two-region estates per cloud pair. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import type { Engine } from '../../src/config/schema.js';
import { planStacks } from '../../src/stacks/plan.js';
import type { StackInstance } from '../../src/stacks/types.js';
import { repoRoot } from '../helpers/cli.js';

/** An example's stacks with `engine:` switched (the cloud intents do not depend on the engine). */
export function exampleStacks(example: 'multicloud' | 'azure', engine: Engine): StackInstance[] {
  const text = readFileSync(join(repoRoot, 'examples', example, 'platform.yaml'), 'utf8').replace(/^engine: \w+$/m, `engine: ${engine}`);
  return planStacks(parseConfig(text, `${example}/platform.yaml`));
}

export const clusterStacks = (stacks: StackInstance[]): StackInstance[] => stacks.filter((s) => s.layer === 'cluster');

type Place = { cloud: 'aws' | 'gcp' | 'azure'; location: string };

/** A primary and a DR region (names `one` and `two`), one gateway host, DNS failover. */
export function pairStacks(engine: Engine, primary: Place, dr: Place): { primary: StackInstance; dr: StackInstance } {
  const text = `apiVersion: platform.dev/v1
name: pair
engine: ${engine}
regions:
  - { name: one, cloud: ${primary.cloud}, location: ${primary.location}, role: primary }
  - { name: two, cloud: ${dr.cloud}, location: ${dr.location}, role: dr }
tenants:
  - { name: team, plan: starter, owners: [o@example.com] }
mesh: { istio: { enabled: true, gateway: { hosts: [app.pair.example] } } }
dr: { rpoMinutes: 60, rtoMinutes: 30, backupSchedule: "*/30 * * * *", failover: dns }
`;
  const stacks = planStacks(parseConfig(text, 'pair.yaml'));
  return { primary: stacks.find((s) => s.id === 'cluster/one')!, dr: stacks.find((s) => s.id === 'cluster/two')! };
}

export const SAME_CLOUD: Record<Place['cloud'], [Place, Place]> = {
  aws: [
    { cloud: 'aws', location: 'eu-west-1' },
    { cloud: 'aws', location: 'us-east-1' },
  ],
  gcp: [
    { cloud: 'gcp', location: 'europe-west1' },
    { cloud: 'gcp', location: 'us-east1' },
  ],
  azure: [
    { cloud: 'azure', location: 'westeurope' },
    { cloud: 'azure', location: 'northeurope' },
  ],
};
