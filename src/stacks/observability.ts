/**
 * observability/<region> (when any observability component is enabled): the monitoring control plane
 * (monitoring.ts: operator, Prometheus, Alertmanager, Grafana, Loki, Tempo), the `monitoring` namespace,
 * one PrometheusRule per service with an `slo` (see slo.ts), and one Grafana dashboard ConfigMap per
 * tenant. Everything lives in `monitoring`: tenant namespaces come later in the DAG.
 */
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import type { PlatformConfig, Region, Service } from '../config/schema.js';
import { tenantDashboard } from './dashboards.js';
import { meshEnabled } from './mesh.js';
import { desired, fromEntry, MONITORING_NAMESPACE, TENANT_LABEL } from './names.js';
import { monitoringInstalls, monitoringObjects } from './monitoring.js';
import { sloRuleGroups } from './slo.js';
import type { InstallSpec } from './types.js';
import type { DesiredObject } from '../objects/model.js';
import { sortForApply } from '../objects/order.js';

export const observabilityEnabled = (c: PlatformConfig): boolean =>
  Boolean(c.observability?.prometheus?.enabled || c.observability?.grafana?.enabled || c.observability?.loki?.enabled || c.observability?.tempo?.enabled);

export const sloRuleName = (s: Service): string => `slo-${s.tenant}-${s.name}`;
export const dashboardConfigMapName = (tenant: string): string => `dashboard-${tenant}`;
export const ENVOY_STATS_MONITOR = 'istio-envoy-stats';

/** Services deployed to a region (service.regions defaults to every region). */
export const servicesIn = (c: PlatformConfig, r: Region): Service[] => c.services.filter((s) => !s.regions || s.regions.includes(r.name));

export function buildObservability(c: PlatformConfig, r: Region): { objects: DesiredObject[]; installs: InstallSpec[] } {
  if (!observabilityEnabled(c)) return { objects: [], installs: [] };
  const services = servicesIn(c, r);
  const objects: DesiredObject[] = [desired(new Namespace({ metadata: { name: MONITORING_NAMESPACE } })), ...monitoringObjects(c, r)];

  // Without Prometheus nobody would evaluate the rules: emit them only when it is enabled.
  if (c.observability?.prometheus?.enabled) {
    // The Istio SLI (istio_requests_total) comes from the sidecars' Envoy stats: this is Istio's own
    // PodMonitor for the prometheus operator (samples/addons/extras), scraping every meshed pod.
    if (meshEnabled(c)) objects.push(desired(envoyStatsMonitor()));
    for (const s of services) {
      const groups = sloRuleGroups(c, s);
      if (groups.length === 0) continue;
      const rule = new PrometheusRule({
        metadata: { name: sloRuleName(s), namespace: MONITORING_NAMESPACE, labels: { [TENANT_LABEL]: s.tenant, 'app.kubernetes.io/name': s.name } },
        spec: { groups },
      });
      objects.push(fromEntry(['services', c.services.indexOf(s), 'slo'], desired(rule)));
    }
  }

  if (c.observability?.grafana?.enabled) {
    for (const t of c.tenants) {
      const dashboard = tenantDashboard(
        c,
        t,
        services.filter((s) => s.tenant === t.name),
      );
      const configMap = new ConfigMap({
        metadata: { name: dashboardConfigMapName(t.name), namespace: MONITORING_NAMESPACE, labels: { grafana_dashboard: '1', [TENANT_LABEL]: t.name } },
        data: { [`${t.name}.json`]: JSON.stringify(dashboard, null, 2) },
      });
      objects.push(fromEntry(['observability', 'grafana'], desired(configMap)));
    }
  }
  return { objects: sortForApply(objects), installs: monitoringInstalls(c) };
}

function envoyStatsMonitor(): PodMonitor {
  return new PodMonitor({
    metadata: { name: ENVOY_STATS_MONITOR, namespace: MONITORING_NAMESPACE },
    spec: {
      selector: { matchExpressions: [{ key: 'istio-prometheus-ignore', operator: 'DoesNotExist' }] },
      namespaceSelector: { any: true },
      jobLabel: 'envoy-stats',
      podMetricsEndpoints: [
        {
          path: '/stats/prometheus',
          interval: '15s',
          relabelings: [
            // Only the sidecar container of meshed pods that ask to be scraped (the injector annotates them).
            { action: 'keep', sourceLabels: ['__meta_kubernetes_pod_container_name'], regex: 'istio-proxy' },
            { action: 'keep', sourceLabels: ['__meta_kubernetes_pod_annotationpresent_prometheus_io_scrape'] },
            // Scrape the port Istio's injector announces (15020: Envoy stats merged with the app's own).
            {
              action: 'replace',
              sourceLabels: ['__meta_kubernetes_pod_annotation_prometheus_io_port', '__meta_kubernetes_pod_ip'],
              regex: '(\\d+);(([A-Fa-f0-9]{1,4}::?){1,7}[A-Fa-f0-9]{1,4})',
              replacement: '[$2]:$1',
              targetLabel: '__address__',
            },
            {
              action: 'replace',
              sourceLabels: ['__meta_kubernetes_pod_annotation_prometheus_io_port', '__meta_kubernetes_pod_ip'],
              regex: '(\\d+);((([0-9]+?)(\\.|$)){4})',
              replacement: '$2:$1',
              targetLabel: '__address__',
            },
            { action: 'labeldrop', regex: '__meta_kubernetes_pod_label_(.+)' },
            { sourceLabels: ['__meta_kubernetes_namespace'], action: 'replace', targetLabel: 'namespace' },
            { sourceLabels: ['__meta_kubernetes_pod_name'], action: 'replace', targetLabel: 'pod' },
          ],
        },
      ],
    },
  });
}
