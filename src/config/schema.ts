/**
 * The platform.yaml format, v1 (docs/config.md). One zod schema: the TypeScript types, the JSON
 * Schema under schema/ and every validation message come from here.
 */
import { z } from 'zod';
import { ENGINE_NAMES, type EngineName } from '../engines/registry.js';

export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dnsLabel = z
  .string()
  .max(63, 'must be at most 63 characters (a DNS-1123 label)')
  .regex(DNS1123_LABEL, 'must be a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit');

const quantity = z.string().regex(/^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/, 'must be a Kubernetes quantity such as 250m, 1, 256Mi or 2Gi');
const duration = z.string().regex(/^[0-9]+(ms|s|m|h|d|w|y)$/, 'must be a duration such as 15d, 12h or 30m');
const envVarName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The engine names come from the engine registry (one line per engine). */
export const ENGINES = ENGINE_NAMES;
export const CLOUDS = ['local', 'aws', 'gcp', 'azure'] as const;
export const PLANS = ['free', 'starter', 'professional', 'enterprise'] as const;
export const ROLES = ['owner', 'admin', 'developer', 'viewer', 'billing'] as const;

const cidr = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, 'must be an IPv4 CIDR such as 203.0.113.0/24');

export const clusterSchema = z.strictObject({
  kubeconfig: z.string().min(1).optional().describe('Path to a kubeconfig (~ expands to the home directory).'),
  context: z.string().min(1).optional().describe('The kubeconfig context of this region.'),
  publicAccessCidrs: z
    .array(cidr)
    .min(1)
    .optional()
    .describe('aws/gcp/azure: the networks that may reach the cluster API endpoint from outside the VPC/VNet. Without it the endpoint is private.'),
});

export const regionSchema = z.strictObject({
  name: dnsLabel.describe('Region name, unique; used in stack IDs.'),
  cloud: z.enum(CLOUDS).describe('local runs on the local control plane.'),
  location: z.string().min(1).describe("The cloud's region id (free text for local)."),
  role: z.enum(['primary', 'dr']),
  cluster: clusterSchema.optional(),
});

export const memberSchema = z.strictObject({
  subject: z.string().min(1).describe('A user (email) or group bound to the role.'),
  role: z.enum(ROLES),
});

export const tenantSchema = z.strictObject({
  name: dnsLabel.describe('Tenant name; becomes namespace <name> in every region.'),
  plan: z.enum(PLANS).describe('Quota and limits tier.'),
  owners: z.array(z.string().min(1)).min(1, 'a tenant needs at least one owner'),
  members: z.array(memberSchema).optional(),
});

const objective = (what: string) => z.number().gt(0).lt(100, `${what} is a percentage below 100, e.g. 99.9`);

/** A service's SLOs (docs/slo.md). Each becomes an error budget over 30 days with burn-rate alerts. */
export const sloSchema = z.strictObject({
  availability: objective('availability').describe('Percent of requests that must not fail (5xx), e.g. 99.9.'),
  latencyP95Ms: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('Shorthand for latency: { thresholdMs: N, objective: 95 } ("p95 within N ms"). Not together with latency.'),
  latency: z
    .strictObject({
      thresholdMs: z
        .number()
        .int()
        .positive()
        .describe('Requests slower than this are bad events; must be a bucket boundary (le) of the request-duration histogram.'),
      objective: objective('latency objective').describe('Percent of requests that must complete within thresholdMs, e.g. 99.'),
      p95AlertMs: z.number().int().positive().optional().describe('Optional extra: a ticket when p95 latency stays above this for 15 minutes.'),
    })
    .optional()
    .describe('A latency SLO: objective % of requests complete within thresholdMs.'),
});
export type ServiceSlo = z.output<typeof sloSchema>;
export type LatencySlo = NonNullable<ServiceSlo['latency']>;

/** The latency SLO a service asks for: the explicit form, or `latencyP95Ms: N` read as what a p95 target
 *  means (95 % of requests within N ms). */
