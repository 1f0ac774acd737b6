/**
 * The monitoring control plane of observability/<region>, kube-prometheus-stack's shape:
 * - the Prometheus operator (rendered from its own bundle.yaml, an install spec);
 * - a `Prometheus` and an `Alertmanager` CR that select every PrometheusRule, ServiceMonitor and
 *   PodMonitor (ours live in `monitoring` and the app stacks'), `retention` honoured;
 * - Grafana with the dashboard sidecar that loads our `grafana_dashboard=1` ConfigMaps and one
 *   datasource per enabled backend;
 * - Loki and Tempo in single-binary mode when enabled.
 * Every pod is hardened (src/stacks/hardening.ts). Images come from src/stacks/images.ts.
 */
import { Alertmanager } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Alertmanager';
import { Prometheus } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Prometheus';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import type { PlatformConfig, Region } from '../config/schema.js';
import { restrictedContainerSecurity, type Resources } from './hardening.js';
import { INSTALL_IMAGES } from './images.js';
import { API_ACCESS_ANNOTATION, desired, MONITORING_NAMESPACE, NAME_LABEL } from './names.js';
import type { InstallSpec } from './types.js';
import type { DesiredObject } from '../objects/model.js';

export const PROMETHEUS_NAME = 'platform';
export const ALERTMANAGER_NAME = 'platform';
export const PROMETHEUS_SERVICE_ACCOUNT = 'prometheus';
export const GRAFANA_NAME = 'grafana';
export const LOKI_NAME = 'loki';
export const TEMPO_NAME = 'tempo';
/** The Services the operator creates for its StatefulSets (`<kind>-operated`). */
export const PROMETHEUS_URL = `http://prometheus-operated.${MONITORING_NAMESPACE}.svc:9090`;
export const LOKI_URL = `http://${LOKI_NAME}.${MONITORING_NAMESPACE}.svc:3100`;
export const TEMPO_URL = `http://${TEMPO_NAME}.${MONITORING_NAMESPACE}.svc:3200`;

const UID = 65534;
const res = (cpu: string, memory: string, storage: string): Resources => ({
  requests: { cpu, memory, 'ephemeral-storage': storage },
  limits: { cpu, memory, 'ephemeral-storage': storage },
});
const OPERATOR_RESOURCES = res('100m', '128Mi', '64Mi');

/** The operator, rendered from its bundle.yaml (src/toolchain/installs.ts). */
export function monitoringInstalls(c: PlatformConfig): InstallSpec[] {
  if (!c.observability?.prometheus?.enabled) return [];
  return [
    {
      kind: 'prometheus-operator-bundle',
      namespace: MONITORING_NAMESPACE,
      image: INSTALL_IMAGES.prometheusOperator,
      hardening: { apiAccess: true, resources: OPERATOR_RESOURCES },
    },
  ];
}

export function monitoringObjects(c: PlatformConfig, r: Region): DesiredObject[] {
  const o = c.observability;
  const out: DesiredObject[] = [];
  if (o?.prometheus?.enabled) out.push(...prometheusObjects(o.prometheus.retention));
  if (o?.grafana?.enabled) out.push(...grafanaObjects(c));
  if (o?.loki?.enabled)
    out.push(...singleBinary(r, LOKI_NAME, INSTALL_IMAGES.loki, 3100, '/ready', lokiConfig(o.loki.retention), '/etc/loki/config.yaml', '/var/loki'));
  if (o?.tempo?.enabled)
    out.push(...singleBinary(r, TEMPO_NAME, INSTALL_IMAGES.tempo, 3200, '/ready', tempoConfig(), '/etc/tempo/config.yaml', '/var/tempo', [4317, 4318]));
  return out;
}

/** The operator's own pods: the same hardened container fields the operator copies from the CR. */
const crSecurity = { runAsNonRoot: true, runAsUser: UID, runAsGroup: UID, fsGroup: UID, seccompProfile: { type: 'RuntimeDefault' as const } };

