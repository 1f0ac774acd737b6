/**
 * SLO rules for one service, recorded and labelled the way Sloth (github.com/slok/sloth, read at v0.16.0,
 * 9e3d413: pkg/common/conventions/slo.go and internal/plugin/slo/core/{sli,metadata,alert}_rules_v1) names
 * them, so Sloth's published Grafana dashboards read our output unchanged. Per SLO (availability, latency):
 *
 *   slo:sli_error:ratio_rate<w>   the share of bad events over w ∈ 5m…3d (what the alerts read) and 30d
 *   slo:objective:ratio, slo:error_budget:ratio, slo:time_period:days
 *   slo:current_burn_rate:ratio   5m error ratio ÷ budget (1 = spending exactly the budget)
 *   slo:period_burn_rate:ratio    30d error ratio ÷ budget
 *   slo:period_error_budget_remaining:ratio   1 − period burn rate (0.5 = half the 30-day budget left)
 *   sloth_slo_info
 *
 * labelled sloth_id, sloth_service, sloth_slo (+ sloth_window on the ratios) and our tenant/service.
 * `sloth_service` is `<service>.<tenant>`, the Service's in-cluster DNS name: unique per service, so two
 * tenants' `web` never share series, and `sloth_slo` keeps two SLOs of one service apart.
 *
 * Alerts are the multi-window, multi-burn-rate alerts of the Google SRE workbook (ch. 5), Sloth's
 * google-30d windows:
 *
 *   page   — burn 14.4× over 1h AND 5m  (2% of a 30-day budget in an hour)
 *            OR burn 6× over 6h AND 30m  (5% in six hours)
 *   ticket — burn 3× over 1d AND 2h     (10% in a day)
 *            OR burn 1× over 3d AND 6h   (10% in three days)
 *
 * One deliberate difference from Sloth: its 30d SLI is the mean of the 5m ratios, which weighs a quiet
 * minute like a busy one and turns NaN for 30 days after any 5 minutes without traffic (0/0). Ours divides
 * 30-day sums of the 5m bad-event and event rates (recorded as slo:sli_bad_events:rate5m and
 * slo:sli_events:rate5m): traffic-weighted, and idle time counts as nothing.
 *
 * The SLI: with Istio, the sidecar's `istio_requests_total` / `istio_request_duration_milliseconds_bucket`
 * as seen by the destination (every service has them with no code change). Without Istio, the
 * conventional `http_requests_total` / `http_request_duration_seconds_bucket` the app exports on /metrics,
 * scraped through our ServiceMonitor (job = the Service name, namespace = the tenant). 5xx = bad for
 * availability; slower than the threshold (total − the bucket whose `le` is the threshold) = bad for latency.
 */
import { latencySlo, type PlatformConfig, type Service } from '../config/schema.js';
import { meshEnabled } from './mesh.js';

export interface PromRule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
export interface PromRuleGroup {
  name: string;
  rules: PromRule[];
}

/** Windows with a recording rule, shortest first (every window some alert needs). */
export const ERROR_RATIO_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
export type Window = (typeof ERROR_RATIO_WINDOWS)[number];
/** The SLO period: every budget is over a rolling 30 days (Sloth's default period). */
export const PERIOD_WINDOW = '30d';
export const PERIOD_DAYS = 30;

export interface BurnRateAlert {
  alert: string;
  severity: 'page' | 'ticket';
  /** Each condition fires when both its short and long window burn faster than `burn`. */
  conditions: Array<{ burn: number; short: Window; long: Window }>;
}

export const BURN_RATE_ALERTS: BurnRateAlert[] = [
  {
    alert: 'SLOErrorBudgetBurnFast',
    severity: 'page',
    conditions: [
      { burn: 14.4, short: '5m', long: '1h' },
      { burn: 6, short: '30m', long: '6h' },
    ],
  },
  {
    alert: 'SLOErrorBudgetBurnSlow',
    severity: 'ticket',
    conditions: [
      { burn: 3, short: '2h', long: '1d' },
      { burn: 1, short: '6h', long: '3d' },
    ],
  },
];

