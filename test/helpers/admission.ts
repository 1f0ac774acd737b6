/** Cluster-side refusals for failure tests: a ValidatingAdmissionPolicy that denies ResourceQuotas in one namespace. */
import type { KubeClient } from '../../src/kube/client.js';

/**
 * Denies creating or updating a ResourceQuota in `namespace` with `message` (so that tenant's stack
 * fails), and waits until the API server enforces it (policies take effect asynchronously).
 */
export async function freezeQuotas(kube: KubeClient, opts: { name: string; namespace: string; message: string }): Promise<void> {
  await kube.apply({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: opts.name },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['resourcequotas'] }] },
      validations: [{ expression: `object.metadata.namespace != '${opts.namespace}'`, message: opts.message }],
    },
  });
  await kube.apply({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: opts.name },
    spec: { policyName: opts.name, validationActions: ['Deny'] },
  });
  const probe = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: `${opts.name}-probe`, namespace: opts.namespace }, spec: { hard: { pods: '1' } } };
  if (!(await kube.get({ apiVersion: 'v1', kind: 'Namespace', name: opts.namespace })))
    await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: opts.namespace } });
  for (let i = 0; ; i++) {
    const denied = await kube.apply(probe, { dryRun: true }).then(
      () => false,
      (e: unknown) => e instanceof Error && e.message.includes(opts.message),
    );
    if (denied) return;
    if (i > 100) throw new Error(`the admission policy ${opts.name} never took effect`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