function prometheusObjects(retention: string): DesiredObject[] {
  const labels = { [NAME_LABEL]: 'prometheus' };
  const everything = {};
  return [
    desired(new ServiceAccount({ metadata: { name: PROMETHEUS_SERVICE_ACCOUNT, namespace: MONITORING_NAMESPACE, labels } })),
    // What Prometheus needs to discover and scrape targets in every namespace (kube-prometheus' role).
    desired(
      new ClusterRole({
        metadata: { name: 'platform-prometheus', labels },
        rules: [
          { apiGroups: [''], resources: ['nodes', 'nodes/metrics', 'services', 'endpoints', 'pods'], verbs: ['get', 'list', 'watch'] },
          { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
          { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'watch'] },
          { nonResourceURLs: ['/metrics'], verbs: ['get'] },
        ],
      }),
    ),
    desired(
      new ClusterRoleBinding({
        metadata: { name: 'platform-prometheus', labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'platform-prometheus' },
        subjects: [{ kind: 'ServiceAccount', name: PROMETHEUS_SERVICE_ACCOUNT, namespace: MONITORING_NAMESPACE }],
      }),
    ),
    desired(
      new Prometheus({
        metadata: { name: PROMETHEUS_NAME, namespace: MONITORING_NAMESPACE, labels },
        spec: {
          image: INSTALL_IMAGES.prometheus,
          replicas: 1,
          retention,
          serviceAccountName: PROMETHEUS_SERVICE_ACCOUNT,
          // Every rule and monitor in every namespace: ours (monitoring) and the app stacks'.
          ruleSelector: everything,
          ruleNamespaceSelector: everything,
          serviceMonitorSelector: everything,
          serviceMonitorNamespaceSelector: everything,
          podMonitorSelector: everything,
          podMonitorNamespaceSelector: everything,
          alerting: { alertmanagers: [{ namespace: MONITORING_NAMESPACE, name: 'alertmanager-operated', port: 'web' }] },
          resources: res('500m', '2Gi', '1Gi'),
          securityContext: crSecurity,
          podMetadata: { annotations: { [API_ACCESS_ANNOTATION]: 'true' } },
        },
      }),
    ),
    desired(
      new Alertmanager({
        metadata: { name: ALERTMANAGER_NAME, namespace: MONITORING_NAMESPACE, labels: { [NAME_LABEL]: 'alertmanager' } },
        spec: {
          image: INSTALL_IMAGES.alertmanager,
          replicas: 1,
          resources: res('100m', '128Mi', '256Mi'),
          securityContext: crSecurity,
          automountServiceAccountToken: false,
        },
      }),
    ),
  ];
}

