/**
 * What the control-plane installs render to, with the real `helm`, `velero-manifests` and the cached
 * charts and bundle (the toolchain cache; no local plane). Object counts and key fields are pinned, so a
 * chart or version bump shows up here as a reviewed change.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { controlPlaneFor } from '../../src/engines/crds.js';
import { runPolicyCheck } from '../../src/policy/check.js';
import { policyInput } from '../../src/policy/input.js';
import type { KubeObject } from '../../src/objects/model.js';
import { INSTALL_IMAGES } from '../../src/stacks/images.js';
import { planStacks } from '../../src/stacks/plan.js';
import type { StackInstance } from '../../src/stacks/types.js';
import { renderInstall, renderKey } from '../../src/toolchain/installs.js';
import { renderedInstallsDir } from '../../src/toolchain/layout.js';
import { repoRoot } from '../helpers/cli.js';
import { EXAMPLES, loadExample } from '../stacks/helpers.js';

const config = loadExample(EXAMPLES[0]);
const stacks = planStacks(config);
const stack = (id: string): StackInstance => stacks.find((s) => s.id === id)!;
const installed = (id: string): KubeObject[] => controlPlaneFor(stack(id)).filter((o) => o.kind !== 'CustomResourceDefinition');
const countKinds = (objects: KubeObject[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const o of objects) out[o.kind] = (out[o.kind] ?? 0) + 1;
  return out;
};
const workloads = (objects: KubeObject[]): string[] =>
  objects.filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind)).map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`);

interface Container {
  name: string;
  image: string;
  securityContext?: Record<string, unknown>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  readinessProbe?: unknown;
  livenessProbe?: unknown;
}
const containers = (o: KubeObject): Container[] => (o.spec as { template: { spec: { containers: Container[] } } }).template.spec.containers;
const emptyDirs = (o: KubeObject): Array<{ name: string; emptyDir?: { sizeLimit?: string } }> =>
  ((o.spec as { template: { spec: { volumes?: Array<{ name: string; emptyDir?: { sizeLimit?: string } }> } } }).template.spec.volumes ?? []).filter(
    (v) => v.emptyDir,
  );
const podAnnotations = (o: KubeObject): Record<string, string> =>
  (o.spec as { template: { metadata?: { annotations?: Record<string, string> } } }).template.metadata?.annotations ?? {};

describe('rendered control-plane installs (examples/local, region eu)', () => {
  it('mesh: istiod and the ingress gateway from Istio’s charts, without webhooks on the local plane', () => {
    const objects = installed('mesh/eu');
    expect(countKinds(objects)).toEqual({
      ServiceAccount: 2,
      ConfigMap: 3,
      ClusterRole: 3,
      ClusterRoleBinding: 3,
      Role: 2,
      RoleBinding: 2,
      Service: 2,
      Deployment: 2,
    });
    expect(workloads(objects)).toEqual(['Deployment/istio-system/istiod', 'Deployment/istio-system/istio-ingressgateway']);
    const istiod = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'istiod')!;
    expect(containers(istiod)[0].image).toBe(`${INSTALL_IMAGES.istioHub}/pilot:${INSTALL_IMAGES.istioTag}`);
    // The chart leaves the gateway's proxy image to the injection webhook ("auto"); it is pinned to the same release.
    const gateway = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'istio-ingressgateway')!;
    expect(containers(gateway)[0].image).toBe(`${INSTALL_IMAGES.istioHub}/proxyv2:${INSTALL_IMAGES.istioTag}`);
    // The gateway's identity is the principal our AuthorizationPolicies allow.
    expect(objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === 'istio-ingressgateway-service-account')).toBeDefined();
    expect(objects.every((o) => o.metadata.labels?.['platform.dev/stack'] === 'mesh.eu' && o.metadata.labels['app.kubernetes.io/managed-by'] !== 'Helm')).toBe(
      true,
    );
  });

  it('mesh in a cloud region keeps istiod’s injection and validation webhooks', () => {
    const cloud = planStacks({ ...config, regions: [{ ...config.regions[0], cloud: 'aws', location: 'eu-west-1' }] }).find((s) => s.id === 'mesh/eu')!;
    const kinds = countKinds(controlPlaneFor(cloud));
    expect(kinds).toMatchObject({ MutatingWebhookConfiguration: 1, ValidatingWebhookConfiguration: 1, Deployment: 2 });
    // CRDs are applied in cloud regions too, not only on the local plane.
    expect(kinds.CustomResourceDefinition).toBeGreaterThan(10);
  });

  it('observability: the operator from its bundle, moved into monitoring, its CRDs from the CRD bundle only', () => {
    const all = controlPlaneFor(stack('observability/eu'));
    const objects = all.filter((o) => o.kind !== 'CustomResourceDefinition');
    expect(countKinds(objects)).toEqual({ ClusterRoleBinding: 1, ClusterRole: 1, Deployment: 1, ServiceAccount: 1, Service: 1 });
    const operator = objects.find((o) => o.kind === 'Deployment')!;
    expect(operator.metadata.namespace).toBe('monitoring');
    expect(containers(operator)[0].image).toBe(INSTALL_IMAGES.prometheusOperator);
    const binding = objects.find((o) => o.kind === 'ClusterRoleBinding')!;
    expect((binding.subjects as Array<{ namespace: string }>)[0].namespace).toBe('monitoring');
    const crdNames = all.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.metadata.name);
    expect(new Set(crdNames).size).toBe(crdNames.length);
  });

  it('cluster: Velero server and node agent from Velero’s install code, without its CRDs and namespace', () => {
    const objects = installed('cluster/eu');
    expect(countKinds(objects)).toEqual({ ClusterRoleBinding: 1, ServiceAccount: 1, Deployment: 1, DaemonSet: 1 });
    expect(workloads(objects)).toEqual(['Deployment/velero/velero', 'DaemonSet/velero/node-agent']);
    const server = objects.find((o) => o.kind === 'Deployment')!;
    expect(containers(server).map((c) => c.image)).toEqual([INSTALL_IMAGES.velero]);
    expect(objects.find((o) => o.kind === 'Namespace')).toBeUndefined();
  });

  it('hardens every rendered workload; only Velero’s node agent runs as root, and says so by name', () => {
    for (const id of ['mesh/eu', 'observability/eu', 'cluster/eu']) {
      for (const w of installed(id).filter((o) => ['Deployment', 'DaemonSet', 'StatefulSet'].includes(o.kind))) {
        expect(podAnnotations(w)['platform.dev/api-access'], w.metadata.name).toBe('true');
        for (const v of emptyDirs(w)) expect(v.emptyDir?.sizeLimit, `${w.metadata.name} ${v.name}`).toBeDefined();
        for (const c of containers(w)) {
          const where = `${w.metadata.name}/${c.name}`;
          expect(c.securityContext, where).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
          if (c.name !== 'node-agent')
            expect(c.securityContext, where).toMatchObject({
              runAsNonRoot: true,
              capabilities: { drop: ['ALL'] },
              runAsUser: expect.any(Number),
              runAsGroup: expect.any(Number),
            });
          for (const kind of ['requests', 'limits'] as const) {
            for (const r of ['cpu', 'memory', 'ephemeral-storage']) expect(typeof c.resources?.[kind]?.[r], `${where} ${kind}.${r}`).toBe('string');
          }
          expect(c.image, where).not.toBe('auto');
          expect(c.readinessProbe, where).toBeDefined();
          expect(c.livenessProbe, where).toBeDefined();
        }
      }
    }
  });

  it('RBAC is written out: no role grants * verbs; * resources only where istiod reads its own API groups', () => {
    for (const id of ['mesh/eu', 'observability/eu', 'cluster/eu']) {
      for (const role of installed(id).filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role')) {
        for (const rule of role.rules as Array<{ apiGroups?: string[]; resources?: string[]; verbs: string[] }>) {
          expect(rule.verbs, role.metadata.name).not.toContain('*');
          if (rule.resources?.includes('*')) {
            expect(
              rule.verbs.every((v) => ['get', 'list', 'watch'].includes(v)),
              role.metadata.name,
            ).toBe(true);
            expect(
              rule.apiGroups?.every((g) => g.endsWith('.istio.io') || g.startsWith('gateway.networking.')),
              role.metadata.name,
            ).toBe(true);
          }
        }
      }
    }
    const operator = installed('observability/eu').find((o) => o.kind === 'ClusterRole')!;
    expect((operator.rules as Array<{ resources: string[]; verbs: string[] }>).find((r) => r.resources.includes('statefulsets'))?.verbs).toEqual([
      'get',
      'list',
      'watch',
      'create',
      'update',
      'patch',
      'delete',
      'deletecollection',
    ]);
  });

  it('the policy gate sees the installs like the stack’s own objects, and the local example passes it', async () => {
    const { input, index } = policyInput(stacks);
    const i = stacks.findIndex((s) => s.id === 'cluster/eu');
    expect(input.stacks[i].objects.some((o) => o.kind === 'DaemonSet')).toBe(true);
    expect(index.objects[i].find((o) => o.ref.kind === 'DaemonSet')).toEqual({
      ref: { kind: 'DaemonSet', namespace: 'velero', name: 'node-agent' },
      source: ['dr'],
    });
    const mesh = stacks.findIndex((s) => s.id === 'mesh/eu');
    expect(index.objects[mesh].find((o) => o.ref.name === 'istio-ingressgateway' && o.ref.kind === 'Deployment')?.source).toEqual(['mesh', 'istio', 'gateway']);
    const report = await runPolicyCheck({ configFile: join(repoRoot, EXAMPLES[0]) });
    expect(report.violations.filter((v) => v.level === 'mandatory')).toEqual([]);
  });

  it('renders each distinct install once and keeps it on disk (a second process reads it back)', () => {
    const spec = stack('mesh/eu').installs[0];
    const file = join(renderedInstallsDir(), `${renderKey(spec)}.json`);
    renderInstall(spec);
    expect(existsSync(file)).toBe(true);
    // The same spec in another region of the same estate is the same rendering.
    expect(renderKey(stack('mesh/us').installs[0])).toBe(renderKey(spec));
    expect(readdirSync(renderedInstallsDir()).length).toBeGreaterThan(0);
    const copy = renderInstall(spec);
    copy[0].metadata.name = 'mutated';
    expect(renderInstall(spec)[0].metadata.name).not.toBe('mutated');
    rmSync(file, { force: true }); // the next run re-renders it: still the same objects
  });
});