export const LATENCY_ALERT = 'SLOLatencyP95High';
export const BUCKET_MISSING_ALERT = 'SLOLatencyBucketMissing';
export const errorRatioRecord = (w: Window | typeof PERIOD_WINDOW): string => `slo:sli_error:ratio_rate${w}`;
export const LATENCY_RECORD = 'slo:sli_latency_p95:milliseconds_rate5m';
export const EVENTS_RECORD = 'slo:sli_events:rate5m';
export const BAD_EVENTS_RECORD = 'slo:sli_bad_events:rate5m';
export const OBJECTIVE_RECORD = 'slo:objective:ratio';
export const ERROR_BUDGET_RECORD = 'slo:error_budget:ratio';
export const TIME_PERIOD_RECORD = 'slo:time_period:days';
export const CURRENT_BURN_RATE_RECORD = 'slo:current_burn_rate:ratio';
export const PERIOD_BURN_RATE_RECORD = 'slo:period_burn_rate:ratio';
export const BUDGET_REMAINING_RECORD = 'slo:period_error_budget_remaining:ratio';
export const SLO_INFO_RECORD = 'sloth_slo_info';
/** What sloth_slo_info says made these rules (Sloth puts its own version, mode and spec there). */
export const SLO_INFO_LABELS = { sloth_mode: 'platform', sloth_spec: 'platform.dev/v1', sloth_version: 'platform-slo/v1' } as const;

/** The error budget as a fraction: 99.9 → 0.001 (rounded to 12 significant digits to drop float noise). */
export function errorBudget(objective: number): number {
  return Number(((100 - objective) / 100).toPrecision(12));
}
const ratio = (percent: number): number => Number((percent / 100).toPrecision(12));

export type SloName = 'availability' | 'latency';

/** One SLO of a service, resolved from its config. */
export interface Slo {
  name: SloName;
  /** Percent of events that must be good. */
  objective: number;
  /** Labels every series of this SLO carries (Sloth's three ids, then ours). */
  ids: { sloth_id: string; sloth_service: string; sloth_slo: SloName; tenant: string; service: string };
  /** In words, for alert summaries and panel titles: "99.9% availability", "99% within 500 ms". */
  title: string;
  /** PromQL: rate of bad events and of all events over a window. */
  bad: (w: string) => string;
  total: (w: string) => string;
}

/** Sloth's `sloth_service`: the Service's in-cluster DNS name, unique across tenants. */
export const slothService = (s: Pick<Service, 'name' | 'tenant'>): string => `${s.name}.${s.tenant}`;
/** Sloth's `sloth_id` is `<service>-<slo name>`. */
export const slothId = (s: Pick<Service, 'name' | 'tenant'>, slo: SloName): string => `${slothService(s)}-${slo}`;
export const sloIds = (s: Pick<Service, 'name' | 'tenant'>, slo: SloName): Slo['ids'] => ({
  sloth_id: slothId(s, slo),
  sloth_service: slothService(s),
  sloth_slo: slo,
  tenant: s.tenant,
  service: s.name,
});
/** The selector Sloth filters an SLO's series by, spelled as Sloth spells it. */
export const sloSelector = (ids: Slo['ids']): string => `{sloth_id="${ids.sloth_id}", sloth_service="${ids.sloth_service}", sloth_slo="${ids.sloth_slo}"}`;

function selector(labels: Array<[string, string]>): string {
  return `{${labels.map(([k, v]) => (v.startsWith('~') ? `${k}=~"${v.slice(1)}"` : `${k}="${v}"`)).join(',')}}`;
}

/**
 * A regex for the `le` label of the bucket bounded by `value`. Exporters spell bounds differently: Go and
 * JS clients write 0.25, 1, 1.8e+06 / 1800000, Python 1.0, and Prometheus 3 rewrites integers to 1.0 on
 * ingestion; any of them must match.
 */
export function leMatcher(value: number): string {
  const forms = new Set([String(value)]);
  if (Number.isInteger(value)) forms.add(`${value}.0`);
  if (value >= 1e6) forms.add(value.toExponential().replace(/e([+-])(\d)$/, 'e$10$2'));
  return [...forms].map((f) => f.replaceAll('.', '[.]').replaceAll('+', '[+]')).join('|');
}

interface SliSource {
  availability: Pick<Slo, 'bad' | 'total'>;
  latency: (thresholdMs: number) => Pick<Slo, 'bad' | 'total'> & { bucketPresent: string; requestsFlowing: string };
  p95Ms: string;
}

