/** Small hand-made stacks for the Terraform engine's tests (the catalog is tested elsewhere). */
import { join } from 'node:path';
import type { Region } from '../../../src/config/schema.js';
import { withOwnership } from '../../../src/stacks/labels.js';
import { stackLabelValue, type StackInstance } from '../../../src/stacks/types.js';
import type { DesiredObject } from '../../../src/objects/model.js';
import { synthTerraform, type SynthStack } from '../../../src/engines/terraform/synth.js';
import { resolveStateLocation } from '../../../src/state/location.js';

export const localRegion = (name = 'eu'): Region => ({ name, cloud: 'local', location: `local-${name}`, role: 'primary' });

export function testStack(
  opts: {
    id?: string;
    region?: Region;
    namespace?: string;
    project?: string;
    replicas?: number;
    configValue?: string;
    secretVariable?: string;
    extra?: DesiredObject[];
  } = {},
): StackInstance {
  const region = opts.region ?? localRegion();
  const ns = opts.namespace ?? 'tf-test';
  const id = opts.id ?? `tenant/${region.name}/${ns}`;
  const objects: DesiredObject[] = [
    { manifest: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } },
    {
      manifest: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'settings', namespace: ns },
        data: { LOG_LEVEL: opts.configValue ?? 'info', TEMPLATE: 'literal ${not_a_var} and %{ not_a_directive }' },
      },
    },
    {
      manifest: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: ns },
        spec: {
          replicas: opts.replicas ?? 1,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: {
              containers: [{ name: 'web', image: 'ghcr.io/acme/web:1.0.0', ports: [{ containerPort: 8080 }] }],
              // kwok fake nodes: pods schedule onto them and become Ready.
              tolerations: [{ key: 'kwok.x-k8s.io/node', operator: 'Exists', effect: 'NoSchedule' }],
            },
          },
        },
      },
    },
    ...(opts.secretVariable
      ? [
          {
            manifest: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: ns }, type: 'Opaque' },
            secretEnv: { DB_PASSWORD: opts.secretVariable },
          } satisfies DesiredObject,
        ]
      : []),
    ...(opts.extra ?? []),
  ];
  return {
    id,
    layer: 'tenant',
    engine: 'terraform',
    region,
    tenant: ns,
    project: opts.project ?? 'tftest',
    dependsOn: [],
    source: ['tenants', 0],
    objects: withOwnership(objects, opts.project ?? 'tftest', id),
    cloud: [],
    installs: [],
    label: stackLabelValue(id),
  };
}

/** Synthesizes into `<projectDir>/.platform/tf` as the engine does (project `acme`, state default or `state`). */
export function synthIn(projectDir: string, stacks: StackInstance[], opts: { state?: string; force?: boolean } = {}): Promise<Map<string, SynthStack>> {
  return synthTerraform(stacks, join(projectDir, '.platform', 'tf'), {
    projectDir,
    project: 'acme',
    state: resolveStateLocation(opts.state, projectDir),
    force: opts.force,
  });
}
