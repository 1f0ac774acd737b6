/**
 * app/<region>/<tenant>/<service>: one service in the tenant's namespace — its own ServiceAccount,
 * Deployment (plus a canary Deployment), Service, HPA, PodDisruptionBudget, ServiceMonitor, the env
 * Secret, and with Istio the canary's VirtualService weights and DestinationRule subsets. Pods meet the
 * built-in policy pack (docs/policy.md): non-root with a fixed UID/GID, read-only root filesystem, no
 * capabilities, RuntimeDefault seccomp, requests = limits for cpu, memory and ephemeral storage, a
 * size-limited /tmp, readiness and liveness probes, and no API token unless `apiAccess: true`.
 */
import { DestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule';
import { VirtualService } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import { Secret } from 'kubernetes-models/v1/Secret';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Service as KubeService } from 'kubernetes-models/v1/Service';
import type { PlatformConfig, Region, Service, Tenant } from '../config/schema.js';
import { meshEnabled } from './mesh.js';
import { API_ACCESS_ANNOTATION, DEFAULT_EPHEMERAL_STORAGE, desired, fromEntry, serviceHost, serviceSelector, sortedEntries, VERSION_LABEL } from './names.js';
import type { DesiredObject } from '../objects/model.js';
import { sortForApply } from '../objects/order.js';
import { DEFAULT_UID, restrictedContainerSecurity } from './hardening.js';

export const STABLE = 'stable';
export const CANARY = 'canary';
export const canaryName = (s: Service): string => `${s.name}-canary`;
export const envSecretName = (s: Service): string => `${s.name}-env`;
const PORT_NAME = 'http';
/** What /tmp (the only writable path) may grow to; counted in the ephemeral-storage limit. */
export const TMP_SIZE_LIMIT = '256Mi';

export function buildApp(c: PlatformConfig, _r: Region, _t: Tenant, s: Service): { objects: DesiredObject[] } {
  const ns = s.tenant;
  const objects: DesiredObject[] = [];

  if (s.secretEnv && Object.keys(s.secretEnv).length > 0) objects.push(envSecret(s));
  // Its own identity; the token is mounted only into pods of services that ask for API access.
  objects.push(desired(new ServiceAccount({ metadata: { name: s.name, namespace: ns, labels: serviceSelector(s) }, automountServiceAccountToken: false })));

  // The primary is always `version: stable`, with or without a canary: a Deployment's selector is
  // immutable, so adding a canary later must not change it.
  objects.push(desired(deployment(s, STABLE)));
  if (s.canary) objects.push(fromEntry(['services', c.services.indexOf(s), 'canary'], desired(deployment(s, CANARY))));

  objects.push(
    desired(
      new KubeService({
        metadata: { name: s.name, namespace: ns, labels: serviceSelector(s) },
        spec: {
          type: 'ClusterIP',
          selector: serviceSelector(s), // stable and canary pods: Istio (or plain round-robin) splits traffic
          ports: [{ name: PORT_NAME, port: s.port, targetPort: PORT_NAME, protocol: 'TCP', appProtocol: 'http' }],
        },
      }),
    ),
  );

  if (s.autoscale) {
    objects.push(
      desired(
        new HorizontalPodAutoscaler({
          metadata: { name: s.name, namespace: ns, labels: serviceSelector(s) },
          spec: {
            scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: s.name },
            minReplicas: s.autoscale.min,
            maxReplicas: s.autoscale.max,
            metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: s.autoscale.cpuPercent } } }],
          },
        }),
      ),
    );
  }

  // maxUnavailable 1 keeps node drains possible at any replica count (minAvailable would block them
  // for a single replica) while never taking more than one stable pod down voluntarily.
  objects.push(
    desired(
      new PodDisruptionBudget({
        metadata: { name: s.name, namespace: ns, labels: serviceSelector(s) },
        spec: { maxUnavailable: 1, selector: { matchLabels: podLabels(s, STABLE) } },
      }),
    ),
  );

  if (c.observability?.prometheus?.enabled) {
    objects.push(
      desired(
        new ServiceMonitor({
          metadata: { name: s.name, namespace: ns, labels: serviceSelector(s) },
          spec: { selector: { matchLabels: serviceSelector(s) }, endpoints: [{ port: PORT_NAME, path: '/metrics', interval: '30s' }] },
        }),
      ),
    );
  }

  if (s.canary && meshEnabled(c)) objects.push(...canaryRouting(c, s, s.canary.weight).map((o) => fromEntry(['services', c.services.indexOf(s), 'canary'], o)));

  return { objects: sortForApply(objects) };
}

function podLabels(s: Service, version: string): Record<string, string> {
  return { ...serviceSelector(s), [VERSION_LABEL]: version };
}

