import { describe, expect, it } from 'vitest';
import { driftedPaths, liveFindings, pendingFindings, unmanagedFindings } from '../../src/drift/compare.js';
import { ownedLeafPaths } from '../../src/drift/managed-fields.js';
import { applyIgnoreRules, hpaTargetKey, type PresetContext } from '../../src/drift/noise.js';
import { engineDescriptor } from '../../src/engines/registry.js';
import { type DriftFinding } from '../../src/drift/types.js';
import type { KubeObject } from '../../src/objects/model.js';
import { objectKey } from '../../src/objects/identity.js';
import { manifestDigest } from '../../src/objects/digest.js';
import { REDACTED } from '../../src/objects/secrets.js';
import { parseQuantity } from '../../src/objects/quantity.js';

const noPresets: PresetContext = { hpaTargets: new Set() };
const pulumi = (await engineDescriptor('pulumi')).fieldManager;
const terraform = (await engineDescriptor('terraform')).fieldManager;

const labels = { 'platform.dev/project': 'acme', 'platform.dev/stack': 'app.eu.payments.checkout' };

const applied: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'checkout', namespace: 'payments', labels },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'checkout' } },
    template: {
      metadata: { labels: { app: 'checkout' } },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'ghcr.io/acme/checkout:1.4.2',
            resources: { limits: { cpu: '0.5', memory: '256Mi' } },
            env: [{ name: 'LOG_LEVEL', value: 'info' }],
          },
        ],
      },
    },
  },
};

/** The part of a Deployment's spec these tests change. */
interface DeploymentSpec {
  replicas?: number;
  strategy?: unknown;
  revisionHistoryLimit?: number;
  template: {
    spec: {
      restartPolicy?: string;
      containers: Array<{
        resources: { limits: Record<string, string> };
        env?: Array<{ name: string; value: string }>;
        imagePullPolicy?: string;
        terminationMessagePath?: string;
      }>;
    };
  };
}

/** The object as the API server returns it: our fields plus defaults, status and bookkeeping. */
function liveOf(o: KubeObject, manager = 'platform', extra: Array<Record<string, unknown>> = []): KubeObject {
  const spec = structuredClone(o.spec) as DeploymentSpec;
  spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } };
  spec.revisionHistoryLimit = 10;
  spec.template.spec.containers[0].resources.limits.cpu = '500m'; // canonicalized quantity
  spec.template.spec.containers[0].imagePullPolicy = 'IfNotPresent';
  spec.template.spec.containers[0].terminationMessagePath = '/dev/termination-log';
  spec.template.spec.restartPolicy = 'Always';
  return {
    ...o,
    metadata: {
      ...o.metadata,
      uid: 'u-1',
      resourceVersion: '42',
      generation: 1,
      creationTimestamp: '2026-01-01T00:00:00Z',
      annotations: { 'deployment.kubernetes.io/revision': '1' },
      managedFields: [
        {
          manager,
          operation: 'Apply',
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:metadata': { 'f:labels': { 'f:platform.dev/project': {}, 'f:platform.dev/stack': {} } },
            'f:spec': { 'f:replicas': {}, 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } },
          },
        },
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:metadata': { 'f:annotations': { '.': {}, 'f:deployment.kubernetes.io/revision': {} } } },
        },
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          subresource: 'status',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:status': { 'f:replicas': {} } },
        },
        ...extra,
      ],
    },
    spec,
    status: { replicas: 2, availableReplicas: 2 },
  };
}

