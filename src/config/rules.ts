/** Rules that need more than a type (docs/config.md "Rules that need more than a type"). */
import { maxIntervalMinutes } from './cron.js';
import { latencySlo, type PlatformConfig } from './schema.js';
import { TIERS } from './tiers.js';

export interface RuleProblem {
  path: Array<string | number>;
  message: string;
}

export interface RuleContext {
  /** The policies that exist (built-in + the project's): read only when the config names one. */
  policyNames?: () => ReadonlySet<string>;
}

export function crossFieldProblems(c: PlatformConfig, ctx: RuleContext = {}): RuleProblem[] {
  const out: RuleProblem[] = [];
  const regionNames = new Set<string>();
  c.regions.forEach((r, i) => {
    if (regionNames.has(r.name)) out.push({ path: ['regions', i, 'name'], message: `region "${r.name}" is defined twice` });
    regionNames.add(r.name);
    if (r.cloud === 'local' && r.cluster?.publicAccessCidrs) {
      out.push({
        path: ['regions', i, 'cluster', 'publicAccessCidrs'],
        message: 'only aws, gcp and azure regions have a cluster API endpoint to restrict; remove it from this local region',
      });
    }
  });

  const primaries = c.regions.filter((r) => r.role === 'primary');
  if (primaries.length !== 1) {
    out.push({
      path: ['regions'],
      message: `exactly one region must have role: primary (found ${primaries.length}${primaries.length ? `: ${primaries.map((r) => r.name).join(', ')}` : ''})`,
    });
  }
  const primary = primaries.at(0); // none when the rule above failed
  c.regions.forEach((r, i) => {
    if (r.role === 'dr' && primary && r.location === primary.location && r.cloud === primary.cloud) {
      out.push({
        path: ['regions', i, 'location'],
        message: `DR region "${r.name}" is in the same location as primary "${primary.name}" (${r.location}); put it elsewhere`,
      });
    }
  });
  if (c.regions.some((r) => r.role === 'dr') && !c.dr) {
    out.push({ path: ['dr'], message: 'dr: (rpoMinutes, rtoMinutes, backupSchedule) is required when a region has role: dr' });
  }
  if (c.dr) {
    try {
      const interval = maxIntervalMinutes(c.dr.backupSchedule);
      if (interval > c.dr.rpoMinutes) {
        out.push({
          path: ['dr', 'backupSchedule'],
          message: `runs every ${interval} min at worst, longer than rpoMinutes ${c.dr.rpoMinutes}; back up at least every ${c.dr.rpoMinutes} min`,
        });
      }
    } catch (e) {
      out.push({ path: ['dr', 'backupSchedule'], message: (e as Error).message });
    }
  }

  const tenantNames = new Set<string>();
  c.tenants.forEach((t, i) => {
    if (tenantNames.has(t.name)) out.push({ path: ['tenants', i, 'name'], message: `tenant "${t.name}" is defined twice` });
    tenantNames.add(t.name);
    const limit = TIERS[t.plan].members;
    const members = t.members?.length ?? 0;
    if (limit !== null && members > limit) {
      out.push({
        path: ['tenants', i, 'members'],
        message: `plan ${t.plan} allows ${limit} member${limit === 1 ? '' : 's'} besides owners; ${members} listed (upgrade the plan or remove members)`,
      });
    }
  });

  const pairs = new Set<string>();
  c.services.forEach((s, i) => {
    if (!tenantNames.has(s.tenant)) {
      out.push({ path: ['services', i, 'tenant'], message: `tenant "${s.tenant}" is not defined; known tenants: ${[...tenantNames].join(', ') || '(none)'}` });
    }
    const key = `${s.tenant}/${s.name}`;
    if (pairs.has(key)) out.push({ path: ['services', i, 'name'], message: `service "${s.name}" is defined twice in tenant "${s.tenant}"` });
    pairs.add(key);
    s.regions?.forEach((r, j) => {
      if (!regionNames.has(r))
        out.push({ path: ['services', i, 'regions', j], message: `region "${r}" is not defined; known regions: ${[...regionNames].join(', ')}` });
    });
    if (s.autoscale && s.autoscale.min > s.autoscale.max) {
      out.push({ path: ['services', i, 'autoscale', 'min'], message: `autoscale.min (${s.autoscale.min}) is greater than autoscale.max (${s.autoscale.max})` });
    }
    out.push(...sloProblems(c, i));
  });
  out.push(...policyProblems(c, ctx));
  return out;
}

/** Waivers and enforcement entries name existing policies (a typo would silently waive nothing). */
function policyProblems(c: PlatformConfig, ctx: RuleContext): RuleProblem[] {
  const p = c.policy;
  if (!p || !ctx.policyNames || (!p.waivers.length && !Object.keys(p.enforcement ?? {}).length)) return [];
  const known = ctx.policyNames();
  const unknown = (name: string): string =>
    `unknown policy "${name}"; known policies: ${[...known].sort().join(', ')} (built-in, and policies/*.rego beside platform.yaml)`;
  const out: RuleProblem[] = [];
  for (const name of Object.keys(p.enforcement ?? {})) if (!known.has(name)) out.push({ path: ['policy', 'enforcement', name], message: unknown(name) });
  p.waivers.forEach((w, i) => {
    if (!known.has(w.policy)) out.push({ path: ['policy', 'waivers', i, 'policy'], message: unknown(w.policy) });
  });
  return out;
}

/**
 * Envoy's default histogram buckets (ms), which Istio's `istio_request_duration_milliseconds` uses
 * (envoy source/common/stats/histogram_impl.cc). A latency SLO counts a request as slow by reading the
 * bucket whose upper bound `le` is the threshold: a threshold between two bounds has no bucket to read.
 */
export const ISTIO_DURATION_BUCKETS_MS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000,
] as const;

function sloProblems(c: PlatformConfig, i: number): RuleProblem[] {
  const slo = c.services[i].slo;
  const latency = latencySlo(slo);
  if (!slo || !latency) return [];
  const out: RuleProblem[] = [];
  if (slo.latency && slo.latencyP95Ms !== undefined) {
    out.push({
      path: ['services', i, 'slo', 'latencyP95Ms'],
      message: `latencyP95Ms is the shorthand of latency: { thresholdMs: ${slo.latencyP95Ms}, objective: 95 }; give one of the two, not both`,
    });
  }
  // With Istio the histogram is the sidecar's, with known bounds; an app's own histogram has the bounds
  // its code chose, so only the generated SLOLatencyBucketMissing alert can catch a miss there.
  const buckets: readonly number[] = ISTIO_DURATION_BUCKETS_MS;
  if (c.mesh?.istio?.enabled === true && !buckets.includes(latency.thresholdMs)) {
    const below = buckets.filter((b) => b < latency.thresholdMs).at(-1);
    const above = buckets.find((b) => b > latency.thresholdMs);
    out.push({
      path: ['services', i, 'slo', slo.latency ? 'latency' : 'latencyP95Ms', ...(slo.latency ? ['thresholdMs'] : [])],
      message:
        `${latency.thresholdMs} ms is not a bucket bound of Istio's istio_request_duration_milliseconds histogram, so slow requests cannot be counted at it; ` +
        `use ${[below, above].filter((b) => b !== undefined).join(' or ')} (bounds: ${buckets.join(', ')})`,
    });
  }
  return out;
}
