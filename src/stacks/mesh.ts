/**
 * mesh/<region> (when mesh.istio.enabled): Istio's control plane — istiod, and the ingress gateway
 * when `mesh.istio.gateway` is set — rendered from Istio's own Helm charts (install specs, see
 * src/toolchain/installs.ts), then the mesh-wide objects — ingress Gateway, mTLS mode and one
 * AuthorizationPolicy per tenant. All of them live in istio-system (the root namespace): the DAG runs
 * cluster → mesh → observability → tenant → app, so tenant namespaces do not exist yet when this stack
 * is applied, and a root-namespace policy with a workload selector reaches them anyway.
 */
import { Gateway } from '@kubernetes-models/istio/networking.istio.io/v1/Gateway';
import { AuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';
import { PeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import type { PlatformConfig, Region } from '../config/schema.js';
import { desired, fromEntry, ISTIO_NAMESPACE, TENANT_LABEL } from './names.js';
import type { DesiredObject } from '../objects/model.js';
import { sortForApply } from '../objects/order.js';
import type { HardeningOptions } from './hardening.js';
import { INSTALL_IMAGES } from './images.js';
import type { InstallSpec } from './types.js';

export const meshEnabled = (c: PlatformConfig): boolean => c.mesh?.istio?.enabled === true;

/** The ingress gateway's identity (Istio's default install). */
export const INGRESS_GATEWAY_PRINCIPAL = 'cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account';
export const gatewayName = (c: PlatformConfig): string => `${c.name}-gateway`;
export const tenantPolicyName = (tenant: string): string => `tenant-${tenant}`;

export const INGRESS_GATEWAY_RELEASE = 'istio-ingressgateway';
const ISTIOD_CHART = 'manifests/charts/istio-control/istio-discovery';
const GATEWAY_CHART = 'manifests/charts/gateway';

/**
 * Kinds left out on the local plane: kwok runs no containers, so istiod never answers its injection and
 * validation webhooks, and the API server would call them on every pod and Istio object.
 */
const LOCAL_OMITTED = { kinds: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'], why: 'the local plane runs no istiod to answer them' };

/** istiod and the gateway talk to the API server (xDS from Kubernetes objects, certificates, leader election). */
export const ISTIO_HARDENING: HardeningOptions = {
  apiAccess: true,
  // istio-proxy's user in Istio's images.
  uid: 1337,
  resources: { requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '256Mi' }, limits: { cpu: '2', memory: '2Gi', 'ephemeral-storage': '256Mi' } },
};

export function meshInstalls(c: PlatformConfig, r: Region): InstallSpec[] {
  const istio = c.mesh?.istio;
  if (!istio?.enabled) return [];
  const image = { hub: INSTALL_IMAGES.istioHub, tag: INSTALL_IMAGES.istioTag };
  const omit = r.cloud === 'local' ? { omitKinds: LOCAL_OMITTED } : {};
  const installs: InstallSpec[] = [
    {
      kind: 'helm-chart',
      source: 'istio-charts',
      chart: ISTIOD_CHART,
      release: 'istiod',
      namespace: ISTIO_NAMESPACE,
      values: {
        ...image,
        global: { ...image, istioNamespace: ISTIO_NAMESPACE },
        // Two replicas and a PDB in real clusters; the HPA would fight the replica count we apply.
        autoscaleEnabled: false,
        replicaCount: r.cloud === 'local' ? 1 : 2,
        resources: {
          requests: { cpu: '500m', memory: '2Gi', 'ephemeral-storage': '256Mi' },
          limits: { cpu: '2', memory: '2Gi', 'ephemeral-storage': '256Mi' },
        },
        seccompProfile: { type: 'RuntimeDefault' },
        meshConfig: { enablePrometheusMerge: true },
      },
      ...omit,
      hardening: ISTIO_HARDENING,
    },
  ];
  if (istio.gateway) {
    installs.push({
      kind: 'helm-chart',
      source: 'istio-charts',
      chart: GATEWAY_CHART,
      release: INGRESS_GATEWAY_RELEASE,
      namespace: ISTIO_NAMESPACE,
      values: {
        global: { ...image },
        // The identity our AuthorizationPolicies allow (INGRESS_GATEWAY_PRINCIPAL) and the selector of our Gateway.
        serviceAccount: { create: true, name: INGRESS_GATEWAY_PRINCIPAL.split('/').pop() },
        labels: { istio: 'ingressgateway', app: INGRESS_GATEWAY_RELEASE },
        autoscaling: { enabled: false },
        replicaCount: r.cloud === 'local' ? 1 : 2,
        resources: {
          requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '128Mi' },
          limits: { cpu: '2', memory: '1Gi', 'ephemeral-storage': '128Mi' },
        },
        securityContext: { runAsNonRoot: true, runAsUser: 1337, runAsGroup: 1337, seccompProfile: { type: 'RuntimeDefault' } },
      },
      ...omit,
      hardening: { ...ISTIO_HARDENING, autoImage: `${INSTALL_IMAGES.istioHub}/proxyv2:${INSTALL_IMAGES.istioTag}` },
      configSource: ['mesh', 'istio', 'gateway'],
    });
  }
  return installs;
}

export function buildMesh(c: PlatformConfig, r: Region): { objects: DesiredObject[]; installs: InstallSpec[] } {
  const istio = c.mesh?.istio;
  if (!istio?.enabled) return { objects: [], installs: [] };
  // We install Istio, so we own its namespace in every region.
  const objects: DesiredObject[] = [desired(new Namespace({ metadata: { name: ISTIO_NAMESPACE } }))];

  if (istio.gateway) {
    const gateway = new Gateway({
      metadata: { name: gatewayName(c), namespace: ISTIO_NAMESPACE },
      spec: {
        selector: { istio: 'ingressgateway' },
        servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: [...istio.gateway.hosts] }],
      },
    });
    objects.push(fromEntry(['mesh', 'istio', 'gateway'], desired(gateway)));
  }

  // In the root namespace without a selector: the mesh-wide default.
  const mtls = new PeerAuthentication({ metadata: { name: 'default', namespace: ISTIO_NAMESPACE }, spec: { mtls: { mode: istio.mtls } } });
  objects.push(fromEntry(['mesh', 'istio', 'mtls'], desired(mtls)));

  c.tenants.forEach((t, i) => {
    const policy = new AuthorizationPolicy({
      metadata: { name: tenantPolicyName(t.name), namespace: ISTIO_NAMESPACE },
      spec: {
        selector: { matchLabels: { [TENANT_LABEL]: t.name } },
        action: 'ALLOW',
        rules: [
          // Workloads of the same tenant (namespace and service-account identities)…
          { from: [{ source: { namespaces: [t.name] } }, { source: { principals: [`cluster.local/ns/${t.name}/sa/*`] } }] },
          // …and the ingress gateway. Everything else is denied once an ALLOW policy selects a pod.
          { from: [{ source: { principals: [INGRESS_GATEWAY_PRINCIPAL] } }] },
        ],
      },
    });
    objects.push(fromEntry(['tenants', i], desired(policy)));
  });
  return { objects: sortForApply(objects), installs: meshInstalls(c, r) };
}
