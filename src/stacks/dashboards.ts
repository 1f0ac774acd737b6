/**
 * Grafana dashboards as plain dashboard JSON (schemaVersion 39), one per tenant, loaded by Grafana's
 * dashboard sidecar from ConfigMaps labelled `grafana_dashboard: "1"`. Built from literals in a fixed
 * key order and stringified once, so the same config always yields the same bytes; panel ids and grid
 * positions come from the service order in platform.yaml.
 */
import { createHash } from 'node:crypto';
import type { PlatformConfig, Service, Tenant } from '../config/schema.js';
import { meshEnabled } from './mesh.js';
import { errorRatioRecord, LATENCY_RECORD } from './slo.js';

interface Panel {
  id: number;
  type: 'timeseries' | 'stat';
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource: { type: 'prometheus'; uid: string };
  targets: Array<{ refId: string; expr: string; legendFormat: string; datasource: { type: 'prometheus'; uid: string } }>;
  fieldConfig: { defaults: { unit: string }; overrides: [] };
  options: Record<string, unknown>;
}

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
  const panel = (title: string, unit: string, x: number, w: number, targets: Array<[string, string]>): Panel => ({
    id: id++,
    type: 'timeseries',
    title,
    gridPos: { h: 8, w, x, y },
    datasource: DATASOURCE,
    targets: targets.map(([expr, legendFormat], i) => ({ refId: String.fromCharCode(65 + i), expr, legendFormat, datasource: DATASOURCE })),
    fieldConfig: { defaults: { unit }, overrides: [] },
    options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'none' } },
  });

  // Namespace-wide resource use first: it exists even before any service does.
  panels.push(panel('CPU (cores)', 'short', 0, 12, [[`sum by (pod) (rate(container_cpu_usage_seconds_total{namespace="${t.name}",container!=""}[5m]))`, '{{pod}}']]));
  panels.push(panel('Memory (working set)', 'bytes', 12, 12, [[`sum by (pod) (container_memory_working_set_bytes{namespace="${t.name}",container!=""})`, '{{pod}}']]));
  y += 8;

  for (const s of services) {
    const q = requestQueries(c, s);
    const errorTargets: Array<[string, string]> = [[q.errors, '5xx ratio']];
    if (s.slo) errorTargets.push([`${errorRatioRecord('1h')}{tenant="${s.tenant}",service="${s.name}"}`, '1h SLI (recorded)']);
    const latencyTargets: Array<[string, string]> = [[q.p95, 'p95']];
    if (s.slo?.latencyP95Ms !== undefined) latencyTargets.push([`${LATENCY_RECORD}{tenant="${s.tenant}",service="${s.name}"}`, 'p95 (recorded)']);
    panels.push(panel(`${s.name}: requests/s`, 'reqps', 0, 8, [[q.rate, 'requests/s']]));
    panels.push(panel(`${s.name}: error ratio`, 'percentunit', 8, 8, errorTargets));
    panels.push(panel(`${s.name}: p95 latency`, 'ms', 16, 8, latencyTargets));
    y += 8;
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
