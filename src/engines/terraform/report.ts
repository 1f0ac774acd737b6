/**
 * `tofu show -json <planfile>` → the engine-neutral ResourceChange list. The kubectl provider only shows
 * an opaque `yaml_incluster` fingerprint, so per-field diffs come from the manifests themselves: the
 * `yaml_body` in state (before) against the one planned (after). Secret data is redacted here, before
 * anything leaves the engine.
 */
import { parse as parseYaml } from 'yaml';
import type { ResourceChange, ResourceOp } from '../types.js';
import type { SynthObject, SynthStack } from './synth.js';
import type { TofuMessage } from './tofu.js';
import type { KubeObject } from '../../objects/model.js';
import { diffJson, type FieldDiff } from '../../objects/diff.js';
import { objectName, objectType } from '../../objects/identity.js';
import { redactViews } from '../../objects/secrets.js';

interface ManifestValues {
  yaml_body?: string;
  yaml_incluster?: string;
  force_conflicts?: boolean;
  [key: string]: unknown;
}

interface PlanResourceChange {
  address: string;
  mode: string;
  type: string;
  change: { actions: string[]; before: ManifestValues | null; after: ManifestValues | null };
}

export interface ShowPlan {
  resource_changes?: PlanResourceChange[];
}

export interface PlannedChanges {
  changes: ResourceChange[];
  /** Addresses whose live object differs while the manifest did not change (changed out of band). */
  drifted: string[];
}

export function changesFromPlan(plan: ShowPlan, objects: SynthObject[]): PlannedChanges {
  const byAddress = new Map(objects.map((o) => [o.address, o]));
  const changes: ResourceChange[] = [];
  const drifted: string[] = [];
  for (const rc of plan.resource_changes ?? []) {
    // The engine's own placeholder that defers a fresh estate's cluster-state read (synth.ts): not the user's.
    if (rc.type === 'terraform_data') continue;
    if (rc.mode === 'managed' && rc.type !== 'kubectl_manifest') {
      // A cluster stack's cloud resources (src/clouds): by Terraform type and name, without field diffs
      // (provider values such as an AKS kube_config are credentials).
      const cloudOp = opOf(rc.change.actions);
      if (cloudOp) changes.push({ op: cloudOp, type: rc.type, name: rc.address.slice(rc.type.length + 1), diff: [] });
      continue;
    }
    if (rc.mode !== 'managed') continue;
    let op = opOf(rc.change.actions);
    if (!op) continue;
    const before = parseBody(rc.change.before?.yaml_body);
    const after = parseBody(rc.change.after?.yaml_body);
    const known = byAddress.get(rc.address);
    const manifest = after ?? before;
    const type = known?.type ?? (manifest ? objectType(manifest) : rc.type);
    const name = known?.name ?? (manifest ? objectName(manifest) : rc.address);
    let diff: FieldDiff[] = [];
    if (op === 'update' || op === 'replace') {
      diff = diffJson(before, after);
      if (diff.length === 0 && op === 'update') {
        const liveChanged = rc.change.before?.yaml_incluster !== rc.change.after?.yaml_incluster;
        // Only our own bookkeeping attributes moved (e.g. force_conflicts after a --force run): the
        // object itself is unchanged, and reporting it would make a clean stack look dirty.
        if (!liveChanged) op = 'same';
        else drifted.push(rc.address);
      }
    }
    // Secret values never leave the engine (the secret policy); a Secret whose every value is in
    // sensitive variables is one too, whatever its manifest says.
    const shownAs = known?.secret ? { apiVersion: 'v1', kind: 'Secret' } : (manifest ?? { apiVersion: '', kind: rc.type });
    changes.push({ op, type, name, diff: diff.map((d) => redactViews(shownAs, d, ['old', 'new'])) });
  }
  return { changes, drifted };
}

/** The addresses and actions of a plan's streamed `planned_change` lines. */
function streamedActions(messages: TofuMessage[]): Map<string, string> {
  const actions = new Map<string, string>();
  for (const m of messages)
    if (m.type === 'planned_change' && m.change?.resource?.addr && m.change.action) actions.set(m.change.resource.addr, m.change.action);
  return actions;
}

/** How deletesFromStream names a delete it has no manifest for: by its Terraform address. */
export const UNNAMED_DELETE = 'kubectl_manifest';

/**
 * A destroy plan's deletes from the streamed `planned_change` lines, named by the synthesized objects;
 * a Kubernetes object no longer synthesized (a pruned stack, one dropped from the config) by the manifest it was
 * applied with (`applied`: address → manifest, from the state), else by its address.
 */
export function deletesFromStream(messages: TofuMessage[], synth: Pick<SynthStack, 'objects'>, applied?: ReadonlyMap<string, KubeObject>): ResourceChange[] {
  const byAddress = new Map(synth.objects.map((o) => [o.address, o]));
  return [...streamedActions(messages)]
    .filter(([addr, action]) => action === 'delete' && !addr.startsWith('terraform_data.'))
    .map(([addr]) => {
      const known = byAddress.get(addr);
      if (known) return { op: 'delete' as const, type: known.type, name: known.name, diff: [] };
      // A cluster stack's cloud resources: by Terraform type and name, as changesFromPlan names them.
      if (!addr.startsWith(`${UNNAMED_DELETE}.`)) {
        const type = addr.slice(0, addr.indexOf('.'));
        return { op: 'delete' as const, type, name: addr.slice(type.length + 1), diff: [] };
      }
      const manifest = applied?.get(addr);
      if (manifest) return { op: 'delete' as const, type: objectType(manifest), name: objectName(manifest), diff: [] };
      return { op: 'delete' as const, type: UNNAMED_DELETE, name: addr, diff: [] };
    });
}

/**
 * A plan that only creates synthesized objects, from its streamed lines: what `tofu show` would give
 * (creates have no field diffs, the rest is unchanged), without the second tofu run. Undefined when
 * the plan does anything else (an update's diff and a delete's name need the manifests in the plan) or
 * the stack has cloud resources (`show` names those).
 */
export function createsFromStream(messages: TofuMessage[], synth: Pick<SynthStack, 'objects' | 'resources'>): ResourceChange[] | undefined {
  if (synth.resources.length !== synth.objects.length) return undefined;
  const actions = streamedActions(messages);
  const known = new Set(synth.objects.map((o) => o.address));
  for (const [addr, action] of actions) if (action !== 'create' || !known.has(addr)) return undefined;
  return synth.objects.map((o) => ({ op: actions.has(o.address) ? 'create' : 'same', type: o.type, name: o.name, diff: [] }));
}

function opOf(actions: string[]): ResourceOp | undefined {
  const a = actions.join(',');
  if (a === 'no-op') return 'same';
  if (a === 'create') return 'create';
  if (a === 'update') return 'update';
  if (a === 'delete') return 'delete';
  if (a === 'delete,create' || a === 'create,delete') return 'replace';
  return undefined; // read, forget: nothing a user applies
}

function parseBody(body: string | undefined): KubeObject | undefined {
  if (typeof body !== 'string' || body === '') return undefined;
  // We write JSON bodies (JSON.parse is far faster on large CRDs); YAML for objects the provider imported.
  try {
    return JSON.parse(body) as KubeObject;
  } catch {
    try {
      return parseYaml(body) as KubeObject;
    } catch {
      return undefined;
    }
  }
}