function deployment(s: Service, version: typeof STABLE | typeof CANARY): Deployment {
  const isCanary = version === CANARY;
  const labels = podLabels(s, version);
  const image = isCanary ? s.canary!.image : s.image;
  const resources = { cpu: s.resources.cpu, memory: s.resources.memory, 'ephemeral-storage': s.resources.ephemeralStorage ?? DEFAULT_EPHEMERAL_STORAGE };
  // With a health path: HTTP; without one, at least that the port accepts connections. Liveness is the
  // more patient of the two, so a slow pod leaves the load balancer long before it is restarted.
  const probe = s.probes ? { httpGet: { path: s.probes.path, port: s.port } } : { tcpSocket: { port: PORT_NAME } };

  const env = sortedEntries(s.env).map(([name, value]) => ({ name, value }));
  const container: IContainer = {
    name: s.name,
    image,
    ports: [{ name: PORT_NAME, containerPort: s.port, protocol: 'TCP' }],
    env: env.length > 0 ? env : undefined,
    envFrom: s.secretEnv ? [{ secretRef: { name: envSecretName(s) } }] : undefined,
    // Requests = limits: Guaranteed QoS, and quota accounting equals what the pod may use.
    resources: { requests: resources, limits: { ...resources } },
    readinessProbe: { ...probe, periodSeconds: 10, failureThreshold: 3 },
    livenessProbe: { ...probe, initialDelaySeconds: 10, periodSeconds: 20, failureThreshold: 3 },
    securityContext: restrictedContainerSecurity(DEFAULT_UID),
    // A read-only root filesystem still needs somewhere to write temporary files.
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };

  const spread = (topologyKey: string) => ({ maxSkew: 1, topologyKey, whenUnsatisfiable: 'ScheduleAnyway' as const, labelSelector: { matchLabels: labels } });
  const podSpec: IPodSpec = {
    serviceAccountName: s.name,
    automountServiceAccountToken: s.apiAccess,
    containers: [container],
    securityContext: { runAsNonRoot: true, runAsUser: DEFAULT_UID, runAsGroup: DEFAULT_UID, fsGroup: DEFAULT_UID, seccompProfile: { type: 'RuntimeDefault' } },
    topologySpreadConstraints: [spread('topology.kubernetes.io/zone'), spread('kubernetes.io/hostname')],
    volumes: [{ name: 'tmp', emptyDir: { sizeLimit: TMP_SIZE_LIMIT } }],
  };

  return new Deployment({
    metadata: { name: isCanary ? canaryName(s) : s.name, namespace: s.tenant, labels },
    spec: {
      // With an HPA the replica count is the HPA's: leaving it out keeps apply from fighting it.
      replicas: isCanary ? 1 : s.autoscale ? undefined : s.replicas,
      selector: { matchLabels: labels },
      // The annotation says the token is mounted on purpose (the service_account policy reads it).
      template: { metadata: { labels, ...(s.apiAccess ? { annotations: { [API_ACCESS_ANNOTATION]: 'true' } } : {}) }, spec: podSpec },
    },
  });
}

/** The env Secret: keys and the variables they come from, never values (the engine fills `data`). */
function envSecret(s: Service): DesiredObject {
  const secretEnv = Object.fromEntries(sortedEntries(s.secretEnv).map(([key, ref]) => [key, ref.replace(/^env:/, '')]));
  return desired(new Secret({ metadata: { name: envSecretName(s), namespace: s.tenant, labels: serviceSelector(s) }, type: 'Opaque' }), secretEnv);
}

/** Istio weights (100 − w to stable, w to canary) and the subsets they route to. */
function canaryRouting(c: PlatformConfig, s: Service, weight: number): DesiredObject[] {
  const host = serviceHost(s);
  const outlier = c.mesh?.istio?.outlierDetection;
  const route = (subset: string, w: number) => ({ destination: { host, subset, port: { number: s.port } }, weight: w });
  return [
    desired(
      new DestinationRule({
        metadata: { name: s.name, namespace: s.tenant, labels: serviceSelector(s) },
        spec: {
          host,
          trafficPolicy: outlier
            ? {
                outlierDetection: {
                  consecutive5xxErrors: outlier.consecutive5xxErrors,
                  interval: `${outlier.intervalSeconds}s`,
                  baseEjectionTime: `${outlier.baseEjectionSeconds}s`,
                },
              }
            : undefined,
          subsets: [STABLE, CANARY].map((v) => ({ name: v, labels: { [VERSION_LABEL]: v } })),
        },
      }),
    ),
    desired(
      new VirtualService({
        metadata: { name: s.name, namespace: s.tenant, labels: serviceSelector(s) },
        spec: { hosts: [host], http: [{ route: [route(STABLE, 100 - weight), route(CANARY, weight)] }] },
      }),
    ),
  ];
}
