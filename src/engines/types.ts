/**
 * The one Engine interface, its light descriptor and its typed event union. Engines never print: they
 * emit these events and return a StackResult; commands render both (listr2 on stderr, or one JSON
 * document on stdout). Everything engine-specific lives in one folder per engine behind these types,
 * reached through the registry (registry.ts).
 */
import type { CloudName } from '../clouds/common.js';
import type { PlatformConfig } from '../config/schema.js';
import type { ErrorInfo } from '../errors.js';
import type { FieldDiff } from '../objects/diff.js';
import type { KubeObject } from '../objects/model.js';
import type { StateLocation } from '../state/location.js';
import type { LockHolder } from '../state/lock.js';
import type { StateStore } from '../state/store.js';
import type { StackInstance } from '../stacks/types.js';
import type { EngineName } from './registry.js';

export type Operation = 'plan' | 'apply' | 'destroy';
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
  /** `failed`: what went wrong, its kind and what to try next. */
  error?: ErrorInfo;
  /** `skipped`: why the stack did not run (a dependency failed, the run was cancelled). */
  reason?: string;
}

export type EngineEvent =
  | { type: 'started'; stack: string; operation: Operation }
  | { type: 'resource'; stack: string; change: ResourceChange; phase: 'planned' | 'done' | 'failed' }
  | { type: 'diagnostic'; stack: string; severity: 'info' | 'warning' | 'error'; message: string }
  | { type: 'finished'; stack: string; result: StackResult };

export interface RunContext {
  /** Project directory (where platform.yaml lives); work dirs go under `<dir>/.platform/`. */
  projectDir: string;
  config: PlatformConfig;
  /** `state:` resolved (src/state/location.ts). */
  state: StateLocation;
  /** Its store, opened and checked by the run (one client for all stacks); an engine opens its own without it. */
  store?: StateStore;
  onEvent: (event: EngineEvent) => void;
  signal?: AbortSignal;
  /** Force server-side-apply conflicts (only when the user asks). */
  force?: boolean;
}

export interface StackEngine {
  readonly name: EngineName;
  /** Plans, applies or destroys one stack; failures are results (status `failed`), never throws. */
  run(operation: Operation, stack: StackInstance, ctx: RunContext): Promise<StackResult>;
}

/** What `platform synth` reports per stack (the resources an engine program registers or declares). */
export interface SynthResource {
  type: string;
  name: string;
}

export interface SynthOptions {
  projectDir: string;
  projectName: string;
  state: StateLocation;
  /** Where synthesized files go (Terraform JSON); engines without files ignore it. */
  outDir: string;
  /** CRDs and rendered installs per stack (`platform synth` leaves out what the toolchain has not cached yet). */
  controlPlaneFor: (stack: StackInstance) => KubeObject[];
}

export interface SynthesizedStack {
  resources: SynthResource[];
  /** The engine's program on disk, when it has one (Terraform JSON). */
  file?: string;
}

/** How an engine's server-side applies show up in `metadata.managedFields`. */
export interface FieldManager {
  manager: string;
  operation: 'Apply';
}

/** What an engine last applied for a stack, read from its state without an engine process. */
export interface StackState {
  /** false when the engine has no state for the stack (never applied). */
  exists: boolean;
  objects: KubeObject[];
  /** Every resource the state holds (Kubernetes objects and cloud resources; not the engine's own bookkeeping). */
  resources: number;
  /**
   * Objects the state holds only as a stub + sha256 of the full manifest whose body is gone (Pulumi
   * passes CRDs by digest): objectKey → digest. Their stub is compared with live; Git by digest.
   */
  stubDigests?: Map<string, string>;
}

export interface EngineLock {
  /** Where it is, for messages. */
  where: string;
  holder?: LockHolder;
  /** Removes it (or breaks its lease), whatever its holder. */
  remove(): Promise<void>;
}

export interface StateReader {
  /** Stack IDs that have state (to find stacks removed from Git but still applied). */
  stackIds(): Promise<string[]>;
  read(stackId: string): Promise<StackState>;
  /**
   * One string output of a stack as last applied, in clear (a secret output decrypted): only for use in
   * memory, e.g. a cloud cluster stack's kubeconfig (src/kube/access.ts). Undefined when the stack has
   * no state or no such output.
   */
  output(stackId: string, name: string): Promise<string | undefined>;
}

export interface StateContext {
  projectDir: string;
  /** The project name (platform.yaml `name`). */
  project: string;
  state: StateLocation;
}

/** Where a run's engine reads state (its project, folder and resolved `state:`). */
export const stateContextOf = (ctx: RunContext): StateContext => ({ projectDir: ctx.projectDir, project: ctx.config.name, state: ctx.state });

/** One object `state migrate` copies: its key at the old location and at the new one. */
export interface StateCopy {
  from: string;
  to: string;
}

/**
 * Everything the rest of the code needs to know about an engine, cheap to load (no engine SDK):
 * heavy parts (`synth`, `load`) import the SDK when called.
 */
export interface EngineDescriptor {
  readonly name: EngineName;
  /** The field manager of its server-side applies (drift tells our fields from others' by it). */
  readonly fieldManager: FieldManager;
  /**
   * Reads the engine's state in-process (drift, the engine-switch refusal, `state list`), through
   * `store` when the caller has the location's store open already.
   */
  stateReader(ctx: StateContext, store?: StateStore): StateReader;
  /** Where the engine keeps a stack's state under the state location (`platform state list`, `migrate`). */
  stateKey(ctx: StateContext, stackId: string): string;
  /**
   * The engine's own lock(s) of a stack in the state store, with their holder when it can be read
   * (`platform state list`, `platform state unlock` removes them).
   */
  engineLocks(store: StateStore, ctx: StateContext, stackId: string): Promise<EngineLock[]>;
  /**
   * What `platform state migrate` copies to move these stacks' state from `from` to `to`: keys under each
   * location (`from` holds them; `to` differs when the engine's keys depend on the backend).
   */
  stateCopies(store: StateStore, from: StateContext, to: StateContext, stackIds: string[]): Promise<StateCopy[]>;
  /** The stacks' programs as the engine would run them, without running them (no cluster, no secrets). */
  synth(stacks: StackInstance[], options: SynthOptions): Promise<Map<string, SynthesizedStack>>;
  /** What this machine lacks to run stacks on these clouds with this engine (provider plugins), if anything. */
  missingCloudPlugins(clouds: CloudName[], ctx: { projectDir: string; env: NodeJS.ProcessEnv }): { missing: string; fix: string } | undefined;
  /** The engine itself (loads its SDK). */
  load(): Promise<StackEngine>;
}
