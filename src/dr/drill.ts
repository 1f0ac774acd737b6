/**
 * `platform dr drill --from A --to B` on local regions: a real failover, measured.
 *   1. snapshot every object of A's tenant namespaces (including ones no stack manages, Secrets with
 *      their data) into `.platform/backups/<timestamp>/` in Velero's layout
 *      (`resources/<resource>.<group>/namespaces/<ns>/<name>.json`);
 *   2. stop A's control plane (the disaster);
 *   3. restore the snapshot into B (objects B already has are left alone, as Velero's default policy)
 *      and wait until every restored Deployment is Available;
 *   4. make B primary: the gateway hosts point at B (recorded on B's Gateways and in the drill state).
 * The report holds the measured time to recovery against rtoMinutes and the backup's age at the
 * disaster against rpoMinutes. `--revert` undoes all of it from `.platform/dr/drill.json`.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlatformConfig } from '../config/schema.js';
import { UsageError } from '../errors.js';
import { kubeAccess } from '../kube/access.js';
import { KubeClient, withoutServerFields, type ObjectRef } from '../kube/client.js';
import { localDown, localUp } from '../local/index.js';
import type { KubeObject } from '../objects/model.js';

/** Kinds a restore must not copy: controllers and the API server recreate them. */
const NOT_RESTORED = new Set([
  'Pod',
  'ReplicaSet',
  'Endpoints',
  'EndpointSlice',
  'Event',
  'ControllerRevision',
  'Lease',
  'PodMetrics',
  'LocalSubjectAccessReview',
  'Binding',
]);
/** Objects every namespace gets by itself. */
const NAMESPACE_DEFAULTS = (o: KubeObject) =>
  (o.kind === 'ConfigMap' && (o.metadata.name === 'kube-root-ca.crt' || o.metadata.name === 'istio-ca-root-cert')) ||
  (o.kind === 'ServiceAccount' && o.metadata.name === 'default');
export const ACTIVE_ANNOTATION = 'platform.dev/dr-active';

export interface DrillReport {
  version: 1;
  from: string;
  to: string;
  backup: { dir: string; takenAt: string; objects: number };
  restored: { created: number; existing: number };
  gatewayHosts: string[];
  timeToRecoverySeconds: number;
  rtoMinutes: number;
  rtoMet: boolean;
  backupAgeSeconds: number;
  rpoMinutes: number;
  rpoMet: boolean;
}

interface DrillState {
  from: string;
  to: string;
  created: ObjectRef[];
  gateways: ObjectRef[];
}

export const drillStateFile = (projectDir: string): string => join(projectDir, '.platform', 'dr', 'drill.json');
const backupsDir = (projectDir: string): string => join(projectDir, '.platform', 'backups');

function checkRegions(config: PlatformConfig, from: string, to: string) {
  const a = config.regions.find((r) => r.name === from);
  const b = config.regions.find((r) => r.name === to);
  if (!a || !b) throw new UsageError(`unknown region ${!a ? from : to}`, [], `Regions: ${config.regions.map((r) => r.name).join(', ')}.`);
  if (a.cloud !== 'local' || b.cloud !== 'local')
    throw new UsageError(
      'dr drill runs on local regions only',
      [],
      "In the cloud, rehearse with your provider's tooling; `platform dr check` verifies the invariants.",
    );
  if (from === to) throw new UsageError('--from and --to name the same region');
  if (!config.dr) throw new UsageError('dr drill needs a dr: block (rpoMinutes, rtoMinutes)');
  return { a, b, dr: config.dr };
}

