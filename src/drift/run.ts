/**
 * `platform drift`: Git at a ref → synthesized stacks; engine state → what was applied; the API server
 * of each region → what is live. Three comparisons per stack (compare.ts), noise control (noise.ts),
 * one report. A region whose API server cannot be read makes its stacks `error`; the other regions are
 * still checked. Nothing is written anywhere.
 */
import { performance } from 'node:perf_hooks';
import type { Region } from '../config/schema.js';
import { combineExitCodes, ExitCode, isPlatformError } from '../errors.js';
import { loadConfigAtRef } from '../git/index.js';
import { ClusterNotCreatedError, resolveKubeAccess } from '../kube/access.js';
import { KubeClient } from '../kube/client.js';
import { planStacks } from '../stacks/plan.js';
import { selectStacks } from '../stacks/select.js';
import type { StackInstance } from '../stacks/types.js';
import { controlPlaneFor } from '../engines/crds.js';
import { liveFindings, pendingFindings, unmanagedFindings, type GitObject } from './compare.js';
import { LiveRequests, LiveView, UNMANAGED_SCAN_KINDS, type LiveStats } from './live.js';
import { applyIgnoreRules, hpaTargetKey, type PresetContext } from './noise.js';
import { engineDescriptor } from '../engines/registry.js';
import type { StackState, StateReader } from '../engines/types.js';
import { resolveStateLocation } from '../state/location.js';
import { openStateStore } from '../state/store.js';
import { type DriftFinding, type DriftReport, type StackDrift } from './types.js';
import type { KubeObject } from '../objects/model.js';
import { objectKey } from '../objects/identity.js';

export interface DriftOptions {
  configFile: string;
  /** Git ref; default: the upstream of the current branch, else HEAD. */
  ref?: string;
  stackIds?: string[];
  /** List calls in flight per region. */
  concurrency?: number;
}

export interface DriftTimings {
  gitMs: number;
  synthMs: number;
  stateMs: number;
  liveMs: number;
  compareMs: number;
}

export interface DriftResult {
  report: DriftReport;
  timings: DriftTimings;
  /** Per region: list calls made and objects read. */
  live: Record<string, LiveStats>;
}

interface StackWork {
  id: string;
  region?: Region;
  layer?: StackInstance['layer'];
  tenant?: string;
  /** Desired objects at the ref (undefined: the stack is not in Git any more). */
  git?: GitObject[];
  state?: StackState;
  error?: string;
}

const errorText = (e: unknown): string => {
  if (isPlatformError(e)) return 'hint' in e && e.hint ? `${e.message} (${e.hint})` : e.message;
  return e instanceof Error ? e.message : String(e);
};

/** Desired objects of a stack as the engines apply them: the stack's CRDs (local regions), then its objects. */
function desiredObjects(stack: StackInstance): GitObject[] {
  const seen = new Set<string>();
  const out: GitObject[] = [];
  for (const o of [...controlPlaneFor(stack).map((manifest) => ({ manifest })), ...stack.objects]) {
    const key = objectKey(o.manifest);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(o);
  }
  return out;
}

