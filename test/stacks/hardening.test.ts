import { describe, expect, it } from 'vitest';
import { explicitRbacVerbs, hardenWorkloads, DEFAULT_UID } from '../../src/stacks/hardening.js';
import type { KubeObject } from '../../src/objects/model.js';

const deployment = (containers: unknown[], pod: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'd', namespace: 'n' },
  spec: { template: { metadata: { labels: { a: 'b' } }, spec: { ...pod, containers } } },
});
type Pod = {
  metadata: { annotations?: Record<string, string> };
  spec: {
    automountServiceAccountToken?: boolean;
    securityContext: Record<string, unknown>;
    containers: Array<Record<string, Record<string, unknown> | undefined>>;
  };
};
const pod = (o: KubeObject): Pod => (o.spec as { template: Pod }).template;
const resources = { requests: { cpu: '10m', memory: '16Mi', 'ephemeral-storage': '8Mi' }, limits: { cpu: '1', memory: '64Mi', 'ephemeral-storage': '8Mi' } };

describe('hardenWorkloads', () => {
  it('fills the restricted defaults, keeps what upstream set, stringifies quantities', () => {
    const [d] = hardenWorkloads([deployment([{ name: 'c', image: 'x:1', resources: { limits: { cpu: 2 } }, securityContext: { runAsUser: 1337 } }])], {
      apiAccess: false,
      resources,
    });
    const t = pod(d);
    expect(t.spec.automountServiceAccountToken).toBe(false);
    expect(t.spec.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    const c = t.spec.containers[0];
    expect(c.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 1337,
      runAsGroup: 1337,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(c.resources).toEqual({ requests: resources.requests, limits: { cpu: '2', memory: '64Mi', 'ephemeral-storage': '8Mi' } });
  });

  it('keeps the API token only when asked, and says so on the pod', () => {
    const [d] = hardenWorkloads([deployment([{ name: 'c', image: 'x:1' }])], { apiAccess: true, resources });
    expect(pod(d).spec.automountServiceAccountToken).toBeUndefined();
    expect(pod(d).metadata.annotations).toEqual({ 'platform.dev/api-access': 'true' });
    expect(pod(d).spec.containers[0].securityContext?.runAsUser).toBe(DEFAULT_UID);
  });

  it('derives a more tolerant liveness probe, or TCP probes on the first port', () => {
    const [d] = hardenWorkloads(
      [
        deployment([
          { name: 'a', image: 'x:1', readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 3 } },
          { name: 'b', image: 'x:1', ports: [{ containerPort: 8085 }] },
        ]),
      ],
      { apiAccess: false, resources },
    );
    const [a, b] = pod(d).spec.containers;
    expect(a.livenessProbe).toMatchObject({ httpGet: { path: '/ready', port: 8080 }, periodSeconds: 20, failureThreshold: 6 });
    expect(b.readinessProbe).toEqual({ tcpSocket: { port: 8085 }, periodSeconds: 10, failureThreshold: 3 });
    expect(b.livenessProbe).toMatchObject({ tcpSocket: { port: 8085 }, periodSeconds: 20 });
  });

  it('lets only the named root container run as root, still without escalation', () => {
    const [d] = hardenWorkloads([deployment([{ name: 'node-agent', image: 'x:1' }], { securityContext: { runAsUser: 0 } })], {
      apiAccess: true,
      resources,
      rootContainers: ['node-agent'],
    });
    expect(pod(d).spec.securityContext).toEqual({ runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod(d).spec.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  it('bounds every emptyDir by the ephemeral-storage limit unless upstream did', () => {
    const [d] = hardenWorkloads(
      [
        deployment([{ name: 'c', image: 'x:1' }], {
          volumes: [
            { name: 'a', emptyDir: {} },
            { name: 'b', emptyDir: { sizeLimit: '1Mi' } },
            { name: 'c', configMap: { name: 'x' } },
          ],
        }),
      ],
      { apiAccess: false, resources },
    );
    expect((pod(d).spec as unknown as { volumes: unknown[] }).volumes).toEqual([
      { name: 'a', emptyDir: { sizeLimit: '8Mi' } },
      { name: 'b', emptyDir: { sizeLimit: '1Mi' } },
      { name: 'c', configMap: { name: 'x' } },
    ]);
  });

  it('leaves everything but workloads alone', () => {
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: {} };
    expect(hardenWorkloads([structuredClone(cm)], { apiAccess: false, resources })).toEqual([cm]);
  });
});

describe('hardenWorkloads: image "auto"', () => {
  it('pins a container left to a webhook when told which image, and only then', () => {
    const [pinned] = hardenWorkloads([deployment([{ name: 'istio-proxy', image: 'auto' }])], {
      apiAccess: true,
      resources,
      autoImage: 'docker.io/istio/proxyv2:1',
    });
    expect(pod(pinned).spec.containers[0].image).toBe('docker.io/istio/proxyv2:1');
    const [left] = hardenWorkloads([deployment([{ name: 'istio-proxy', image: 'auto' }])], { apiAccess: true, resources });
    expect(pod(left).spec.containers[0].image).toBe('auto');
  });
});

describe('explicitRbacVerbs', () => {
  const role = (rules: unknown[]): KubeObject => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' }, rules });
  const rulesOf = (o: KubeObject): Array<{ verbs: string[] }> => o.rules as Array<{ verbs: string[] }>;

  it('writes out * verbs on ordinary resources as the standard verbs', () => {
    const [r] = explicitRbacVerbs([
      role([
        { apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['*'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
      ]),
    ]);
    expect(rulesOf(r).map((x) => x.verbs)).toEqual([['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'], ['get']]);
  });

  it('keeps * where a resource has verbs of its own (escalate, bind, impersonate…) or the resources are *: the policy gate says so', () => {
    const rules = [
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['*'] },
      { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['*'] },
      { apiGroups: ['x.io'], resources: ['*'], verbs: ['*'] },
      { nonResourceURLs: ['/metrics'], verbs: ['*'] },
    ];
    const [r] = explicitRbacVerbs([role(structuredClone(rules))]);
    expect(r.rules).toEqual(rules);
  });
});
