import { describe, expect, test } from 'vitest';
import { changesFromPlan, createsFromStream, deletesFromStream, UNNAMED_DELETE, type ShowPlan } from '../../../src/engines/terraform/report.js';
import type { TofuMessage } from '../../../src/engines/terraform/tofu.js';
import type { SynthObject } from '../../../src/engines/terraform/synth.js';
import { REDACTED } from '../../../src/objects/secrets.js';

const deployment = (replicas: number, image = 'web:1') =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'ns' },
    spec: { replicas, template: { spec: { containers: [{ name: 'web', image }] } } },
  });
const secret = (value: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'ns' }, data: { DB_PASSWORD: value } });

const objects: SynthObject[] = [
  { address: 'kubectl_manifest.deployment_ns_web', type: 'apps/v1:Deployment', name: 'ns/web', secret: false },
  { address: 'kubectl_manifest.secret_ns_db', type: 'v1:Secret', name: 'ns/db', secret: true },
];
const rc = (address: string, actions: string[], before: Record<string, unknown> | null, after: Record<string, unknown> | null) => ({
  address,
  mode: 'managed',
  type: 'kubectl_manifest',
  change: { actions, before, after },
});

describe('changesFromPlan', () => {
  test('an update reports exactly the changed fields as JSON pointers', () => {
    const plan: ShowPlan = {
      resource_changes: [
        rc(
          'kubectl_manifest.deployment_ns_web',
          ['update'],
          { yaml_body: deployment(2), yaml_incluster: 'a' },
          { yaml_body: deployment(3, 'web:2'), yaml_incluster: 'a' },
        ),
      ],
    };
    expect(changesFromPlan(plan, objects).changes).toEqual([
      {
        op: 'update',
        type: 'apps/v1:Deployment',
        name: 'ns/web',
        diff: [
          { path: '/spec/replicas', old: 2, new: 3 },
          { path: '/spec/template/spec/containers/0/image', old: 'web:1', new: 'web:2' },
        ],
      },
    ]);
  });

  test('secret values are redacted, the changed path is kept', () => {
    const plan: ShowPlan = {
      resource_changes: [rc('kubectl_manifest.secret_ns_db', ['update'], { yaml_body: secret('b2xk') }, { yaml_body: secret('bmV3') })],
    };
    const [change] = changesFromPlan(plan, objects).changes;
    expect(change.diff).toEqual([{ path: '/data/DB_PASSWORD', old: REDACTED, new: REDACTED }]);
    expect(JSON.stringify(change)).not.toMatch(/b2xk|bmV3/);
  });

  test('create, delete, replace and no-op map onto the shared ops; deleted objects are named from their old body', () => {
    const plan: ShowPlan = {
      resource_changes: [
        rc('kubectl_manifest.deployment_ns_web', ['create'], null, { yaml_body: deployment(1) }),
        rc('kubectl_manifest.secret_ns_db', ['no-op'], { yaml_body: secret('eA==') }, { yaml_body: secret('eA==') }),
        rc(
          'kubectl_manifest.configmap_old_gone',
          ['delete'],
          { yaml_body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gone', namespace: 'old' } }) },
          null,
        ),
        rc('kubectl_manifest.x', ['delete', 'create'], { yaml_body: deployment(1) }, { yaml_body: deployment(1, 'web:9') }),
      ],
    };
    expect(changesFromPlan(plan, objects).changes.map((c) => [c.op, c.type, c.name, c.diff.length])).toEqual([
      ['create', 'apps/v1:Deployment', 'ns/web', 0],
      ['same', 'v1:Secret', 'ns/db', 0],
      ['delete', 'v1:ConfigMap', 'old/gone', 0],
      ['replace', 'apps/v1:Deployment', 'ns/web', 1],
    ]);
  });

  test('a live change with an unchanged manifest is an update flagged as drift; a bookkeeping-only change is "same"', () => {
    const plan: ShowPlan = {
      resource_changes: [
        rc(
          'kubectl_manifest.deployment_ns_web',
          ['update'],
          { yaml_body: deployment(1), yaml_incluster: 'old' },
          { yaml_body: deployment(1), yaml_incluster: 'new' },
        ),
        rc(
          'kubectl_manifest.secret_ns_db',
          ['update'],
          { yaml_body: secret('eA=='), yaml_incluster: 'h', force_conflicts: true },
          { yaml_body: secret('eA=='), yaml_incluster: 'h', force_conflicts: false },
        ),
      ],
    };
    const planned = changesFromPlan(plan, objects);
    expect(planned.changes.map((c) => c.op)).toEqual(['update', 'same']);
    expect(planned.drifted).toEqual(['kubectl_manifest.deployment_ns_web']);
  });
});

describe('changes from the streamed plan lines (no second tofu run)', () => {
  const planned = (addr: string, action: string): TofuMessage => ({ type: 'planned_change', change: { resource: { addr }, action } });
  const summary: TofuMessage = { type: 'change_summary', changes: { add: 1, change: 0, remove: 0, operation: 'plan' } };
  const synth = { objects, resources: objects.map(({ type, name }) => ({ type, name })) };

  test('a plan that only creates synthesized objects: what `tofu show` gives, the rest unchanged', () => {
    const stream = [planned('kubectl_manifest.deployment_ns_web', 'create'), summary];
    const fromShow = changesFromPlan(
      {
        resource_changes: [
          rc('kubectl_manifest.deployment_ns_web', ['create'], null, { yaml_body: deployment(1) }),
          rc('kubectl_manifest.secret_ns_db', ['no-op'], { yaml_body: secret('eA==') }, { yaml_body: secret('eA==') }),
        ],
      },
      objects,
    ).changes;
    expect(createsFromStream(stream, synth)).toEqual(fromShow);
  });

  test('anything but creates of synthesized objects, or a stack with cloud resources, needs `tofu show`', () => {
    expect(createsFromStream([planned('kubectl_manifest.deployment_ns_web', 'update')], synth)).toBeUndefined();
    expect(createsFromStream([planned('kubectl_manifest.deployment_ns_web', 'replace')], synth)).toBeUndefined();
    expect(createsFromStream([planned('kubectl_manifest.configmap_old_gone', 'delete')], synth)).toBeUndefined();
    expect(createsFromStream([planned('kubectl_manifest.not_synthesized', 'create')], synth)).toBeUndefined();
    expect(createsFromStream([planned('data.terraform_remote_state.cluster', 'read')], synth)).toBeUndefined();
    const withCloud = { ...synth, resources: [...synth.resources, { type: 'aws_eks_cluster', name: 'eu' }] };
    expect(createsFromStream([planned('kubectl_manifest.deployment_ns_web', 'create')], withCloud)).toBeUndefined();
  });

  test('a destroy plan: its deletes, named by the synthesized objects, else by the applied manifest from the state, else by address', () => {
    const stream = [
      planned('kubectl_manifest.deployment_ns_web', 'delete'),
      planned('kubectl_manifest.configmap_old_gone', 'delete'),
      planned('kubectl_manifest.namespace_old', 'delete'),
      planned('aws_eks_cluster.eu', 'delete'),
      planned('terraform_data.cluster_pending', 'delete'),
    ];
    expect(deletesFromStream(stream, synth).map((c) => [c.op, c.type, c.name])).toEqual([
      ['delete', 'apps/v1:Deployment', 'ns/web'],
      ['delete', UNNAMED_DELETE, 'kubectl_manifest.configmap_old_gone'],
      ['delete', UNNAMED_DELETE, 'kubectl_manifest.namespace_old'],
      ['delete', 'aws_eks_cluster', 'eu'],
    ]);
    // A pruned stack or objects dropped from the config: the state still has what was applied.
    const applied = new Map([['kubectl_manifest.namespace_old', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'old' } }]]);
    expect(deletesFromStream(stream, synth, applied).map((c) => [c.type, c.name])).toEqual([
      ['apps/v1:Deployment', 'ns/web'],
      [UNNAMED_DELETE, 'kubectl_manifest.configmap_old_gone'],
      ['v1:Namespace', 'old'],
      ['aws_eks_cluster', 'eu'],
    ]);
  });
});
