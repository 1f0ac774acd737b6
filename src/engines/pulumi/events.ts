/**
 * Automation API engine events → our typed EngineEvents and one StackResult. Only our Kubernetes
 * objects are counted (the provider resource and the stack itself are bookkeeping).
 */
import { stripVTControlCharacters } from 'node:util';
import type { EngineEvent as PulumiEvent, StepEventMetadata, StepEventStateMetadata } from '@pulumi/pulumi/automation/index.js';
import { emptyCounts, type EngineEvent, type Operation, type ResourceChange, type ResourceOp, type StackResult, type StackStatus } from '../types.js';
import { propertyPathToPointer } from './paths.js';
import type { ErrorInfo } from '../../errors.js';
import type { KubeObject } from '../../objects/model.js';
import type { FieldDiff } from '../../objects/diff.js';
import { objectName, objectType } from '../../objects/identity.js';
import { valueAt } from '../../objects/pointer.js';
import { isSecretPath, redactViews, REDACTED, SecretScrubber } from '../../objects/secrets.js';
import { OBJECT_TYPE } from './state.js';

const OPS: Record<string, ResourceOp | undefined> = {
  same: 'same',
  create: 'create',
  update: 'update',
  replace: 'replace',
  delete: 'delete',
  // A replacement shows as create-replacement + replace + delete-replaced; count it once (as `replace`).
  'create-replacement': undefined,
  'delete-replaced': undefined,
};

const DIAGNOSTIC_SEVERITIES = new Set(['info', 'info#err', 'warning', 'error']);

/**
 * A step's old or new state as the engine sends it: Go's nil maps arrive as `null` (`inputs` and
 * `outputs` have no omitempty in apitype.StepEventStateMetadata), which the SDK's types do not admit.
 */
interface StepState {
  inputs: Record<string, unknown> | null;
  outputs: Record<string, unknown> | null;
}
const stateOf = (state: StepEventStateMetadata | undefined): StepState | undefined => state;

/** Per-field diff of one step: the provider's detailed diff paths, values from the step's old/new state. */
export function fieldDiffs(meta: StepEventMetadata): FieldDiff[] {
  const detailed = meta.detailedDiff ?? {};
  const [before, after] = [stateOf(meta.old), stateOf(meta.new)];
  const oldManifest = (before?.outputs?.live ?? before?.inputs?.manifest) as KubeObject | undefined;
  const newManifest = after?.inputs?.manifest as KubeObject | undefined;
  const manifest = newManifest ?? oldManifest;
  const out: FieldDiff[] = [];
  for (const [path, d] of Object.entries(detailed)) {
    const { root, pointer } = propertyPathToPointer(path);
    if (root !== 'manifest') continue;
    // Secret data is not in the manifests (it travels as a Pulumi secret): that a value is there on
    // each side comes from the diff kind, and the policy shows it as [secret].
    const secret = manifest !== undefined && isSecretPath(manifest, pointer);
    const oldValue = d.diffKind.startsWith('add') ? undefined : secret ? REDACTED : valueAt(oldManifest, pointer);
    const newValue = d.diffKind.startsWith('delete') ? undefined : secret ? REDACTED : valueAt(newManifest, pointer);
    const entry: FieldDiff = { path: pointer };
    if (oldValue !== undefined) entry.old = oldValue;
    if (newValue !== undefined) entry.new = newValue;
    out.push(manifest ? redactViews(manifest, entry, ['old', 'new']) : entry);
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

export class ResultCollector {
  private readonly changes = new Map<string, ResourceChange>();
  private readonly counts = emptyCounts();
  private readonly errors: string[] = [];

  private readonly scrubber = new SecretScrubber();

  constructor(
    private readonly stackId: string,
    private readonly operation: Operation,
    private readonly emit: (event: EngineEvent) => void,
  ) {}

  /** Values scrubbed from every message (and their base64 forms), whatever printed them. */
  redactValues(values: string[]): void {
    this.scrubber.add(values);
  }

  private scrub(message: string): string {
    return this.scrubber.scrub(message);
  }

  handle(event: PulumiEvent): void {
    if (event.diagnosticEvent) {
      const d = event.diagnosticEvent;
      // SDK debug chatter (it prints resource inputs, secrets included) is never passed on.
      if (!DIAGNOSTIC_SEVERITIES.has(d.severity) || d.ephemeral) return;
      const message = this.scrub(cleanMessage(d.message));
      if (!message) return;
      const severity = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'info';
      if (severity === 'error') this.errors.push(message);
      this.emit({ type: 'diagnostic', stack: this.stackId, severity, message });
      return;
    }
    const pre = event.resourcePreEvent?.metadata;
    if (pre) {
      this.step(pre, 'planned');
      return;
    }
    const done = event.resOutputsEvent?.metadata;
    if (done) {
      this.step(done, this.operation === 'plan' ? 'planned' : 'done');
      return;
    }
    const failed = event.resOpFailedEvent?.metadata;
    if (failed) {
      this.step(failed, 'failed');
      return;
    }
  }

  private step(meta: StepEventMetadata, phase: 'planned' | 'done' | 'failed'): void {
    if (meta.type !== OBJECT_TYPE) return;
    const op = OPS[meta.op];
    if (!op) return;
    const manifest = (stateOf(meta.new)?.inputs?.manifest ?? stateOf(meta.old)?.inputs?.manifest) as KubeObject | undefined;
    if (!manifest) return;
    const change: ResourceChange = {
      op,
      type: objectType(manifest),
      name: objectName(manifest),
      diff: op === 'update' || op === 'replace' ? fieldDiffs(meta) : [],
    };
    const key = meta.urn;
    if (!this.changes.has(key)) this.counts[op]++;
    else if (this.changes.get(key)!.op !== op) {
      this.counts[this.changes.get(key)!.op]--;
      this.counts[op]++;
    }
    // The pre-event carries the detailed diff; keep it when the outputs event has none.
    const previous = this.changes.get(key);
    if (previous && change.diff.length === 0) change.diff = previous.diff;
    this.changes.set(key, change);
    if (op !== 'same') this.emit({ type: 'resource', stack: this.stackId, change, phase });
  }

  result(status?: StackStatus, error?: ErrorInfo): StackResult {
    const changed = this.counts.create + this.counts.update + this.counts.replace + this.counts.delete > 0;
    const resources = [...this.changes.values()].filter((c) => c.op !== 'same').sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
    const finalStatus: StackStatus = status ?? (this.operation === 'plan' && changed ? 'changes' : 'ok');
    const result: StackResult = { id: this.stackId, engine: 'pulumi', status: finalStatus, changes: { ...this.counts }, resources };
    if (finalStatus === 'failed') {
      const e = error ?? { kind: 'external' as const, message: this.errors[0] ?? 'the pulumi operation failed' };
      result.error = { ...e, message: this.scrub(e.message), ...(e.hint ? { hint: this.scrub(e.hint) } : {}) };
    }
    return result;
  }

  firstError(): string | undefined {
    return this.errors[0];
  }
}

/** One line, no ANSI colour, no pulumi boilerplate. */
export function cleanMessage(message: string): string {
  const plain = stripVTControlCharacters(message).replace(/<\{%reset%\}>|<\{%[^%]*%\}>/g, '');
  const lines = plain
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(error|warning): ?$/.test(l));
  return lines
    .join(' ')
    .replace(/^error: /, '')
    .replace(/\s+/g, ' ')
    .trim();
}