describe('state ≠ live (drifted)', () => {
  it('reports nothing right after apply: defaults, status, canonical quantities and controller fields are not drift', () => {
    expect(driftedPaths(applied, liveOf(applied), pulumi, noPresets)).toEqual([]);
  });

  it('kubectl scale: /spec/replicas with state and live values, once', () => {
    const live = liveOf(applied, 'platform', [{ manager: 'kubectl', operation: 'Update', subresource: 'scale', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }]);
    (live.spec as DeploymentSpec).replicas = 5;
    expect(driftedPaths(applied, live, pulumi, noPresets)).toEqual([{ path: '/spec/replicas', state: 2, live: 5 }]);
  });

  it('a label someone added is drift at /metadata/labels/<key>; a controller annotation is not', () => {
    const live = liveOf(applied, 'platform', [{ manager: 'kubectl-label', operation: 'Update', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:team': {} } } } }]);
    live.metadata.labels = { ...labels, team: 'blue' };
    expect(driftedPaths(applied, live, pulumi, noPresets)).toEqual([{ path: '/metadata/labels/team', live: 'blue' }]);
  });

  it('an env var added by kubectl edit is reported as the whole new list element', () => {
    const live = liveOf(applied, 'platform', [
      {
        manager: 'kubectl-edit',
        operation: 'Update',
        fieldsV1: {
          'f:spec': {
            'f:template': {
              'f:spec': { 'f:containers': { 'k:{"name":"app"}': { 'f:env': { 'k:{"name":"DEBUG"}': { '.': {}, 'f:name': {}, 'f:value': {} } } } } },
            },
          },
        },
      },
    ]);
    (live.spec as DeploymentSpec).template.spec.containers[0].env!.push({ name: 'DEBUG', value: '1' });
    // the env list changed length: rule 1 reports the list once, rule 2 does not repeat a path below it
    const paths = driftedPaths(applied, live, pulumi, noPresets);
    expect(paths.map((p) => p.path)).toEqual(['/spec/template/spec/containers/0/env']);
  });

  it("Terraform: kubectl's own Apply is us, kubectl's Update (scale) is someone else", () => {
    const live = liveOf(applied, 'kubectl', [{ manager: 'kubectl', operation: 'Update', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:owner': {} } } } }]);
    live.metadata.labels = { ...labels, owner: 'ops' };
    expect(driftedPaths(applied, live, terraform, noPresets)).toEqual([{ path: '/metadata/labels/owner', live: 'ops' }]);
    expect(driftedPaths(applied, liveOf(applied, 'kubectl'), terraform, noPresets)).toEqual([]);
  });

  it('the HPA preset silences /spec/replicas of a scale target, and only of a target', () => {
    const live = liveOf(applied, 'platform', [{ manager: 'kubectl', operation: 'Update', subresource: 'scale', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }]);
    (live.spec as DeploymentSpec).replicas = 4;
    const targeted: PresetContext = { hpaTargets: new Set([hpaTargetKey('payments', 'Deployment', 'checkout')]) };
    expect(driftedPaths(applied, live, pulumi, targeted)).toEqual([]);
    const other: PresetContext = { hpaTargets: new Set([hpaTargetKey('payments', 'Deployment', 'ledger')]) };
    expect(driftedPaths(applied, live, pulumi, other)).toHaveLength(1);
  });

  it('a field we set that someone removed is drift with no live value', () => {
    const live = liveOf(applied);
    delete (live.spec as DeploymentSpec).template.spec.containers[0].env;
    expect(driftedPaths(applied, live, pulumi, noPresets)).toEqual([
      { path: '/spec/template/spec/containers/0/env', state: [{ name: 'LOG_LEVEL', value: 'info' }] },
    ]);
  });

  it('Secret values never appear, not even a key someone added', () => {
    const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'payments', labels }, data: { A: 'YQ==' } };
    const live: KubeObject = {
      ...secret,
      data: { A: 'Yg==', B: 'Yw==' },
      metadata: { ...secret.metadata, managedFields: [{ manager: 'kubectl-edit', operation: 'Update', fieldsV1: { 'f:data': { 'f:B': {} } } }] },
    };
    const paths = driftedPaths(secret, live, pulumi, noPresets);
    expect(paths).toEqual([
      { path: '/data/A', state: REDACTED, live: REDACTED },
      { path: '/data/B', live: REDACTED },
    ]);
    expect(JSON.stringify(paths)).not.toMatch(/Yg==|Yw==|YQ==/);
  });

  it('missing when the object is gone', () => {
    const findings = liveFindings([applied], () => undefined, pulumi, noPresets);
    expect(findings).toEqual([{ class: 'missing', apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'payments', name: 'checkout', paths: [] }]);
  });
});

describe('Git ≠ state (pending)', () => {
  it('a changed field, an object to create and one to delete', () => {
    const git = structuredClone(applied);
    (git.spec as DeploymentSpec).replicas = 3;
    const newCm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'new', namespace: 'payments' } };
    const oldCm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'old', namespace: 'payments' } };
    const findings = pendingFindings([{ manifest: git }, { manifest: newCm }], [applied, oldCm]);
    expect(findings).toEqual([
      {
        class: 'pending',
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'payments',
        name: 'checkout',
        paths: [{ path: '/spec/replicas', git: 3, state: 2 }],
      },
      { class: 'pending', apiVersion: 'v1', kind: 'ConfigMap', namespace: 'payments', name: 'new', paths: [{ path: '/', git: '(object)' }] },
      { class: 'pending', apiVersion: 'v1', kind: 'ConfigMap', namespace: 'payments', name: 'old', paths: [{ path: '/', state: '(object)' }] },
    ]);
  });

  it('objects known only by digest compare by digest', () => {
    const crd: KubeObject = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'xs.example.com' },
      spec: { group: 'example.com', versions: [] },
    };
    const stub: KubeObject = { apiVersion: crd.apiVersion, kind: crd.kind, metadata: crd.metadata };
    expect(pendingFindings([{ manifest: crd }], [stub], new Map([[objectKey(crd), manifestDigest(crd)]]))).toEqual([]);
    const changed = pendingFindings(
      [{ manifest: { ...crd, spec: { group: 'example.com', versions: [{ name: 'v1' }] } } }],
      [stub],
      new Map([[objectKey(crd), manifestDigest(crd)]]),
    );
    expect(changed).toHaveLength(1);
    expect(changed[0].paths[0].path).toBe('/');
  });

  it('secretEnv keys the engine filled in are not pending; nulls from the wire format are not either', () => {
    const git: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'env', namespace: 'payments', creationTimestamp: null }, type: 'Opaque' };
    const state: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'env', namespace: 'payments' },
      type: 'Opaque',
      data: { DB_PASSWORD: 'c2VjcmV0' },
    };
    expect(pendingFindings([{ manifest: git, secretEnv: { DB_PASSWORD: 'DB_PASSWORD' } }], [state])).toEqual([]);
  });
});

