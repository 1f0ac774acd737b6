/**
 * Grafana dashboards as plain dashboard JSON (schemaVersion 39), one per tenant, loaded by Grafana's
 * dashboard sidecar from ConfigMaps labelled `grafana_dashboard: "1"`. Built from literals in a fixed
 * key order and stringified once, so the same config always yields the same bytes; panel ids and grid
 * positions come from the service order in platform.yaml.
 */
import { createHash } from 'node:crypto';
import { latencySlo, type PlatformConfig, type Service, type Tenant } from '../config/schema.js';
import { meshEnabled } from './mesh.js';
import {
  BUDGET_REMAINING_RECORD,
  CURRENT_BURN_RATE_RECORD,
  errorBudget,
  errorRatioRecord,
  LATENCY_RECORD,
  PERIOD_BURN_RATE_RECORD,
  serviceSlos,
  sloIds,
  sloSelector,
  type Slo,
} from './slo.js';

interface Thresholds {
  mode: 'absolute';
  steps: Array<{ color: string; value: number | null }>;
}
interface Panel {
  id: number;
  type: 'timeseries' | 'stat';
  title: string;
  description?: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource: { type: 'prometheus'; uid: string };
  targets: Array<{ refId: string; expr: string; legendFormat: string; datasource: { type: 'prometheus'; uid: string } }>;
  fieldConfig: { defaults: { unit: string; thresholds?: Thresholds; custom?: Record<string, unknown> }; overrides: [] };
  options: Record<string, unknown>;
}

interface PanelSpec {
  type?: Panel['type'];
  title: string;
  description?: string;
  unit: string;
  x: number;
  w: number;
  h?: number;
  targets: Array<[expr: string, legend: string]>;
  thresholds?: Thresholds;
}
/** Builds a panel at the current row, numbering panels in order. */
type PanelFactory = (spec: PanelSpec) => Panel;

/** Grafana's absolute thresholds: each colour from its value up, the first from below any value. */
const absoluteThresholds = (...steps: Array<[color: string, from: number | null]>): Thresholds => ({
  mode: 'absolute',
  steps: steps.map(([color, value]) => ({ color, value })),
});
/** Budget left: below 0 the SLO is missed, under a quarter it is time to slow down. */
const BUDGET_THRESHOLDS = absoluteThresholds(['red', null], ['orange', 0], ['green', 0.25]);
/** Burn rates: 1 spends the budget in exactly 30 days; 6 and 14.4 are the page thresholds (6h, 1h). */
const BURN_RATE_THRESHOLDS = absoluteThresholds(['green', null], ['yellow', 1], ['orange', 6], ['red', 14.4]);

const DATASOURCE = { type: 'prometheus' as const, uid: '${datasource}' };

/** Grafana uids are at most 40 characters: long names get a hash suffix, still deterministic. */
export function dashboardUid(project: string, tenant: string): string {
  const uid = `${project}-${tenant}`;
  if (uid.length <= 40) return uid;
  return `${uid.slice(0, 31)}-${createHash('sha256').update(uid).digest('hex').slice(0, 8)}`;
}

function requestQueries(c: PlatformConfig, s: Service): { rate: string; errors: string; p95: string } {
  if (meshEnabled(c)) {
    const sel = `reporter="destination",destination_service_namespace="${s.tenant}",destination_service_name="${s.name}"`;
    return {
      rate: `sum(rate(istio_requests_total{${sel}}[5m]))`,
      errors: `sum(rate(istio_requests_total{${sel},response_code=~"5.."}[5m])) / sum(rate(istio_requests_total{${sel}}[5m]))`,
      p95: `histogram_quantile(0.95, sum by (le) (rate(istio_request_duration_milliseconds_bucket{${sel}}[5m])))`,
    };
  }
  const sel = `namespace="${s.tenant}",job="${s.name}"`;
  return {
    rate: `sum(rate(http_requests_total{${sel}}[5m]))`,
    errors: `sum(rate(http_requests_total{${sel},code=~"5.."}[5m])) / sum(rate(http_requests_total{${sel}}[5m]))`,
    p95: `1000 * histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${sel}}[5m])))`,
  };
}