function sliSource(c: PlatformConfig, s: Service): SliSource {
  const mesh = meshEnabled(c);
  const base: Array<[string, string]> = mesh
    ? [
        ['reporter', 'destination'],
        ['destination_service_namespace', s.tenant],
        ['destination_service_name', s.name],
      ]
    : [
        ['namespace', s.tenant],
        ['job', s.name],
      ];
  const requests = mesh ? 'istio_requests_total' : 'http_requests_total';
  const serverError: [string, string] = mesh ? ['response_code', '~5..'] : ['code', '~5..'];
  const bucket = mesh ? 'istio_request_duration_milliseconds_bucket' : 'http_request_duration_seconds_bucket';
  const msPerUnit = mesh ? 1 : 1000;
  const rate = (metric: string, labels: Array<[string, string]>, w: string) => `sum(rate(${metric}${selector(labels)}[${w}]))`;
  const all: [string, string] = ['le', '+Inf'];
  return {
    availability: {
      // `or vector(0)`: no 5xx series yet means no bad events, not "no data".
      bad: (w) => `(${rate(requests, [...base, serverError], w)} or vector(0))`,
      total: (w) => rate(requests, base, w),
    },
    latency: (thresholdMs) => {
      const within: [string, string] = ['le', `~${leMatcher(thresholdMs / msPerUnit)}`];
      return {
        // No `or vector(0)`: without the threshold's bucket the SLI must be absent, not a perfect 0.
        bad: (w) => `(${rate(bucket, [...base, all], w)} - ${rate(bucket, [...base, within], w)})`,
        total: (w) => rate(bucket, [...base, all], w),
        bucketPresent: `count(${bucket}${selector([...base, within])})`,
        requestsFlowing: `${rate(bucket, [...base, all], '5m')} > 0`,
      };
    },
    p95Ms: `${mesh ? '' : '1000 * '}histogram_quantile(0.95, sum by (le) (rate(${bucket}${selector(base)}[5m])))`,
  };
}

/** The SLOs of a service: availability, then latency when it asks for one. */
export function serviceSlos(c: PlatformConfig, s: Service): Slo[] {
  if (!s.slo) return [];
  const src = sliSource(c, s);
  const out: Slo[] = [
    { name: 'availability', objective: s.slo.availability, ids: sloIds(s, 'availability'), title: `${s.slo.availability}% availability`, ...src.availability },
  ];
  const latency = latencySlo(s.slo);
  if (latency) {
    const { bad, total } = src.latency(latency.thresholdMs);
    out.push({
      name: 'latency',
      objective: latency.objective,
      ids: sloIds(s, 'latency'),
      title: `${latency.objective}% within ${latency.thresholdMs} ms`,
      bad,
      total,
    });
  }
  return out;
}

/** The SLI, budget and metadata recording rules of one SLO, in evaluation order. */
function sloRecordingRules(slo: Slo): PromRule[] {
  const { ids } = slo;
  const filter = sloSelector(ids);
  const windowed = (w: string) => ({ ...ids, sloth_window: w });
  const burnRate = (w: Window | typeof PERIOD_WINDOW) =>
    `${errorRatioRecord(w)}${filter}\n/ on(sloth_id, sloth_slo, sloth_service) group_left\n${ERROR_BUDGET_RECORD}${filter}`;
  return [
    ...ERROR_RATIO_WINDOWS.map((w) => ({ record: errorRatioRecord(w), expr: `${slo.bad(w)}\n/\n${slo.total(w)}`, labels: windowed(w) })),
    { record: BAD_EVENTS_RECORD, expr: slo.bad('5m'), labels: { ...ids } },
    { record: EVENTS_RECORD, expr: slo.total('5m'), labels: { ...ids } },
    {
      record: errorRatioRecord(PERIOD_WINDOW),
      expr: `sum_over_time(${BAD_EVENTS_RECORD}${filter}[${PERIOD_WINDOW}])\n/\nsum_over_time(${EVENTS_RECORD}${filter}[${PERIOD_WINDOW}])`,
      labels: windowed(PERIOD_WINDOW),
    },
    { record: OBJECTIVE_RECORD, expr: `vector(${ratio(slo.objective)})`, labels: { ...ids } },
    { record: ERROR_BUDGET_RECORD, expr: `vector(${errorBudget(slo.objective)})`, labels: { ...ids } },
    { record: TIME_PERIOD_RECORD, expr: `vector(${PERIOD_DAYS})`, labels: { ...ids } },
    { record: CURRENT_BURN_RATE_RECORD, expr: burnRate('5m'), labels: { ...ids } },
    { record: PERIOD_BURN_RATE_RECORD, expr: burnRate(PERIOD_WINDOW), labels: { ...ids } },
    { record: BUDGET_REMAINING_RECORD, expr: `1 - ${PERIOD_BURN_RATE_RECORD}${filter}`, labels: { ...ids } },
    { record: SLO_INFO_RECORD, expr: 'vector(1)', labels: { ...ids, ...SLO_INFO_LABELS, sloth_objective: String(slo.objective) } },
  ];
}

