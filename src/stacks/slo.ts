/**
 * SLO rules for one service: error-ratio recording rules over the windows the burn-rate alerts need,
 * and the multi-window, multi-burn-rate alerts of the Google SRE workbook (ch. 5, "Alerting on SLOs"):
 *
 *   page   — burn 14.4× over 1h AND 5m  (2% of a 30-day budget in an hour)
 *            OR burn 6× over 6h AND 30m  (5% in six hours)
 *   ticket — burn 3× over 1d AND 2h     (10% in a day)
 *            OR burn 1× over 3d AND 6h   (10% in three days)
 *
 * The short window makes an alert stop soon after the burn stops. Thresholds are written as
 * `burn * budget` in PromQL so the rule reads like the workbook and carries no float noise.
 *
 * The SLI: with Istio, the sidecar's `istio_requests_total` as seen by the destination (every service
 * has it with no code change; 5xx = error). Without Istio, the conventional `http_requests_total` that
 * the app exports on /metrics, scraped through our ServiceMonitor (job = the Service name, namespace =
 * the tenant; `code` 5xx = error). Latency likewise from `istio_request_duration_milliseconds_bucket`
 * or `http_request_duration_seconds_bucket`.
 */
import type { PlatformConfig, Service } from '../config/schema.js';
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

export interface BurnRateAlert {
  alert: string;
  severity: 'page' | 'ticket';
  /** Each condition fires when both its long and short window burn faster than `burn`. */
  conditions: Array<{ burn: number; long: Window; short: Window }>;
}

export const BURN_RATE_ALERTS: BurnRateAlert[] = [
  {
    alert: 'SLOErrorBudgetBurnFast',
    severity: 'page',
    conditions: [
      { burn: 14.4, long: '1h', short: '5m' },
      { burn: 6, long: '6h', short: '30m' },
    ],
  },
  {
    alert: 'SLOErrorBudgetBurnSlow',
    severity: 'ticket',
    conditions: [
      { burn: 3, long: '1d', short: '2h' },
      { burn: 1, long: '3d', short: '6h' },
    ],
  },
];

export const LATENCY_ALERT = 'SLOLatencyP95High';
export const errorRatioRecord = (w: Window): string => `slo:sli_error:ratio_rate${w}`;
export const LATENCY_RECORD = 'slo:sli_latency_p95:milliseconds_rate5m';

/** The error budget as a fraction: 99.9 → 0.001 (rounded to 12 significant digits to drop float noise). */
export function errorBudget(availability: number): number {
  return Number(((100 - availability) / 100).toPrecision(12));
}

interface SliSource {
  total: (window: string) => string;
  errors: (window: string) => string;
  latencyP95Ms: string;
}

function selector(labels: Array<[string, string]>): string {
  return `{${labels.map(([k, v]) => (v.startsWith('~') ? `${k}=~"${v.slice(1)}"` : `${k}="${v}"`)).join(',')}}`;
}

function sliSource(c: PlatformConfig, s: Service): SliSource {
  if (meshEnabled(c)) {
    const base: Array<[string, string]> = [
      ['reporter', 'destination'],
      ['destination_service_namespace', s.tenant],
      ['destination_service_name', s.name],
    ];
    return {
      total: (w) => `sum(rate(istio_requests_total${selector(base)}[${w}]))`,
      errors: (w) => `sum(rate(istio_requests_total${selector([...base, ['response_code', '~5..']])}[${w}]))`,
      latencyP95Ms: `histogram_quantile(0.95, sum by (le) (rate(istio_request_duration_milliseconds_bucket${selector(base)}[5m])))`,
    };
  }
  const base: Array<[string, string]> = [
    ['namespace', s.tenant],
    ['job', s.name],
  ];
  return {
    total: (w) => `sum(rate(http_requests_total${selector(base)}[${w}]))`,
    errors: (w) => `sum(rate(http_requests_total${selector([...base, ['code', '~5..']])}[${w}]))`,
    latencyP95Ms: `1000 * histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket${selector(base)}[5m])))`,
  };
}

/** Recording and alerting groups for a service with an `slo` (empty without one). */
export function sloRuleGroups(c: PlatformConfig, s: Service): PromRuleGroup[] {
  if (!s.slo) return [];
  const src = sliSource(c, s);
  const ids = { tenant: s.tenant, service: s.name };
  const idSelector = selector([
    ['tenant', s.tenant],
    ['service', s.name],
  ]);
  const budget = errorBudget(s.slo.availability);

  const recording: PromRule[] = ERROR_RATIO_WINDOWS.map((w) => ({
    record: errorRatioRecord(w),
    // `or vector(0)`: no 5xx series yet means a ratio of 0, not "no data".
    expr: `(${src.errors(w)} or vector(0))\n/\n${src.total(w)}`,
    labels: { ...ids },
  }));
  if (s.slo.latencyP95Ms !== undefined) recording.push({ record: LATENCY_RECORD, expr: src.latencyP95Ms, labels: { ...ids } });

  const alerts: PromRule[] = BURN_RATE_ALERTS.map((a) => ({
    alert: a.alert,
    expr: a.conditions
      .map(
        ({ burn, long, short }) =>
          `(\n  ${errorRatioRecord(long)}${idSelector} > (${burn} * ${budget})\nand\n  ${errorRatioRecord(short)}${idSelector} > (${burn} * ${budget})\n)`,
      )
      .join('\nor\n'),
    labels: { severity: a.severity, ...ids, slo: 'availability' },
    annotations: {
      summary:
        a.severity === 'page'
          ? `${s.tenant}/${s.name} is burning its ${s.slo!.availability}% availability error budget fast`
          : `${s.tenant}/${s.name} is steadily burning its ${s.slo!.availability}% availability error budget`,
      description: a.conditions.map((x) => `${x.burn}x over ${x.long} and ${x.short}`).join(' or ') + ` (budget ${budget}).`,
    },
  }));
  if (s.slo.latencyP95Ms !== undefined) {
    alerts.push({
      alert: LATENCY_ALERT,
      expr: `${LATENCY_RECORD}${idSelector} > ${s.slo.latencyP95Ms}`,
      for: '15m',
      labels: { severity: 'ticket', ...ids, slo: 'latency' },
      annotations: { summary: `${s.tenant}/${s.name} p95 latency is above ${s.slo.latencyP95Ms} ms` },
    });
  }

  return [
    { name: `slo.${s.tenant}.${s.name}.recording`, rules: recording },
    { name: `slo.${s.tenant}.${s.name}.alerts`, rules: alerts },
  ];
}