export function latencySlo(slo: ServiceSlo | undefined): LatencySlo | undefined {
  if (slo?.latency) return slo.latency;
  if (slo?.latencyP95Ms !== undefined) return { thresholdMs: slo.latencyP95Ms, objective: 95 };
  return undefined;
}

export const serviceSchema = z.strictObject({
  name: dnsLabel,
  tenant: dnsLabel.describe('Must name a tenant.'),
  image: z
    .string()
    .min(1)
    .regex(/^[^\s]+$/, 'must be an image reference without spaces'),
  port: z.number().int().min(1).max(65535),
  replicas: z.number().int().min(0).max(1000).default(1),
  resources: z
    .strictObject({ cpu: quantity, memory: quantity, ephemeralStorage: quantity.optional().describe('Logs and /tmp; default 1Gi.') })
    .default({ cpu: '100m', memory: '128Mi' }),
  autoscale: z
    .strictObject({
      min: z.number().int().min(1),
      max: z.number().int().min(1),
      cpuPercent: z.number().int().min(1).max(100).default(70),
    })
    .optional(),
  probes: z.strictObject({ path: z.string().startsWith('/', 'must start with /') }).optional(),
  env: z.record(z.string().regex(envVarName, 'must be an environment variable name'), z.string()).optional(),
  secretEnv: z
    .record(
      z.string().regex(envVarName, 'must be an environment variable name'),
      z.string().regex(/^env:[A-Za-z_][A-Za-z0-9_]*$/, 'must be env:VARIABLE (read from that environment variable at plan time)'),
    )
    .optional(),
  canary: z
    .strictObject({
      image: z.string().min(1),
      weight: z.number().int().min(0, 'canary weight must be 0–100').max(100, 'canary weight must be 0–100'),
    })
    .optional(),
  slo: sloSchema.optional(),
  regions: z.array(dnsLabel).min(1).optional().describe('Default: every region.'),
  apiAccess: z.boolean().default(false).describe("true: the service's pods get a Kubernetes API token (automountServiceAccountToken); default off."),
  dr: z.enum(['none']).optional().describe('none: this service deliberately has no DR copy (dr check accepts it).'),
});

/** `services/<name>/overrides.yaml`: what a service's own folder may change (merged over platform.yaml). */
export const serviceOverridesSchema = z.strictObject({
  image: serviceSchema.shape.image.optional(),
  replicas: z.number().int().min(0).max(1000).optional(),
  resources: serviceSchema.shape.resources.unwrap().optional(),
  autoscale: serviceSchema.shape.autoscale,
  probes: serviceSchema.shape.probes,
  env: serviceSchema.shape.env,
});
export type ServiceOverrides = z.output<typeof serviceOverridesSchema>;

const enabled = z.boolean().default(true);
export const meshSchema = z.strictObject({
  istio: z
    .strictObject({
      enabled,
      mtls: z.enum(['STRICT', 'PERMISSIVE']).default('STRICT'),
      gateway: z.strictObject({ hosts: z.array(z.string().min(1)).min(1) }).optional(),
      outlierDetection: z
        .strictObject({
          consecutive5xxErrors: z.number().int().min(1).default(5),
          intervalSeconds: z.number().int().min(1).default(30),
          baseEjectionSeconds: z.number().int().min(1).default(60),
        })
        .optional(),
    })
    .optional(),
});

export const observabilitySchema = z.strictObject({
  prometheus: z.strictObject({ enabled, retention: duration.default('15d') }).optional(),
  grafana: z.strictObject({ enabled }).optional(),
  loki: z.strictObject({ enabled, retention: duration.default('7d') }).optional(),
  tempo: z.strictObject({ enabled }).optional(),
});

export const drSchema = z.strictObject({
  rpoMinutes: z.number().int().positive(),
  rtoMinutes: z.number().int().positive(),
  backupSchedule: z.string().min(1).describe('Cron (5 fields); the Velero Schedule in every primary region.'),
  failover: z.enum(['dns', 'manual']).default('dns'),
});

