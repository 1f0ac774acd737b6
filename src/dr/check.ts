/**
 * `platform dr check`: the disaster-recovery invariants of a config, each a named rule with a verdict
 * and the reason. They run before every plan and apply (unless --skip-dr-check): a DR pair that cannot
 * take over is a config error, found before anything is deployed.
 */
import { maxIntervalMinutes } from '../config/cron.js';
import type { PlatformConfig, Region, Service } from '../config/schema.js';
import { TIERS } from '../config/tiers.js';
import type { CloudIntent, StackInstance } from '../stacks/types.js';
import { bytes, millicores } from '../objects/quantity.js';

export interface RuleResult {
  name: string;
  ok: boolean;
  why: string;
}

export interface DrReport {
  version: 1;
  rules: RuleResult[];
}

const runsIn = (s: Service, r: Region): boolean => !s.regions || s.regions.includes(r.name);

export function checkDr(config: PlatformConfig, stacks: StackInstance[]): DrReport {
  const primary = config.regions.find((r) => r.role === 'primary');
  const drRegions = config.regions.filter((r) => r.role === 'dr');
  if (!primary || drRegions.length === 0) {
    const why = 'no region has role: dr — this estate has no DR pair to check';
    return { version: 1, rules: RULES.map((name) => ({ name, ok: true, why })) };
  }
  const intents = (region: Region): CloudIntent[] => stacks.find((s) => s.layer === 'cluster' && s.region.name === region.name)?.cloud ?? [];
  return {
    version: 1,
    rules: [
      servicesHaveDrCopy(config, primary, drRegions),
      backupIntervalWithinRpo(config),
      backupReplicatedToDr(config, primary, drRegions, intents),
      dnsFailoverForGatewayHosts(config, primary, drRegions, intents),
      drLocationDiffers(primary, drRegions),
      drCapacityFitsQuota(config, drRegions),
    ],
  };
}

export const RULES = [
  'services-have-dr-copy',
  'backup-interval-within-rpo',
  'backup-replicated-to-dr',
  'dns-failover-for-gateway-hosts',
  'dr-location-differs',
  'dr-capacity-fits-quota',
] as const;

function servicesHaveDrCopy(c: PlatformConfig, primary: Region, dr: Region[]): RuleResult {
  const missing = c.services.filter((s) => runsIn(s, primary) && s.dr !== 'none' && !dr.some((r) => runsIn(s, r)));
  return missing.length
    ? {
        name: RULES[0],
        ok: false,
        why: `${missing.map((s) => `${s.tenant}/${s.name}`).join(', ')} run in ${primary.name} but in no DR region (${dr.map((r) => r.name).join(', ')}); add a DR region to regions: or mark dr: none`,
      }
    : { name: RULES[0], ok: true, why: `every service in ${primary.name} also runs in a DR region or is marked dr: none` };
}

function backupIntervalWithinRpo(c: PlatformConfig): RuleResult {
  if (!c.dr) return { name: RULES[1], ok: false, why: 'no dr: block (rpoMinutes, rtoMinutes, backupSchedule)' };
  let interval: number;
  try {
    interval = maxIntervalMinutes(c.dr.backupSchedule);
  } catch (e) {
    return { name: RULES[1], ok: false, why: `backupSchedule "${c.dr.backupSchedule}": ${(e as Error).message}` };
  }
  return interval <= c.dr.rpoMinutes
    ? { name: RULES[1], ok: true, why: `"${c.dr.backupSchedule}" runs at least every ${interval} min ≤ RPO ${c.dr.rpoMinutes} min` }
    : { name: RULES[1], ok: false, why: `"${c.dr.backupSchedule}" leaves up to ${interval} min between backups > RPO ${c.dr.rpoMinutes} min` };
}