export async function drill(
  config: PlatformConfig,
  projectDir: string,
  from: string,
  to: string,
  onStep: (line: string) => void = () => {},
): Promise<DrillReport> {
  const { a, b, dr } = checkRegions(config, from, to);
  if (existsSync(drillStateFile(projectDir))) throw new UsageError('a drill is already in progress', [], 'Run `platform dr drill --revert` first.');
  const source = await KubeClient.connect(kubeAccess(config, a, projectDir));
  const target = await KubeClient.connect(kubeAccess(config, b, projectDir));
  try {
    // 1. Snapshot.
    onStep(`snapshot of ${from}'s tenant namespaces`);
    const takenAt = new Date();
    const dir = join(backupsDir(projectDir), takenAt.toISOString().replace(/[:.]/g, '-'));
    const namespaces = config.tenants.map((t) => t.name);
    const kinds = (await source.listableNamespacedKinds()).filter((k) => !NOT_RESTORED.has(k.kind));
    const objects: Array<{ object: KubeObject; resource: string }> = [];
    for (const ns of namespaces) {
      const lists = await Promise.all(kinds.map(async (k) => ({ k, items: await source.list(k.apiVersion, k.kind, ns).catch(() => []) })));
      for (const { k, items } of lists) {
        for (const o of items)
          if (!(o.metadata.ownerReferences as unknown[] | undefined)?.length && !NAMESPACE_DEFAULTS(o))
            objects.push({ object: o, resource: k.resource + (k.apiVersion.includes('/') ? `.${k.apiVersion.split('/')[0]}` : '') });
      }
    }
    writeBackup(dir, takenAt, objects);

    // 2. The disaster.
    onStep(`stopping ${from}'s control plane`);
    const disaster = Date.now();
    await localDown(config, projectDir, { regions: [from] });

    // 3. Restore, then wait until the restored workloads serve.
    onStep(`restoring ${objects.length} objects into ${to}`);
    const created: ObjectRef[] = [];
    let existing = 0;
    for (const object of sortForRestore(objects.map((x) => x.object))) {
      const clean = forRestore(object);
      if ((await target.createIfAbsent(clean)) === 'created')
        created.push({ apiVersion: clean.apiVersion, kind: clean.kind, name: clean.metadata.name, namespace: clean.metadata.namespace });
      else existing++;
    }
    const deployments = objects.map((x) => x.object).filter((o) => o.kind === 'Deployment');
    await Promise.all(deployments.map((d) => target.waitForDeploymentAvailable(d.metadata.namespace!, d.metadata.name, { timeoutMs: dr.rtoMinutes * 60_000 })));

    // 4. B is primary: its gateways carry the hosts now.
    const gateways = await target.list('networking.istio.io/v1', 'Gateway', undefined).catch(() => []);
    const gatewayRefs: ObjectRef[] = [];
    for (const g of gateways) {
      await target.apply(
        {
          apiVersion: g.apiVersion,
          kind: g.kind,
          metadata: { name: g.metadata.name, namespace: g.metadata.namespace, annotations: { [ACTIVE_ANNOTATION]: `failover from ${from}` } },
        },
        { fieldManager: 'platform-dr' },
      );
      gatewayRefs.push({ apiVersion: g.apiVersion, kind: g.kind, name: g.metadata.name, namespace: g.metadata.namespace });
    }
    const recovered = Date.now();
    const state: DrillState = { from, to, created, gateways: gatewayRefs };
    mkdirSync(join(projectDir, '.platform', 'dr'), { recursive: true });
    writeFileSync(drillStateFile(projectDir), JSON.stringify(state, null, 2));

    const ttr = (recovered - disaster) / 1000;
    const age = (disaster - takenAt.getTime()) / 1000;
    return {
      version: 1,
      from,
      to,
      backup: { dir, takenAt: takenAt.toISOString(), objects: objects.length },
      restored: { created: created.length, existing },
      gatewayHosts: config.mesh?.istio?.enabled ? (config.mesh.istio.gateway?.hosts ?? []) : [],
      timeToRecoverySeconds: Math.round(ttr * 10) / 10,
      rtoMinutes: dr.rtoMinutes,
      rtoMet: ttr <= dr.rtoMinutes * 60,
      backupAgeSeconds: Math.round(age * 10) / 10,
      rpoMinutes: dr.rpoMinutes,
      rpoMet: age <= dr.rpoMinutes * 60,
    };
  } finally {
    source.close();
    target.close();
  }
}

/** Undo a drill: start the original primary again, remove what the restore created, un-mark the gateways. */
export interface DrillRevert {
  version: 1;
  from: string;
  to: string;
  removed: number;
}

export async function revertDrill(config: PlatformConfig, projectDir: string, onStep: (line: string) => void = () => {}): Promise<DrillRevert> {
  const file = drillStateFile(projectDir);
  if (!existsSync(file)) throw new UsageError('no drill to revert', [], 'Start one with `platform dr drill --from A --to B`.');
  const state = JSON.parse(readFileSync(file, 'utf8')) as DrillState;
  const { b } = checkRegions(config, state.from, state.to);
  onStep(`starting ${state.from}'s control plane`);
  await localUp(config, projectDir);
  const target = await KubeClient.connect(kubeAccess(config, b, projectDir));
  try {
    onStep(`removing ${state.created.length} restored objects from ${state.to}`);
    for (const ref of [...state.created].reverse()) await target.deleteAndWait(ref, { timeoutMs: 120_000 });
    for (const g of state.gateways) {
      const live = await target.get(g);
      if (!live) continue;
      // Giving up the field (apply without it) removes the annotation the drill's manager owned.
      await target.apply({ apiVersion: g.apiVersion, kind: g.kind, metadata: { name: g.name, namespace: g.namespace } }, { fieldManager: 'platform-dr' });
    }
  } finally {
    target.close();
  }
  rmSync(file);
  return { version: 1, from: state.from, to: state.to, removed: state.created.length };
}

function writeBackup(dir: string, takenAt: Date, objects: Array<{ object: KubeObject; resource: string }>): void {
  // Backups hold Secret data, as Velero's do: readable by the owner only.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  writeFileSync(
    join(dir, 'metadata.json'),
    JSON.stringify({ version: 1, format: 'velero-like', takenAt: takenAt.toISOString(), objects: objects.length }, null, 2),
    { mode: 0o600 },
  );
  for (const { object, resource } of objects) {
    const d = join(dir, 'resources', resource, 'namespaces', object.metadata.namespace!);
    mkdirSync(d, { recursive: true, mode: 0o700 });
    writeFileSync(join(d, `${object.metadata.name}.json`), JSON.stringify(object), { mode: 0o600 });
  }
}

/** Objects as they should be created elsewhere: no server fields, no cluster-assigned addresses. */
function forRestore(o: KubeObject): KubeObject {
  const clean = withoutServerFields(o);
  if (clean.kind === 'Service') {
    const spec = { ...(clean.spec as Record<string, unknown>) };
    delete spec.clusterIP;
    delete spec.clusterIPs;
    clean.spec = spec;
  }
  return clean;
}

/** ServiceAccounts, config and secrets before the workloads that mount them. */
function sortForRestore(objects: KubeObject[]): KubeObject[] {
  const rank = (o: KubeObject) => ['ServiceAccount', 'Secret', 'ConfigMap', 'Role', 'RoleBinding'].indexOf(o.kind) + 1 || 99;
  return [...objects].sort((x, y) => rank(x) - rank(y));
}
