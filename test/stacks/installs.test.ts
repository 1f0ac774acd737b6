/**
 * The control planes the catalog asks for (pure: install specs and the typed monitoring objects). What
 * the specs render to is pinned in test/engines/control-plane.int.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { planStacks } from '../../src/stacks/plan.js';
import { INSTALL_IMAGES } from '../../src/stacks/images.js';
import type { StackInstance } from '../../src/stacks/types.js';
import type { KubeObject } from '../../src/objects/model.js';
import { PROMETHEUS_VERSION, VELERO_VERSION } from '../../src/toolchain/versions.js';
import { EXAMPLES, loadExample } from './helpers.js';

const byId = (stacks: StackInstance[], id: string): StackInstance => {
  const s = stacks.find((x) => x.id === id);
  if (!s) throw new Error(`no stack ${id}`);
  return s;
};
const objectsOf = (s: StackInstance, kind: string): KubeObject[] => s.objects.map((o) => o.manifest).filter((m) => m.kind === kind);

interface PodTemplate {
  metadata?: { annotations?: Record<string, string> };
  spec: {
    automountServiceAccountToken?: boolean;
    securityContext?: Record<string, unknown>;
    containers: Array<{
      name: string;
      image: string;
      securityContext?: Record<string, unknown>;
      resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
      readinessProbe?: unknown;
      livenessProbe?: unknown;
    }>;
  };
}
const template = (o: KubeObject): PodTemplate => (o.spec as { template: PodTemplate }).template;

describe('control-plane installs of the local example', () => {
  const config = loadExample(EXAMPLES[0]);
  const stacks = planStacks(config);

  it('mesh: istiod and the ingress gateway from Istio’s charts, webhooks left out on the local plane', () => {
    const mesh = byId(stacks, 'mesh/eu');
    expect(mesh.installs.map((i) => (i.kind === 'helm-chart' ? `${i.release}:${i.chart}` : i.kind))).toEqual([
      'istiod:manifests/charts/istio-control/istio-discovery',
      'istio-ingressgateway:manifests/charts/gateway',
    ]);
    for (const i of mesh.installs) {
      if (i.kind !== 'helm-chart') continue;
      expect(i.omitKinds?.kinds).toEqual(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']);
      expect((i.values.global as { tag: string }).tag).toBe(INSTALL_IMAGES.istioTag);
    }
    // We install Istio, so istio-system is ours.
    expect(objectsOf(mesh, 'Namespace').map((n) => n.metadata.name)).toEqual(['istio-system']);
  });

  it('mesh in a cloud region keeps the webhooks and runs two replicas', () => {
    const cloud = planStacks({ ...config, regions: [{ ...config.regions[0], cloud: 'aws', location: 'eu-west-1' }] });
    const istiod = byId(cloud, 'mesh/eu').installs[0];
    expect(istiod.kind === 'helm-chart' && istiod.omitKinds).toBeUndefined();
    expect(istiod.kind === 'helm-chart' && istiod.values.replicaCount).toBe(2);
  });

  it('observability: the operator from its bundle, a Prometheus with the configured retention and an Alertmanager', () => {
    const obs = byId(stacks, 'observability/eu');
    expect(obs.installs.map((i) => i.kind)).toEqual(['prometheus-operator-bundle']);
    const [prometheus] = objectsOf(obs, 'Prometheus');
    expect(prometheus.spec).toMatchObject({
      retention: '15d',
      image: INSTALL_IMAGES.prometheus,
      ruleSelector: {},
      podMonitorSelector: {},
      serviceMonitorNamespaceSelector: {},
    });
    expect(objectsOf(obs, 'Alertmanager')).toHaveLength(1);
    expect(INSTALL_IMAGES.prometheus.endsWith(`:v${PROMETHEUS_VERSION}`)).toBe(true);
  });

  it('retention follows the config', () => {
    const longer = planStacks({ ...config, observability: { ...config.observability, prometheus: { enabled: true, retention: '30d' } } });
    expect(objectsOf(byId(longer, 'observability/eu'), 'Prometheus')[0].spec).toMatchObject({ retention: '30d' });
  });

  it('Grafana loads the dashboard ConfigMaps through its sidecar and gets one datasource per backend', () => {
    const obs = byId(stacks, 'observability/eu');
    const [grafana] = objectsOf(obs, 'Deployment').filter((d) => d.metadata.name === 'grafana');
    expect(template(grafana).spec.containers.map((c) => c.name)).toEqual(['grafana', 'dashboards-sidecar']);
    const ds = objectsOf(obs, 'ConfigMap').find((c) => c.metadata.name === 'grafana-datasources')!;
    expect(JSON.parse((ds.data as Record<string, string>)['datasources.yaml']).datasources.map((d: { type: string }) => d.type)).toEqual(['prometheus']);
  });

  it('Loki and Tempo only when enabled (removing Loki from the config removes its objects)', () => {
    const withBoth = planStacks({ ...config, observability: { ...config.observability, loki: { enabled: true, retention: '3d' }, tempo: { enabled: true } } });
    const obs = byId(withBoth, 'observability/eu');
    expect(objectsOf(obs, 'StatefulSet').map((s) => s.metadata.name)).toEqual(['loki', 'tempo']);
    const loki = objectsOf(obs, 'ConfigMap').find((c) => c.metadata.name === 'loki')!;
    expect((loki.data as Record<string, string>)['config.yaml']).toContain('retention_period: 3d');
    const ds = objectsOf(obs, 'ConfigMap').find((c) => c.metadata.name === 'grafana-datasources')!;
    expect(JSON.parse((ds.data as Record<string, string>)['datasources.yaml']).datasources.map((d: { type: string }) => d.type)).toEqual([
      'prometheus',
      'loki',
      'tempo',
    ]);
    const without = byId(stacks, 'observability/eu');
    expect(without.objects.filter((o) => ['loki', 'tempo'].includes(o.manifest.metadata.name))).toEqual([]);
  });

  it('Velero server and node agent in every region of the DR estate; the primary owns location and schedule', () => {
    for (const region of ['eu', 'us']) {
      const cluster = byId(stacks, `cluster/${region}`);
      expect(cluster.installs).toHaveLength(1);
      const velero = cluster.installs[0];
      expect(velero.kind === 'velero' && velero.options).toMatchObject({
        namespace: 'velero',
        useNodeAgent: true,
        image: INSTALL_IMAGES.velero,
        plugins: [INSTALL_IMAGES.veleroPlugins.aws],
      });
      expect(objectsOf(cluster, 'Namespace').map((n) => n.metadata.name)).toEqual(['velero']);
    }
    expect(objectsOf(byId(stacks, 'cluster/eu'), 'BackupStorageLocation')).toHaveLength(1);
    expect(objectsOf(byId(stacks, 'cluster/us'), 'BackupStorageLocation')).toHaveLength(0);
    expect(INSTALL_IMAGES.velero.endsWith(`:${VELERO_VERSION}`)).toBe(true);
  });

  it('no DR, no Velero', () => {
    const noDr = planStacks({ ...config, dr: undefined });
    expect(byId(noDr, 'cluster/eu').installs).toEqual([]);
  });

  it('every monitoring pod we build is hardened', () => {
    const withBoth = planStacks({ ...config, observability: { ...config.observability, loki: { enabled: true, retention: '3d' }, tempo: { enabled: true } } });
    const workloads = byId(withBoth, 'observability/eu')
      .objects.map((o) => o.manifest)
      .filter((m) => ['Deployment', 'StatefulSet'].includes(m.kind));
    expect(workloads.length).toBe(3);
    for (const w of workloads) {
      const t = template(w);
      expect(t.spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      if (t.spec.automountServiceAccountToken !== false) expect(t.metadata?.annotations?.['platform.dev/api-access']).toBe('true');
      for (const c of t.spec.containers) {
        expect(c.securityContext).toMatchObject({
          runAsNonRoot: true,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        });
        expect(typeof c.securityContext?.runAsUser).toBe('number');
        for (const kind of ['requests', 'limits'] as const)
          expect(Object.keys(c.resources?.[kind] ?? {}).sort()).toEqual(['cpu', 'ephemeral-storage', 'memory']);
        expect(c.readinessProbe).toBeDefined();
        expect(c.livenessProbe).toBeDefined();
        expect(c.readinessProbe).not.toEqual(c.livenessProbe);
      }
    }
  });
});