function grafanaObjects(c: PlatformConfig): DesiredObject[] {
  const labels = { [NAME_LABEL]: GRAFANA_NAME };
  const o = c.observability;
  const datasources = [
    ...(o?.prometheus?.enabled ? [{ name: 'Prometheus', type: 'prometheus', uid: 'prometheus', url: PROMETHEUS_URL, access: 'proxy', isDefault: true }] : []),
    ...(o?.loki?.enabled ? [{ name: 'Loki', type: 'loki', uid: 'loki', url: LOKI_URL, access: 'proxy' }] : []),
    ...(o?.tempo?.enabled ? [{ name: 'Tempo', type: 'tempo', uid: 'tempo', url: TEMPO_URL, access: 'proxy' }] : []),
  ];
  const provider = {
    apiVersion: 1,
    providers: [{ name: 'platform', folder: 'platform', type: 'file', disableDeletion: false, options: { path: '/var/lib/grafana/dashboards' } }],
  };
  const grafana: IContainer = {
    name: GRAFANA_NAME,
    image: INSTALL_IMAGES.grafana,
    ports: [{ name: 'http', containerPort: 3000, protocol: 'TCP' }],
    env: [
      { name: 'GF_PATHS_DATA', value: '/var/lib/grafana' },
      { name: 'GF_PATHS_PROVISIONING', value: '/etc/grafana/provisioning' },
      { name: 'GF_ANALYTICS_REPORTING_ENABLED', value: 'false' },
      { name: 'GF_ANALYTICS_CHECK_FOR_UPDATES', value: 'false' },
    ],
    readinessProbe: { httpGet: { path: '/api/health', port: 3000 }, periodSeconds: 10, failureThreshold: 3 },
    livenessProbe: { httpGet: { path: '/api/health', port: 3000 }, initialDelaySeconds: 60, periodSeconds: 20, failureThreshold: 6 },
    resources: res('100m', '256Mi', '256Mi'),
    securityContext: restrictedContainerSecurity(472),
    volumeMounts: [
      { name: 'data', mountPath: '/var/lib/grafana' },
      { name: 'dashboards', mountPath: '/var/lib/grafana/dashboards' },
      { name: 'datasources', mountPath: '/etc/grafana/provisioning/datasources' },
      { name: 'providers', mountPath: '/etc/grafana/provisioning/dashboards' },
      { name: 'tmp', mountPath: '/tmp' },
    ],
  };
  // The sidecar kube-prometheus-stack runs: copies labelled ConfigMaps' files into the dashboards folder.
  const sidecar: IContainer = {
    name: 'dashboards-sidecar',
    image: INSTALL_IMAGES.grafanaSidecar,
    env: [
      { name: 'METHOD', value: 'WATCH' },
      { name: 'LABEL', value: 'grafana_dashboard' },
      { name: 'LABEL_VALUE', value: '1' },
      { name: 'FOLDER', value: '/var/lib/grafana/dashboards' },
      { name: 'NAMESPACE', value: MONITORING_NAMESPACE },
      { name: 'RESOURCE', value: 'configmap' },
      { name: 'HEALTH_PORT', value: '8080' },
    ],
    ports: [{ name: 'health', containerPort: 8080, protocol: 'TCP' }],
    readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10, failureThreshold: 3 },
    livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, initialDelaySeconds: 30, periodSeconds: 20, failureThreshold: 6 },
    resources: res('50m', '64Mi', '64Mi'),
    securityContext: restrictedContainerSecurity(UID),
    volumeMounts: [{ name: 'dashboards', mountPath: '/var/lib/grafana/dashboards' }],
  };
  const podSpec: IPodSpec = {
    serviceAccountName: GRAFANA_NAME,
    securityContext: { runAsNonRoot: true, fsGroup: 472, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [grafana, sidecar],
    volumes: [
      { name: 'data', emptyDir: { sizeLimit: '256Mi' } },
      { name: 'dashboards', emptyDir: { sizeLimit: '64Mi' } },
      { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
      { name: 'datasources', configMap: { name: `${GRAFANA_NAME}-datasources` } },
      { name: 'providers', configMap: { name: `${GRAFANA_NAME}-dashboard-providers` } },
    ],
  };
  return [
    desired(new ServiceAccount({ metadata: { name: GRAFANA_NAME, namespace: MONITORING_NAMESPACE, labels } })),
    // The sidecar watches ConfigMaps in `monitoring` only: a namespaced Role, not a ClusterRole.
    desired(
      new Role({
        metadata: { name: `${GRAFANA_NAME}-dashboards`, namespace: MONITORING_NAMESPACE, labels },
        rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }],
      }),
    ),
    desired(
      new RoleBinding({
        metadata: { name: `${GRAFANA_NAME}-dashboards`, namespace: MONITORING_NAMESPACE, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${GRAFANA_NAME}-dashboards` },
        subjects: [{ kind: 'ServiceAccount', name: GRAFANA_NAME, namespace: MONITORING_NAMESPACE }],
      }),
    ),
    desired(
      new ConfigMap({
        metadata: { name: `${GRAFANA_NAME}-datasources`, namespace: MONITORING_NAMESPACE, labels },
        data: { 'datasources.yaml': JSON.stringify({ apiVersion: 1, datasources }, null, 2) },
      }),
    ),
    desired(
      new ConfigMap({
        metadata: { name: `${GRAFANA_NAME}-dashboard-providers`, namespace: MONITORING_NAMESPACE, labels },
        data: { 'providers.yaml': JSON.stringify(provider, null, 2) },
      }),
    ),
    desired(
      new Deployment({
        metadata: { name: GRAFANA_NAME, namespace: MONITORING_NAMESPACE, labels },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: { metadata: { labels, annotations: { [API_ACCESS_ANNOTATION]: 'true' } }, spec: podSpec },
        },
      }),
    ),
    desired(
      new Service({
        metadata: { name: GRAFANA_NAME, namespace: MONITORING_NAMESPACE, labels },
        spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
      }),
    ),
  ];
}

/**
 * Loki or Tempo in single-binary mode: a one-replica StatefulSet with its config in a ConfigMap. Cloud
 * regions keep data on a volume claim; the local plane has no volume provisioner, so an emptyDir.
 */
function singleBinary(
  r: Region,
  name: string,
  image: string,
  port: number,
  readyPath: string,
  config: string,
  configPath: string,
  dataPath: string,
  extraPorts: number[] = [],
): DesiredObject[] {
  const labels = { [NAME_LABEL]: name };
  const configDir = configPath.slice(0, configPath.lastIndexOf('/'));
  const persistent = r.cloud !== 'local';
  const container: IContainer = {
    name,
    image,
    args: [`-config.file=${configPath}`],
    ports: [
      { name: 'http', containerPort: port, protocol: 'TCP' },
      ...extraPorts.map((p) => ({ name: p === 4317 ? 'otlp-grpc' : 'otlp-http', containerPort: p, protocol: 'TCP' as const })),
    ],
    readinessProbe: { httpGet: { path: readyPath, port }, initialDelaySeconds: 15, periodSeconds: 10, failureThreshold: 3 },
    livenessProbe: { tcpSocket: { port }, initialDelaySeconds: 30, periodSeconds: 20, failureThreshold: 6 },
    resources: res('250m', '512Mi', '512Mi'),
    securityContext: restrictedContainerSecurity(10001),
    volumeMounts: [
      { name: 'config', mountPath: configDir },
      { name: 'data', mountPath: dataPath },
      { name: 'tmp', mountPath: '/tmp' },
    ],
  };
  const podSpec: IPodSpec = {
    serviceAccountName: name,
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [container],
    volumes: [
      { name: 'config', configMap: { name } },
      { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
      ...(persistent ? [] : [{ name: 'data', emptyDir: { sizeLimit: '1Gi' } }]),
    ],
  };
  return [
    desired(new ServiceAccount({ metadata: { name, namespace: MONITORING_NAMESPACE, labels }, automountServiceAccountToken: false })),
    desired(new ConfigMap({ metadata: { name, namespace: MONITORING_NAMESPACE, labels }, data: { [configPath.slice(configDir.length + 1)]: config } })),
    desired(
      new StatefulSet({
        metadata: { name, namespace: MONITORING_NAMESPACE, labels },
        spec: {
          replicas: 1,
          serviceName: name,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: podSpec },
          ...(persistent
            ? { volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } } }] }
            : {}),
        },
      }),
    ),
    desired(
      new Service({
        metadata: { name, namespace: MONITORING_NAMESPACE, labels },
        spec: { selector: labels, ports: container.ports!.map((p) => ({ name: p.name, port: p.containerPort, targetPort: p.name, protocol: 'TCP' as const })) },
      }),
    ),
  ];
}

/** Loki 3 single binary on its filesystem, retention enforced by the compactor. */
function lokiConfig(retention: string): string {
  return [
    'auth_enabled: false',
    'server:',
    '  http_listen_port: 3100',
    'common:',
    '  path_prefix: /var/loki',
    '  replication_factor: 1',
    '  ring:',
    '    kvstore:',
    '      store: inmemory',
    '  storage:',
    '    filesystem:',
    '      chunks_directory: /var/loki/chunks',
    '      rules_directory: /var/loki/rules',
    'schema_config:',
    '  configs:',
    '    - from: "2024-01-01"',
    '      store: tsdb',
    '      object_store: filesystem',
    '      schema: v13',
    '      index:',
    '        prefix: index_',
    '        period: 24h',
    'compactor:',
    '  working_directory: /var/loki/compactor',
    '  retention_enabled: true',
    '  delete_request_store: filesystem',
    'limits_config:',
    `  retention_period: ${retention}`,
    'analytics:',
    '  reporting_enabled: false',
    '',
  ].join('\n');
}

/** Tempo 2 single binary: OTLP in, local blocks. */
function tempoConfig(): string {
  return [
    'server:',
    '  http_listen_port: 3200',
    'distributor:',
    '  receivers:',
    '    otlp:',
    '      protocols:',
    '        grpc:',
    '          endpoint: 0.0.0.0:4317',
    '        http:',
    '          endpoint: 0.0.0.0:4318',
    'storage:',
    '  trace:',
    '    backend: local',
    '    local:',
    '      path: /var/tempo/blocks',
    '    wal:',
    '      path: /var/tempo/wal',
    'usage_report:',
    '  reporting_enabled: false',
    '',
  ].join('\n');
}