function backupReplicatedToDr(c: PlatformConfig, primary: Region, dr: Region[], intents: (r: Region) => CloudIntent[]): RuleResult {
  if (primary.cloud === 'local') {
    return {
      name: RULES[2],
      ok: true,
      why: `primary ${primary.name} is local: backups stay on this machine; \`platform dr drill\` restores them into the DR region`,
    };
  }
  const bucket = intents(primary).find((i): i is Extract<CloudIntent, { kind: 'backupBucket' }> => i.kind === 'backupBucket');
  if (!bucket) return { name: RULES[2], ok: false, why: `the cluster stack of ${primary.name} declares no backup bucket` };
  const target = bucket.replicateTo && dr.find((r) => r.name === bucket.replicateTo!.region);
  if (!target)
    return {
      name: RULES[2],
      ok: false,
      why: `bucket ${bucket.name} does not replicate to a DR region's bucket (DR regions on a cloud: ${
        dr
          .filter((r) => r.cloud !== 'local')
          .map((r) => r.name)
          .join(', ') || 'none'
      })`,
    };
  if (bucket.replicateTo!.location !== target.location)
    return {
      name: RULES[2],
      ok: false,
      why: `bucket ${bucket.name} replicates to ${bucket.replicateTo!.location}, not to DR region ${target.name}'s location ${target.location}`,
    };
  return { name: RULES[2], ok: true, why: `bucket ${bucket.name} (versioned, encrypted) replicates to ${bucket.replicateTo!.bucket} in ${target.location}` };
}

function dnsFailoverForGatewayHosts(c: PlatformConfig, primary: Region, dr: Region[], intents: (r: Region) => CloudIntent[]): RuleResult {
  const hosts = c.mesh?.istio?.enabled ? (c.mesh.istio.gateway?.hosts ?? []) : [];
  if (hosts.length === 0) return { name: RULES[3], ok: true, why: 'no gateway hosts to fail over' };
  if (c.dr?.failover === 'manual')
    return { name: RULES[3], ok: true, why: `failover: manual — ${hosts.join(', ')} are re-pointed by hand (the runbook's job)` };
  if (primary.cloud === 'local')
    return { name: RULES[3], ok: true, why: `local regions have no public DNS; \`platform dr drill\` re-points ${hosts.join(', ')} to the DR gateway` };
  const problems: string[] = [];
  for (const host of hosts) {
    const has = (r: Region, role: 'primary' | 'secondary') => intents(r).some((i) => i.kind === 'dnsFailover' && i.host === host && i.role === role);
    if (!has(primary, 'primary')) problems.push(`${host} has no primary record in ${primary.name}`);
    const cloudDr = dr.filter((r) => r.cloud !== 'local');
    if (!cloudDr.some((r) => has(r, 'secondary'))) problems.push(`${host} has no secondary record in a DR region`);
  }
  return problems.length
    ? { name: RULES[3], ok: false, why: problems.join('; ') }
    : {
        name: RULES[3],
        ok: true,
        why: `${hosts.join(', ')}: primary record in ${primary.name} with a health check, secondary in ${dr.map((r) => r.name).join(', ')}`,
      };
}

function drLocationDiffers(primary: Region, dr: Region[]): RuleResult {
  const same = dr.filter((r) => r.cloud === primary.cloud && r.location === primary.location);
  return same.length
    ? { name: RULES[4], ok: false, why: `${same.map((r) => r.name).join(', ')} is in the primary's location ${primary.location}` }
    : { name: RULES[4], ok: true, why: `DR ${dr.map((r) => `${r.name} (${r.location})`).join(', ')} ≠ primary ${primary.name} (${primary.location})` };
}

function drCapacityFitsQuota(c: PlatformConfig, dr: Region[]): RuleResult {
  const problems: string[] = [];
  for (const region of dr) {
    for (const tenant of c.tenants) {
      const tier = TIERS[tenant.plan];
      let cpu = 0;
      let memory = 0;
      let pods = 0;
      for (const s of c.services.filter((x) => x.tenant === tenant.name && runsIn(x, region))) {
        // At failover the DR copy must hold the primary's peak: the HPA maximum, plus the canary.
        const replicas = (s.autoscale?.max ?? s.replicas) + (s.canary ? 1 : 0);
        cpu += replicas * millicores(s.resources.cpu);
        memory += replicas * bytes(s.resources.memory);
        pods += replicas;
      }
      if (cpu > millicores(tier.cpu)) problems.push(`${region.name}/${tenant.name}: ${cpu}m CPU > quota ${tier.cpu}`);
      if (memory > bytes(tier.memory)) problems.push(`${region.name}/${tenant.name}: ${Math.ceil(memory / 2 ** 20)}Mi memory > quota ${tier.memory}`);
      if (tier.pods !== null && pods > tier.pods) problems.push(`${region.name}/${tenant.name}: ${pods} pods > quota ${tier.pods}`);
    }
  }
  return problems.length
    ? { name: RULES[5], ok: false, why: `${problems.join('; ')} (peak replicas × requests; raise the plan or lower autoscale.max)` }
    : { name: RULES[5], ok: true, why: `peak replicas × requests of every tenant fit its quota in ${dr.map((r) => r.name).join(', ')}` };
}
