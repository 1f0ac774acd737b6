/**
 * The engines on the GCS and Azure Blob emulators (fake-gcs-server, Azurite), where their backends work
 * against one: apply keeps the state in the bucket, and a clone with no `.platform/` lists it and drifts
 * clean. Not here (docs/state.md says why): OpenTofu's azurerm backend has no endpoint setting, and
 * Pulumi's gs:// cannot read back a checkpoint from fake-gcs-server. S3 runs the whole team scenario
 * in team.int.test.ts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/config/schema.js';
import type { DriftReport } from '../../src/drift/types.js';
import type { RunReport } from '../../src/orchestrate/run.js';
import type { StateListResult } from '../../src/state-admin.js';
import { startAzurite, startGcsServer } from '../../src/local/object-servers.js';
import { json, startTeam, teamEstate, type Team } from './harness.js';

const CASES: Array<[Engine, 'gs' | 'azblob']> = [
  ['pulumi', 'azblob'],
  ['terraform', 'gs'],
];

let team: Team | undefined;

beforeAll(async () => {
  const servers = await Promise.all([startGcsServer(), startAzurite()]);
  for (const s of servers) await s.createBucket('team');
  team = await startTeam(servers);
});

afterAll(async () => {
  await team?.down();
});

describe.each(CASES)('%s with %s:// state on its emulator', (engine, scheme) => {
  it('apply keeps the state in the bucket; a clone with no .platform/ lists the stack and drifts clean', async () => {
    const t = team!;
    const tenant = `${engine.slice(0, 2)}${scheme.slice(0, 2)}${t.run}`;
    const id = `tenant/eu/${tenant}`;
    const state = `${scheme}://team/${engine}-${t.run}`;
    const a = t.checkout(teamEstate({ name: `b${tenant}`, engine, tenant, state }));
    const applied = await t.cli(a, ['apply', '--stack', id, '--yes', '--json']);
    expect((json(applied) as RunReport).stacks.map((s) => [s.id, s.status, s.error?.message])).toEqual([[id, 'ok', undefined]]);
    expect(existsSync(join(a, '.platform', 'state'))).toBe(false);

    const b = t.clone(a);
    const listed = json(await t.cli(b, ['state', 'list', '--json'])) as StateListResult;
    expect(listed.stacks.map((s) => [s.id, s.engine, s.lockedBy])).toEqual([[id, engine, null]]);
    expect(listed.stacks[0].resources).toBeGreaterThan(3);
    const drift = await t.cli(b, ['drift', '--stack', id, '--json']);
    expect((json(drift) as DriftReport).stacks.map((s) => [s.id, s.status, s.error])).toEqual([[id, 'clean', undefined]]);
    expect(drift.exitCode).toBe(0);
  });
});
