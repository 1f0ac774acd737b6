import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { PlatformConfig } from '../../src/config/schema.js';
import { checkDr, RULES } from '../../src/dr/check.js';
import { planStacks } from '../../src/stacks/plan.js';

const load = (f: string) => parseConfig(readFileSync(f, 'utf8'), f);
const local = load('examples/local/platform.yaml');
const multicloud = load('examples/multicloud/platform.yaml');
const rule = (c: PlatformConfig, name: (typeof RULES)[number]) => checkDr(c, planStacks(c)).rules.find((r) => r.name === name)!;
const edit = (c: PlatformConfig, f: (c: PlatformConfig) => void): PlatformConfig => {
  const copy = structuredClone(c);
  f(copy);
  return copy;
};

describe('dr check', () => {
  it('both examples pass every rule, in the documented order', () => {
    for (const c of [local, multicloud]) {
      const report = checkDr(c, planStacks(c));
      expect(report.rules.map((r) => r.name)).toEqual([...RULES]);
      expect(report.rules.filter((r) => !r.ok)).toEqual([]);
    }
  });

  it('services-have-dr-copy: a primary-only service fails unless dr: none', () => {
    const primaryOnly = edit(local, (c) => {
      c.services[0].regions = ['eu'];
    });
    expect(rule(primaryOnly, 'services-have-dr-copy')).toMatchObject({ ok: false, why: expect.stringContaining('payments/checkout') });
    const optedOut = edit(primaryOnly, (c) => {
      c.services[0].dr = 'none';
    });
    expect(rule(optedOut, 'services-have-dr-copy').ok).toBe(true);
  });

  it('backup-interval-within-rpo', () => {
    expect(rule(local, 'backup-interval-within-rpo').ok).toBe(true);
    const slow = edit(local, (c) => {
      c.dr!.backupSchedule = '0 */3 * * *';
    });
    expect(rule(slow, 'backup-interval-within-rpo')).toMatchObject({ ok: false, why: expect.stringContaining('180 min') });
  });

  it('backup-replicated-to-dr: the AWS bucket must replicate to the GCP DR location', () => {
    expect(rule(multicloud, 'backup-replicated-to-dr')).toMatchObject({ ok: true, why: expect.stringContaining('us-east1') });
    const noDrCloud = edit(multicloud, (c) => {
      c.regions[1].cloud = 'local';
    });
    expect(rule(noDrCloud, 'backup-replicated-to-dr').ok).toBe(false);
  });

  it('dns-failover-for-gateway-hosts: every host needs primary and secondary records', () => {
    expect(rule(multicloud, 'dns-failover-for-gateway-hosts').ok).toBe(true);
    const noSecondary = edit(multicloud, (c) => {
      c.regions[1].cloud = 'local';
    });
    expect(rule(noSecondary, 'dns-failover-for-gateway-hosts')).toMatchObject({ ok: false, why: expect.stringContaining('no secondary record') });
  });

  it('dr-location-differs', () => {
    const same = edit(multicloud, (c) => {
      c.regions[1].cloud = 'aws';
      c.regions[1].location = 'eu-west-1';
    });
    expect(rule(same, 'dr-location-differs').ok).toBe(false);
    expect(rule(multicloud, 'dr-location-differs').ok).toBe(true);
  });

  it('dr-capacity-fits-quota: peak replicas × requests against the tier', () => {
    const big = edit(local, (c) => {
      c.services[0].autoscale = { min: 2, max: 200, cpuPercent: 70 };
    });
    // professional: 32 CPU; 201 × 250m = 50.25 CPU
    expect(rule(big, 'dr-capacity-fits-quota')).toMatchObject({ ok: false, why: expect.stringContaining('us/payments') });
    expect(rule(local, 'dr-capacity-fits-quota').ok).toBe(true);
  });

  it('an estate without a DR region has nothing to break', () => {
    const single = edit(local, (c) => {
      c.regions = [c.regions[0]];
      for (const s of c.services) delete s.regions;
    });
    expect(checkDr(single, planStacks(single)).rules.every((r) => r.ok)).toBe(true);
  });
});