export async function checkDrift(opts: DriftOptions): Promise<DriftResult> {
  const mark = (() => {
    let last = performance.now();
    return () => {
      const now = performance.now();
      const ms = now - last;
      last = now;
      return Math.round(ms * 10) / 10;
    };
  })();

  // Git: config at the ref (usage errors — bad ref, invalid config — throw: exit 2).
  const loaded = loadConfigAtRef(opts.configFile, opts.ref);
  const { config, projectDir } = loaded;
  const gitMs = mark();
  // A bucket's store loads its cloud SDK: start that now, beside synthesis (errors surface below).
  const location = resolveStateLocation(config.state, projectDir);
  const opening = openStateStore(location);
  opening.catch(() => undefined);

  // Synthesis.
  const planned = selectStacks(planStacks(config), opts.stackIds);
  const work: StackWork[] = planned.map((s) => {
    const w: StackWork = { id: s.id, region: s.region, layer: s.layer, tenant: s.tenant };
    try {
      w.git = desiredObjects(s);
    } catch (e) {
      w.error = errorText(e);
    }
    return w;
  });
  const synthMs = mark();

  // State (and stacks still applied but gone from Git, when every stack is checked).
  const engine = await engineDescriptor(config.engine);
  let reader: StateReader | undefined;
  let stateIds: string[] = [];
  try {
    reader = engine.stateReader({ projectDir, project: config.name, state: location }, await opening);
    if (!opts.stackIds?.length) stateIds = await reader.stackIds();
  } catch (e) {
    reader = undefined;
    for (const w of work) w.error ??= errorText(e);
  }
  if (reader) {
    if (!opts.stackIds?.length) {
      const known = new Set(work.map((w) => w.id));
      for (const id of stateIds.sort()) {
        if (known.has(id)) continue;
        const [layer, regionName, tenant] = id.split('/');
        const region = config.regions.find((r) => r.name === regionName);
        work.push({
          id,
          region,
          layer: layer as StackInstance['layer'],
          tenant,
          ...(region
            ? {}
            : { error: `region "${regionName}" is not in platform.yaml at ${loaded.ref} any more; its state cannot be checked against a cluster` }),
        });
      }
    }
    const stateReader = reader;
    await Promise.all(
      work.map(async (w) => {
        if (w.error) return;
        try {
          w.state = await stateReader.read(w.id);
        } catch (e) {
          w.error = errorText(e);
        }
      }),
    );
  }
  const stateMs = mark();

  // Live: every region at once, bulk lists inside each.
  const regions = new Map<string, { region: Region; stacks: StackWork[] }>();
  for (const w of work) {
    if (w.error || !w.region) continue;
    const entry = regions.get(w.region.name) ?? { region: w.region, stacks: [] };
    entry.stacks.push(w);
    regions.set(w.region.name, entry);
  }
  const views = new Map<string, LiveView>();
  const liveStats: Record<string, LiveStats> = {};
  await Promise.all(
    [...regions.values()].map(async ({ region, stacks }) => {
      const requests = new LiveRequests();
      for (const w of stacks) {
        for (const o of w.state?.objects ?? []) requests.add(o.apiVersion, o.kind, o.metadata.namespace);
        if (w.layer === 'tenant' && w.tenant) {
          const namespacedKinds = new Map<string, [string, string]>(UNMANAGED_SCAN_KINDS.map(([a, k]) => [k, [a, k]]));
          for (const o of [...(w.git ?? []).map((g) => g.manifest), ...(w.state?.objects ?? [])])
            if (o.metadata.namespace) namespacedKinds.set(o.kind, [o.apiVersion, o.kind]);
          for (const s of stacks)
            for (const g of s.git ?? [])
              if (g.manifest.metadata.namespace === w.tenant) namespacedKinds.set(g.manifest.kind, [g.manifest.apiVersion, g.manifest.kind]);
          for (const [apiVersion, kind] of namespacedKinds.values()) requests.add(apiVersion, kind, w.tenant);
        }
      }
      let client: KubeClient | undefined;
      try {
        // A cloud region: its cluster stack's kubeconfig output, read from state and held in memory.
        const readOutput = reader ? reader.output.bind(reader) : () => Promise.resolve(undefined);
        client = await KubeClient.connect(await resolveKubeAccess(config, region, projectDir, readOutput));
        const view = await LiveView.read(client, requests.requests, opts.concurrency ?? 8);
        views.set(region.name, view);
        liveStats[region.name] = view.stats;
      } catch (e) {
        const message =
          e instanceof ClusterNotCreatedError ? `region ${region.name}: ${errorText(e)}` : `region ${region.name}: cannot read the API server: ${errorText(e)}`;
        for (const w of stacks) w.error = message;
      } finally {
        client?.close();
      }
    }),
  );
  const liveMs = mark();

  // Compare.
  const results: StackDrift[] = [];
  const presetContexts = new Map<string, PresetContext>();
  const knownByRegion = new Map<string, Set<string>>();
  for (const [name, { stacks }] of regions) {
    const hpaTargets = new Set<string>();
    const known = new Set<string>();
    const view = views.get(name);
    const hpas: KubeObject[] = [];
    for (const w of stacks) {
      for (const g of w.git ?? []) {
        known.add(objectKey(g.manifest));
        if (g.manifest.kind === 'HorizontalPodAutoscaler') hpas.push(g.manifest);
      }
      for (const o of w.state?.objects ?? []) {
        known.add(objectKey(o));
        if (o.kind === 'HorizontalPodAutoscaler') hpas.push(o);
      }
    }
    if (view) for (const o of view.all()) if (o.kind === 'HorizontalPodAutoscaler') hpas.push(o);
    for (const h of hpas) {
      const target = (h.spec as { scaleTargetRef?: { kind?: string; name?: string } } | undefined)?.scaleTargetRef;
      if (target?.kind && target.name) hpaTargets.add(hpaTargetKey(h.metadata.namespace, target.kind, target.name));
    }
    presetContexts.set(name, { hpaTargets });
    knownByRegion.set(name, known);
  }

  const own = engine.fieldManager;
  const ignore = config.drift?.ignore ?? [];
  for (const w of work) {
    if (w.error || !w.region || !w.state) {
      results.push({ id: w.id, status: 'error', error: w.error ?? 'no state could be read', findings: [] });
      continue;
    }
    const view = views.get(w.region.name)!;
    const findings: DriftFinding[] = [
      ...pendingFindings(w.git ?? [], w.state.objects, w.state.stubDigests),
      ...liveFindings(w.state.objects, (o) => view.get(o), own, presetContexts.get(w.region.name)!),
    ];
    if (w.layer === 'tenant' && w.tenant) {
      const inNamespace = [...view.all()].filter((o) => o.metadata.namespace === w.tenant);
      findings.push(...unmanagedFindings(inNamespace, config.name, knownByRegion.get(w.region.name)!));
    }
    const kept = applyIgnoreRules(findings, ignore);
    results.push({ id: w.id, status: kept.length ? 'drift' : 'clean', findings: kept });
  }
  const compareMs = mark();

  const exitCode = combineExitCodes(results.map((r) => (r.status === 'error' ? ExitCode.failure : r.status === 'drift' ? ExitCode.changes : ExitCode.ok)));
  return {
    report: { version: 1, ref: loaded.ref, exitCode, stacks: results },
    timings: { gitMs, synthMs, stateMs, liveMs, compareMs },
    live: liveStats,
  };
}