/** Sloth's page and ticket alerts for one SLO (`max … without (sloth_window)` lets windows `and` together). */
function burnRateAlerts(s: Service, slo: Slo): PromRule[] {
  const budget = errorBudget(slo.objective);
  const filter = sloSelector(slo.ids);
  const over = (w: Window, burn: number) => `max(${errorRatioRecord(w)}${filter} > (${burn} * ${budget})) without (sloth_window)`;
  return BURN_RATE_ALERTS.map((a) => ({
    alert: a.alert,
    expr: a.conditions.map(({ burn, short, long }) => `(\n    ${over(short, burn)}\n    and\n    ${over(long, burn)}\n)`).join('\nor\n'),
    labels: { severity: a.severity, sloth_severity: a.severity, ...slo.ids, slo: slo.name },
    annotations: {
      summary:
        a.severity === 'page'
          ? `${s.tenant}/${s.name} is burning its ${slo.name} error budget fast (SLO: ${slo.title})`
          : `${s.tenant}/${s.name} is steadily burning its ${slo.name} error budget (SLO: ${slo.title})`,
      description: a.conditions.map((x) => `${x.burn}x over ${x.long} and ${x.short}`).join(' or ') + ` (budget ${budget}).`,
    },
  }));
}

/** Recording and alerting groups for a service with an `slo` (empty without one). */
export function sloRuleGroups(c: PlatformConfig, s: Service): PromRuleGroup[] {
  const slos = serviceSlos(c, s);
  if (slos.length === 0) return [];
  const recording = slos.flatMap(sloRecordingRules);
  const alerts = slos.flatMap((slo) => burnRateAlerts(s, slo));

  const latency = latencySlo(s.slo);
  if (latency) {
    const src = sliSource(c, s);
    const { bucketPresent, requestsFlowing } = src.latency(latency.thresholdMs);
    // Without a bucket at the threshold the latency SLI is absent and its alerts can never fire: say so.
    alerts.push({
      alert: BUCKET_MISSING_ALERT,
      expr: `${requestsFlowing}\nunless on()\n${bucketPresent}`,
      for: '15m',
      labels: { severity: 'ticket', ...sloIds(s, 'latency'), slo: 'latency' },
      annotations: {
        summary: `${s.tenant}/${s.name} has no request-duration bucket at ${latency.thresholdMs} ms: its latency SLO cannot be measured`,
        description: `The latency SLO counts requests slower than ${latency.thresholdMs} ms from the histogram bucket with that upper bound (le); the service's histogram has none. Export a bucket at ${latency.thresholdMs} ms or set slo.latency.thresholdMs to one of its bounds.`,
      },
    });
    if (latency.p95AlertMs !== undefined) {
      const ids = { tenant: s.tenant, service: s.name };
      recording.push({ record: LATENCY_RECORD, expr: src.p95Ms, labels: { ...ids } });
      alerts.push({
        alert: LATENCY_ALERT,
        expr: `${LATENCY_RECORD}${selector(Object.entries(ids))} > ${latency.p95AlertMs}`,
        for: '15m',
        labels: { severity: 'ticket', ...ids, slo: 'latency' },
        annotations: { summary: `${s.tenant}/${s.name} p95 latency is above ${latency.p95AlertMs} ms` },
      });
    }
  }

  return [
    { name: `slo.${s.tenant}.${s.name}.recording`, rules: recording },
    { name: `slo.${s.tenant}.${s.name}.alerts`, rules: alerts },
  ];
}