export const ignoreRuleSchema = z.strictObject({
  kind: z.string().min(1).optional(),
  namespace: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  nameRegex: z
    .string()
    .min(1)
    .refine((s) => {
      try {
        new RegExp(s);
        return true;
      } catch {
        return false;
      }
    }, 'must be a valid regular expression')
    .optional(),
  paths: z.array(z.string().startsWith('/', 'must be a JSON pointer such as /spec/replicas')).optional().describe('JSON pointers; none = the whole object.'),
});

/** `cost:` — what `platform cost` and the cost table of `plan` assume (docs/cost.md). */
export const costSchema = z.strictObject({
  usage: z
    .string()
    .min(1)
    .optional()
    .describe(
      'YAML or JSON file (relative to platform.yaml) of usage assumptions: GB stored per backup bucket, GB replicated per month, DNS queries per month. Without it the defaults apply; `platform cost` prints them.',
    ),
  commentThreshold: z
    .string()
    .regex(/^[0-9]+(\.[0-9]+)?%$/, 'must be a percentage such as 5%')
    .optional()
    .describe(
      "Show the cost table in the pull-request summary only when the estimated monthly total moves by at least this much (default: whenever any stack's cost changes).",
    ),
});

export const POLICY_LEVELS = ['mandatory', 'advisory', 'disabled'] as const;
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'must be a real calendar date');

export const waiverSchema = z.strictObject({
  policy: z.string().min(1).describe('The policy waived (built-in or from policies/*.rego).'),
  stack: z.string().min(1).default('**').describe('Glob over stack IDs (`*` within a segment, `**` across): app/*/search/*.'),
  object: z.string().min(1).default('**').describe('Glob over Kind/namespace/name (Kind/name for cluster-scoped objects and cloud resources).'),
  reason: z
    .string({ error: 'a waiver needs a reason (why the rule does not apply, who accepted it)' })
    .min(1, 'a waiver needs a reason (why the rule does not apply, who accepted it)'),
  expires: isoDate.optional().describe('Last day the waiver applies (UTC); after it the violation is reported again.'),
});

/** `policy:` — the policy gate of plan/apply and `platform policy check` (docs/policy.md). */
export const policySchema = z.strictObject({
  enforcement: z
    .record(z.string().min(1), z.enum(POLICY_LEVELS))
    .optional()
    .describe('Policy name → mandatory | advisory | disabled; replaces the level a policy has by default.'),
  waivers: z.array(waiverSchema).default([]),
});

export const platformSchema = z.strictObject({
  apiVersion: z.literal('platform.dev/v1', { error: 'must be platform.dev/v1 (the only version today)' }),
  name: dnsLabel.describe('Prefixes stack names and ownership labels.'),
  engine: z.enum(ENGINES).default('pulumi'),
  state: z
    .string()
    .regex(/^(file|s3|gs|azblob):\/\/.+$/, 'must be file://PATH, s3://bucket/prefix, gs://bucket/prefix or azblob://container/prefix')
    .default('file://.platform/state'),
  regions: z.array(regionSchema).min(1, 'at least one region is required'),
  tenants: z.array(tenantSchema).default([]),
  services: z.array(serviceSchema).default([]),
  mesh: meshSchema.optional(),
  observability: observabilitySchema.optional(),
  dr: drSchema.optional(),
  drift: z.strictObject({ ignore: z.array(ignoreRuleSchema).default([]) }).optional(),
  cost: costSchema.optional(),
  policy: policySchema.optional(),
});

export type PlatformConfig = z.output<typeof platformSchema>;
export type PlatformInput = z.input<typeof platformSchema>;
export type Region = PlatformConfig['regions'][number];
export type Tenant = PlatformConfig['tenants'][number];
export type Service = PlatformConfig['services'][number];
export type IgnoreRule = z.output<typeof ignoreRuleSchema>;
export type CostSettings = z.output<typeof costSchema>;
export type PolicySettings = z.output<typeof policySchema>;
export type Waiver = z.output<typeof waiverSchema>;
export type PolicyLevel = (typeof POLICY_LEVELS)[number];
export type Engine = EngineName;
export type Plan = (typeof PLANS)[number];
