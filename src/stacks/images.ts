/**
 * Every image the control-plane installs run, pinned by tag in one table: a bump is a reviewed change
 * of this table and of the synth snapshots. The module versions the manifests are rendered from live in
 * src/toolchain/versions.ts (a unit test keeps the two in step: operator, Velero, Prometheus).
 */
export const INSTALL_IMAGES = {
  /** Istio's hub and tag (pilot and proxyv2 images), handed to its charts. */
  istioHub: 'docker.io/istio',
  istioTag: '1.31.1',
  prometheusOperator: 'quay.io/prometheus-operator/prometheus-operator:v0.85.0',
  prometheus: 'quay.io/prometheus/prometheus:v3.15.0',
  alertmanager: 'quay.io/prometheus/alertmanager:v0.28.1',
  grafana: 'docker.io/grafana/grafana:12.1.1',
  /** Loads dashboards from ConfigMaps labelled grafana_dashboard=1 (what kube-prometheus-stack runs). */
  grafanaSidecar: 'quay.io/kiwigrid/k8s-sidecar:1.30.9',
  loki: 'docker.io/grafana/loki:3.5.3',
  tempo: 'docker.io/grafana/tempo:2.8.2',
  velero: 'docker.io/velero/velero:v1.18.3',
  veleroPlugins: {
    aws: 'docker.io/velero/velero-plugin-for-aws:v1.13.0',
    gcp: 'docker.io/velero/velero-plugin-for-gcp:v1.13.0',
    azure: 'docker.io/velero/velero-plugin-for-microsoft-azure:v1.13.0',
  },
} as const;
