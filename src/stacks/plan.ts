/**
 * The planner: PlatformConfig → StackInstance[] with a dependency DAG. Per region:
 * cluster → mesh → observability → tenant/<t> → app/<t>/<s>. A layer that the config leaves out is
 * skipped and its dependents hang on the nearest layer above it.
 */
import type { PlatformConfig, Region } from '../config/schema.js';
import { buildApp } from './app.js';
import { buildCluster } from './cluster.js';
import { withOwnership } from './labels.js';
import { buildMesh, meshEnabled } from './mesh.js';
import { buildObservability, observabilityEnabled } from './observability.js';
import { buildTenant } from './tenant.js';
import { stackLabelValue, type CloudIntent, type InstallSpec, type Layer, type StackInstance } from './types.js';
import type { DesiredObject, SourcePath } from '../objects/model.js';

export function stackId(layer: Layer, region: string, tenant?: string, service?: string): string {
  return [layer, region, tenant, service].filter(Boolean).join('/');
}

export function planStacks(config: PlatformConfig): StackInstance[] {
  const out: StackInstance[] = [];
  const add = (
    layer: Layer,
    region: Region,
    source: SourcePath,
    dependsOn: string[],
    built: { objects: DesiredObject[]; cloud?: CloudIntent[]; installs?: InstallSpec[] },
    tenant?: string,
    service?: string,
  ): string => {
    const id = stackId(layer, region.name, tenant, service);
    out.push({
      id,
      layer,
      engine: config.engine,
      region,
      tenant,
      service,
      project: config.name,
      dependsOn,
      source,
      objects: withOwnership(built.objects, config.name, id).map((o) => (o.source ? o : { ...o, source })),
      cloud: (built.cloud ?? []).map((i) => (i.source ? i : { ...i, source })),
      installs: built.installs ?? [],
      label: stackLabelValue(id),
    });
    return id;
  };

  config.regions.forEach((region, r) => {
    let parent = add('cluster', region, ['regions', r], [], buildCluster(config, region));
    if (meshEnabled(config)) parent = add('mesh', region, ['mesh', 'istio'], [parent], buildMesh(config, region), undefined);
    if (observabilityEnabled(config)) parent = add('observability', region, ['observability'], [parent], buildObservability(config, region));
    config.tenants.forEach((tenant, t) => {
      const tenantId = add('tenant', region, ['tenants', t], [parent], buildTenant(config, region, tenant), tenant.name);
      config.services.forEach((service, s) => {
        if (service.tenant !== tenant.name) return;
        if (service.regions && !service.regions.includes(region.name)) return;
        add('app', region, ['services', s], [tenantId], buildApp(config, region, tenant, service), tenant.name, service.name);
      });
    });
  });
  // A primary's backup bucket replicates into the DR region's bucket, which must exist first.
  for (const s of out) {
    for (const intent of s.cloud) {
      if (intent.kind === 'backupBucket' && intent.replicateTo) {
        const target = stackId('cluster', intent.replicateTo.region);
        if (target !== s.id && !s.dependsOn.includes(target)) s.dependsOn.push(target);
      }
    }
  }
  return out;
}

/** Stacks in an order where every stack comes after its dependencies (the planner already emits one). */
export function topoOrder(stacks: StackInstance[]): StackInstance[] {
  const byId = new Map(stacks.map((s) => [s.id, s]));
  const seen = new Set<string>();
  const order: StackInstance[] = [];
  const visit = (s: StackInstance): void => {
    if (seen.has(s.id)) return;
    seen.add(s.id);
    for (const d of s.dependsOn) {
      const dep = byId.get(d);
      if (dep) visit(dep);
    }
    order.push(s);
  };
  stacks.forEach(visit);
  return order;
}