/** The dashboard object for a tenant's services in one region. */
export function tenantDashboard(c: PlatformConfig, t: Tenant, services: Service[]): Record<string, unknown> {
  const panels: Panel[] = [];
  let id = 1;
  let y = 0;
  const panel: PanelFactory = ({ type = 'timeseries', title, description, unit, x, w, h = 8, targets, thresholds }) => ({
    id: id++,
    type,
    title,
    ...(description ? { description } : {}),
    gridPos: { h, w, x, y },
    datasource: DATASOURCE,
    targets: targets.map(([expr, legendFormat], i) => ({ refId: String.fromCharCode(65 + i), expr, legendFormat, datasource: DATASOURCE })),
    fieldConfig: {
      defaults: {
        unit,
        ...(thresholds ? { thresholds } : {}),
        // Time series draw the thresholds as dashed lines; stats colour their background by them.
        ...(thresholds && type === 'timeseries' ? { custom: { thresholdsStyle: { mode: 'dashed' } } } : {}),
      },
      overrides: [],
    },
    options:
      type === 'stat'
        ? { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'background', graphMode: 'none', textMode: 'value' }
        : { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'none' } },
  });

  // Namespace-wide resource use first: it exists even before any service does.
  panels.push(
    panel({
      title: 'CPU (cores)',
      unit: 'short',
      x: 0,
      w: 12,
      targets: [[`sum by (pod) (rate(container_cpu_usage_seconds_total{namespace="${t.name}",container!=""}[5m]))`, '{{pod}}']],
    }),
  );
  panels.push(
    panel({
      title: 'Memory (working set)',
      unit: 'bytes',
      x: 12,
      w: 12,
      targets: [[`sum by (pod) (container_memory_working_set_bytes{namespace="${t.name}",container!=""})`, '{{pod}}']],
    }),
  );
  y += 8;

  for (const s of services) {
    const q = requestQueries(c, s);
    const errorTargets: Array<[string, string]> = [[q.errors, '5xx ratio']];
    if (s.slo) errorTargets.push([`${errorRatioRecord('1h')}${sloSelector(sloIds(s, 'availability'))}`, '1h SLI (recorded)']);
    const latencyTargets: Array<[string, string]> = [[q.p95, 'p95']];
    if (latencySlo(s.slo)?.p95AlertMs !== undefined) latencyTargets.push([`${LATENCY_RECORD}{tenant="${s.tenant}",service="${s.name}"}`, 'p95 (recorded)']);
    panels.push(panel({ title: `${s.name}: requests/s`, unit: 'reqps', x: 0, w: 8, targets: [[q.rate, 'requests/s']] }));
    panels.push(panel({ title: `${s.name}: error ratio`, unit: 'percentunit', x: 8, w: 8, targets: errorTargets }));
    panels.push(panel({ title: `${s.name}: p95 latency`, unit: 'ms', x: 16, w: 8, targets: latencyTargets }));
    y += 8;

    for (const slo of serviceSlos(c, s)) {
      panels.push(...budgetPanels(s, slo, panel));
      y += 6;
    }
  }

  return {
    uid: dashboardUid(c.name, t.name),
    title: `${c.name} / ${t.name}`,
    tags: ['platform', c.name, t.name],
    timezone: 'browser',
    editable: false,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: '1m',
    time: { from: 'now-6h', to: 'now' },
    templating: {
      list: [{ name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', current: {}, hide: 0, refresh: 1, options: [] }],
    },
    annotations: { list: [] },
    panels,
  };
}

/** Budget left now, its course over time, and the burn rates the alerts read, for one SLO (one row). */
function budgetPanels(s: Service, slo: Slo, panel: PanelFactory): Panel[] {
  const filter = sloSelector(slo.ids);
  const budget = errorBudget(slo.objective);
  const remaining = `${BUDGET_REMAINING_RECORD}${filter}`;
  return [
    panel({
      type: 'stat',
      title: `${s.name}: ${slo.name} budget left`,
      description: `Share of the 30-day error budget of "${slo.title}" still unspent: 100% = no bad events in 30 days, 0% = the objective exactly met, below 0 = missed.`,
      unit: 'percentunit',
      x: 0,
      w: 4,
      h: 6,
      targets: [[remaining, 'budget left (30d)']],
      thresholds: BUDGET_THRESHOLDS,
    }),
    panel({
      title: `${s.name}: ${slo.name} error budget remaining (${slo.title})`,
      description: 'The 30-day budget left over time: a steady slope down is a steady burn; it climbs back as bad events leave the 30-day window.',
      unit: 'percentunit',
      x: 4,
      w: 10,
      h: 6,
      targets: [[remaining, 'remaining (30d)']],
      thresholds: BUDGET_THRESHOLDS,
    }),
    panel({
      title: `${s.name}: ${slo.name} burn rate`,
      description: `How fast the budget is spent, in multiples of the sustainable rate (1 = the budget lasts exactly 30 days). The page fires at 14.4 over 1h (and 5m) or 6 over 6h (and 30m); the ticket at 3 over 1d or 1 over 3d.`,
      unit: 'suffix:x',
      x: 14,
      w: 10,
      h: 6,
      targets: [
        [`${CURRENT_BURN_RATE_RECORD}${filter}`, 'now (5m)'],
        [`${errorRatioRecord('1h')}${filter} / ${budget}`, '1h'],
        [`${errorRatioRecord('6h')}${filter} / ${budget}`, '6h'],
        [`${PERIOD_BURN_RATE_RECORD}${filter}`, '30d'],
      ],
      thresholds: BURN_RATE_THRESHOLDS,
    }),
  ];
}
