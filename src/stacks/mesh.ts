/**
 * mesh/<region> (when mesh.istio.enabled): the mesh-wide objects — ingress Gateway, mTLS mode and one
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

export const meshEnabled = (c: PlatformConfig): boolean => c.mesh?.istio?.enabled === true;

/** The ingress gateway's identity (Istio's default install). */
export const INGRESS_GATEWAY_PRINCIPAL = 'cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account';
export const gatewayName = (c: PlatformConfig): string => `${c.name}-gateway`;
export const tenantPolicyName = (tenant: string): string => `tenant-${tenant}`;

export function buildMesh(c: PlatformConfig, r: Region): { objects: DesiredObject[] } {
  const istio = c.mesh?.istio;
  if (!istio?.enabled) return { objects: [] };
  const objects: DesiredObject[] = [];

  // Real clusters come with Istio installed: never own (and so never delete) their istio-system.
  if (r.cloud === 'local') objects.push(desired(new Namespace({ metadata: { name: ISTIO_NAMESPACE } })));

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
  return { objects: sortForApply(objects) };
}
