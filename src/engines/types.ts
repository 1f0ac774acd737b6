/**
 * The one Engine interface and its typed event union. Engines never print: they emit these events and
 * return a StackResult; commands render both (listr2 on stderr, or one JSON document on stdout).
 */
import type { PlatformConfig } from '../config/schema.js';
import type { FieldDiff } from '../objects/diff.js';
import type { StackInstance } from '../stacks/types.js';

export type Operation = 'plan' | 'apply' | 'destroy' | 'refresh';
export type ResourceOp = 'create' | 'update' | 'replace' | 'delete' | 'same';
export type StackStatus = 'ok' | 'changes' | 'failed' | 'skipped';

export interface ResourceChange {
  op: ResourceOp;
  /** e.g. `apps/v1:Deployment` for Kubernetes objects, the provider type for cloud resources. */
  type: string;
  /** `namespace/name` for namespaced objects, `name` otherwise. */
  name: string;
  diff: FieldDiff[];
}

export type ChangeCounts = Record<ResourceOp, number>;
export const emptyCounts = (): ChangeCounts => ({ create: 0, update: 0, replace: 0, delete: 0, same: 0 });

export interface StackResult {
  id: string;
  engine: string;
  status: StackStatus;
  changes: ChangeCounts;
  resources: ResourceChange[];
  error?: string;
}

export type EngineEvent =
  | { type: 'started'; stack: string; operation: Operation }
  | { type: 'resource'; stack: string; change: ResourceChange; phase: 'planned' | 'done' | 'failed' }
  | { type: 'diagnostic'; stack: string; severity: 'info' | 'warning' | 'error'; message: string }
  | { type: 'finished'; stack: string; result: StackResult };

export interface RunContext {
  /** Project directory (where platform.yaml lives); state and work dirs go under `<dir>/.platform/`. */
  projectDir: string;
  config: PlatformConfig;
  onEvent: (event: EngineEvent) => void;
  signal?: AbortSignal;
  /** Force server-side-apply conflicts (only when the user asks). */
  force?: boolean;
}

export interface StackEngine {
  readonly name: 'pulumi' | 'terraform';
  plan(stack: StackInstance, ctx: RunContext): Promise<StackResult>;
  apply(stack: StackInstance, ctx: RunContext): Promise<StackResult>;
  destroy(stack: StackInstance, ctx: RunContext): Promise<StackResult>;
}

/** What `platform synth` reports per stack (the resources an engine program registers or declares). */
export interface SynthResource {
  type: string;
  name: string;
}
