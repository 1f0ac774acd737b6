/**
 * Inputs for the report tests: the benchmark estate (bench/lib-estate.sh: 100 tenants × 3 regions,
 * 609 stacks) planned by the real planner, and a run over it made from those stacks' own objects — an
 * image bump in every service, a quota change in every tenant, a few failures with their skipped
 * dependents. Only the engine's verdict is made up here; the stacks, objects and diffs are real.
 */
import { execFileSync } from 'node:child_process';
import { parseConfig } from '../../src/config/load.js';
import { emptyCounts, type ResourceChange, type StackResult } from '../../src/engines/types.js';
import type { RunReport } from '../../src/orchestrate/run.js';
import { planStacks } from '../../src/stacks/plan.js';
import type { StackInstance } from '../../src/stacks/types.js';
import { repoRoot } from '../helpers/cli.js';
import { diffJson } from '../../src/objects/diff.js';
import type { KubeObject } from '../../src/objects/model.js';

export const SECRET_VALUE = 's3cr3t-value-that-must-never-show';

export function benchConfigText(engine: 'pulumi' | 'terraform' = 'pulumi'): string {
  return execFileSync('bash', ['-c', '. bench/lib-estate.sh && estate "$0"', engine], { cwd: repoRoot, encoding: 'utf8' });
}

export function benchStacks(): StackInstance[] {
  return planStacks(parseConfig(benchConfigText(), 'bench.yaml'));
}

const typeOf = (m: KubeObject): string => `${m.apiVersion}:${m.kind}`;
const nameOf = (m: KubeObject): string => (m.metadata.namespace ? `${m.metadata.namespace}/${m.metadata.name}` : m.metadata.name);

/** The object as it was before the change this run applies. */
function before(m: KubeObject, stack: StackInstance): KubeObject | undefined {
  const old = structuredClone(m) as KubeObject & { spec?: Record<string, unknown> };
  if (m.kind === 'Deployment') {
    const containers = (old.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers;
    containers[0].image = containers[0].image.replace(/:[^:]+$/, ':0');
    return old;
  }
  if (m.kind === 'ResourceQuota') {
    const hard = (old.spec as { hard: Record<string, string> }).hard;
    for (const k of Object.keys(hard)) hard[k] = `${hard[k]}-old`;
    return old;
  }
  if (m.kind === 'ConfigMap' && stack.layer === 'observability') {
    const data = old.data as Record<string, string> | undefined;
    if (data) for (const k of Object.keys(data)) data[k] = `${data[k]} `.repeat(2);
    return old;
  }
  return undefined;
}

/** A plan of the estate: what `platform plan --all --json` would say after the change above. */
export function changedRun(stacks: StackInstance[], operation: RunReport['operation'] = 'plan'): RunReport {
  const failed = new Set(stacks.filter((s) => s.layer === 'tenant' && /\/t(7|42)$/.test(s.id)).map((s) => s.id));
  const results: StackResult[] = stacks.map((s) => {
    if (failed.has(s.id)) {
      return {
        id: s.id,
        engine: s.engine,
        status: 'failed',
        changes: emptyCounts(),
        resources: [],
        error: { kind: 'external', message: `kube-apiserver refused ResourceQuota ${s.tenant}/quota: exceeded\nsecond line of detail` },
      };
    }
    const blocked = s.dependsOn.find((d) => failed.has(d));
    if (blocked) return { id: s.id, engine: s.engine, status: 'skipped', changes: emptyCounts(), resources: [], reason: `dependency ${blocked} failed` };
    const resources: ResourceChange[] = s.objects.map(({ manifest }) => {
      const old = before(manifest, s);
      const diff = old ? diffJson(old, manifest) : [];
      return { op: old ? 'update' : 'same', type: typeOf(manifest), name: nameOf(manifest), diff };
    });
    if (s.layer === 'app') {
      // An engine that let a secret value through: the report must redact it anyway.
      resources.push({
        op: 'update',
        type: 'v1:Secret',
        name: `${s.tenant}/${s.service}-env`,
        diff: [{ path: '/data/TOKEN', old: 'b2xk', new: SECRET_VALUE }],
      });
    }
    const changes = emptyCounts();
    for (const r of resources) changes[r.op]++;
    return { id: s.id, engine: s.engine, status: changes.update ? 'changes' : 'ok', changes, resources };
  });
  return { version: 1, operation, stacks: results };
}