describe('unmanaged', () => {
  const ns = 'payments';
  const cm = (name: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: ns, ...extra },
  });
  it('reports only objects nobody owns', () => {
    const live = [
      cm('stray'),
      cm('ours', { labels }),
      cm('kube-root-ca.crt'),
      cm('istio-ca-root-cert'),
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } },
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: 'checkout-abc', namespace: ns, ownerReferences: [{ kind: 'Deployment', name: 'checkout' }] },
      },
      cm('other-project', { labels: { 'platform.dev/project': 'else', 'platform.dev/stack': 'x' } }),
    ] as KubeObject[];
    expect(unmanagedFindings(live, 'acme', new Set()).map((f) => f.name)).toEqual(['stray', 'other-project']);
  });
});

describe('noise', () => {
  it('parses quantities as the API server canonicalizes them', () => {
    expect(parseQuantity('500m')).toBe(0.5);
    expect(parseQuantity('1Gi')).toBe(2 ** 30);
    expect(parseQuantity(2)).toBe(2);
    expect(parseQuantity('fast')).toBeUndefined();
  });

  it('ignore rules: a whole object, or chosen fields', () => {
    const findings: DriftFinding[] = [
      {
        class: 'drifted',
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'payments',
        name: 'checkout',
        paths: [{ path: '/spec/replicas' }, { path: '/metadata/labels/team' }],
      },
      { class: 'unmanaged', apiVersion: 'v1', kind: 'ConfigMap', namespace: 'payments', name: 'istio-ca-root-cert', paths: [] },
    ];
    const kept = applyIgnoreRules(findings, [
      { kind: 'Deployment', namespace: 'payments', name: 'checkout', paths: ['/spec/replicas'] },
      { kind: 'ConfigMap', nameRegex: '^istio-ca-root-cert$' },
    ]);
    expect(kept).toEqual([{ ...findings[0], paths: [{ path: '/metadata/labels/team' }] }]);
  });

  it('resolves fieldsV1 keyed list elements against the live object', () => {
    const live = { spec: { containers: [{ name: 'a' }, { name: 'b', image: 'x' }] } };
    expect(
      ownedLeafPaths({ 'f:spec': { 'f:containers': { 'k:{"name":"b"}': { '.': {}, 'f:image': {} }, 'k:{"name":"gone"}': { 'f:image': {} } } } }, live),
    ).toEqual(['/spec/containers/1/image']);
  });
});
