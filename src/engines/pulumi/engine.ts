/**
 * The Pulumi engine: one Pulumi project per platform, one Pulumi stack per StackInstance, inline
 * programs through the Automation API, a DIY backend at the state location, and our own
 * `platform:kubernetes:Object` provider plugin for every Kubernetes object.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConcurrentUpdateError, LocalWorkspace, PulumiCommand, Stack, StackAlreadyExistsError } from '@pulumi/pulumi/automation/index.js';
import { clusterPending, pendingClusterNote, regionAccess, resolveKubeAccess, type KubeAccess } from '../../kube/access.js';
import { KubeClient } from '../../kube/client.js';
import { errorInfo, isPlatformError, type ErrorInfo } from '../../errors.js';
import { controlPlaneFor } from '../crds.js';
import { resolveSecretEnv } from '../secrets.js';
import type { StackInstance } from '../../stacks/types.js';
import { stateContextOf, type Operation, type ResourceChange, type RunContext, type StackEngine, type StackResult } from '../types.js';
import { pulumiCommandRoot, pulumiEnv } from '../../toolchain/index.js';
import { cleanMessage, ResultCollector } from './events.js';
import { stackProgram } from './program.js';
import { ensurePassphrase } from '../passphrase.js';
import { backendEnv, backendUrl, clearStaleLocks, ensureLauncher, ensureProjectFile, lockHolders, prependPath, pulumiWorkDir } from './workspace.js';
import type { DesiredObject, KubeObject } from '../../objects/model.js';
import { valueAt } from '../../objects/pointer.js';
import { isSecretObject } from '../../objects/secrets.js';
import { describeHolder, StackLockedError } from '../../state/lock.js';
import { openStateStore, type StateStore } from '../../state/store.js';
import { CHECKPOINT_RECOVERY, checkpointKey, pulumiStackName, pulumiStateReader } from './state.js';

/**
 * Skip Pulumi's intermediate checkpoints (it then writes state once, at the end). Safe for our
 * provider because an interrupted run converges on the next apply: SSA create of an object that
 * already exists adopts it (proved by the kill -9 integration test). Measured 300 ConfigMaps: see the
 * note in bench/apply-scale.sh.
 */
export const SKIP_CHECKPOINTS = true;

/** How many resource operations pulumi runs at once. */
const PARALLEL = 32;

const commands = new Map<string, Promise<PulumiCommand>>();
const creating = new Map<string, Promise<Stack>>();
function pulumiCommand(): Promise<PulumiCommand> {
  const root = pulumiCommandRoot();
  let command = commands.get(root);
  if (!command) {
    command = PulumiCommand.get({ root, skipVersionCheck: true });
    command.catch(() => commands.delete(root));
    commands.set(root, command);
  }
  return command;
}

export interface OpenedStack {
  stack: Stack;
  env: Record<string, string>;
  /** The backend URL. */
  url: string;
}

/** Selects (creating on first use) the Pulumi stack of a StackInstance with its inline program. */
export async function openStack(stack: StackInstance, ctx: RunContext, program: () => Promise<Record<string, unknown>>): Promise<OpenedStack> {
  const projectDir = ctx.projectDir;
  const { passphrase } = ensurePassphrase(projectDir);
  const toolEnv = pulumiEnv(projectDir);
  const url = backendUrl(ctx.state);
  const env: Record<string, string> = {
    ...toolEnv,
    ...backendEnv(ctx.state),
    PATH: prependPath(ensureLauncher(projectDir), toolEnv.PATH),
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    PULUMI_BACKEND_URL: url,
    PULUMI_SKIP_UPDATE_CHECK: '1',
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
    // An explicit PULUMI_SKIP_CHECKPOINTS in the environment wins (benches compare both).
    ...(process.env.PULUMI_SKIP_CHECKPOINTS === undefined ? { PULUMI_SKIP_CHECKPOINTS: String(SKIP_CHECKPOINTS) } : {}),
  };
  // The Automation API copies process.env for its child; the passphrase of another project must not win.
  delete env.PLATFORM_PASSPHRASE;
  ensureProjectFile(pulumiWorkDir(projectDir), { name: ctx.config.name, runtime: 'nodejs', backend: { url } });
  const args = { projectName: ctx.config.name, stackName: pulumiStackName(stack.id), program };
  // No projectSettings: the Automation API would rewrite Pulumi.yaml in place under a running stack.
  const options = { workDir: pulumiWorkDir(projectDir), pulumiCommand: await pulumiCommand(), envVars: env, secretsProvider: 'passphrase' };
  if (await hasCheckpoint(ctx, stack.id)) return { stack: withoutResultQueries(await existingStack(args.stackName, { ...options, program })), env, url };
  // Creating a stack is not atomic in pulumi: two first runs at once (in this process: serialized
  // here; across processes: the loser retries) must both end up selecting the one stack.
  const key = `${url}|${ctx.config.name}|${args.stackName}`;
  const previous = creating.get(key) ?? Promise.resolve();
  const attempt = previous
    .catch(() => undefined)
    .then(async (): Promise<Stack> => {
      try {
        return await LocalWorkspace.createOrSelectStack(args, options);
      } catch (e) {
        if (!(e instanceof StackAlreadyExistsError) && !/could not create stack|already exists/.test((e as Error).message)) throw e;
        await new Promise((r) => setTimeout(r, 500));
        return LocalWorkspace.selectStack(args, options);
      }
    });
  creating.set(key, attempt);
  const pulumiStack = await attempt;
  return { stack: withoutResultQueries(pulumiStack), env, url };
}

/**
 * After `up` the Automation API runs `pulumi stack output` twice and `pulumi stack history` (after
 * `destroy`, the history) only to fill a result object we never read: three pulumi processes per
 * applied stack, ~1.3 s (traced on a 300-object apply: most of its gap to a raw `tofu apply`). Our
 * results come from the event stream, and a stack's outputs, where another stack needs them, from
 * the state (state.ts).
 */
function withoutResultQueries(stack: Stack): Stack {
  stack.outputs = () => Promise.resolve({});
  stack.info = () => Promise.resolve(undefined);
  return stack;
}

/** The run's state store, or this stack's own when the engine runs alone. */
const stateStoreOf = (ctx: RunContext): Promise<StateStore> => (ctx.store ? Promise.resolve(ctx.store) : openStateStore(ctx.state));

/** The stack has a checkpoint in the state backend: it exists, and `pulumi stack select` would succeed. */
async function hasCheckpoint(ctx: RunContext, stackId: string): Promise<boolean> {
  const store = await stateStoreOf(ctx);
  const key = checkpointKey(ctx.config.name, stackId);
  return (await store.stat(key)) !== undefined || (await store.stat(`${key}.gz`)) !== undefined;
}

/**
 * A stack known to exist, without `pulumi stack select`: that command only records the workspace's
 * current stack (every command the Automation API runs names its stack with --stack) and costs a pulumi
 * process per stack and operation (~0.35 s CPU; a third of a small stack's plan). The workspace is this
 * stack's alone, so replacing its selectStack changes nothing else.
 */
async function existingStack(stackName: string, options: Parameters<typeof LocalWorkspace.create>[0]): Promise<Stack> {
  const workspace = await LocalWorkspace.create(options);
  workspace.selectStack = () => Promise.resolve();
  return Stack.select(stackName, workspace);
}

export class PulumiEngine implements StackEngine {
  readonly name = 'pulumi' as const;

  async run(operation: Operation, stack: StackInstance, ctx: RunContext): Promise<StackResult> {
    ctx.onEvent({ type: 'started', stack: stack.id, operation });
    const collector = new ResultCollector(stack.id, operation, ctx.onEvent);
    let result: StackResult;
    try {
      // Bad input (a secret's variable unset, …) was refused before any engine started (src/operations.ts).
      const access = regionAccess(ctx.config, stack.region, ctx.projectDir);
      const reader = pulumiStateReader(stateContextOf(ctx), ctx.store);
      const readOutput = (id: string, name: string): Promise<string | undefined> => reader.output(id, name);
      const pending = await clusterPending(access, stack.id, stack.region.name, operation === 'plan', readOutput);
      if (pending && access.via === 'cluster-output')
        ctx.onEvent({ type: 'diagnostic', stack: stack.id, severity: 'info', message: pendingClusterNote(access.clusterStack) });
      const secrets = operation === 'plan' || operation === 'apply' ? resolveAllSecrets(stack.objects) : new Map<DesiredObject, Record<string, string>>();
      collector.redactValues([...secrets.values()].flatMap((data) => Object.values(data)));
      const crds = operation === 'plan' || operation === 'apply' ? loadCrds(stack) : [];
      const program = stackProgram({
        stack,
        access,
        clusterPending: pending,
        crds,
        force: ctx.force ?? false,
        secretsFor: (o) => secrets.get(o) ?? resolveSecretEnv(o),
        blobs: blobStore(ctx.projectDir),
      });
      if (ctx.signal?.aborted) throw new Error('cancelled before it started');
      const { stack: pulumiStack } = await openStack(stack, ctx, program);
      const common = { onEvent: (e: Parameters<ResultCollector['handle']>[0]) => collector.handle(e), signal: ctx.signal, parallel: PARALLEL };
      const execute = async (): Promise<void> => {
        switch (operation) {
          case 'plan':
            await pulumiStack.preview({ ...common, diff: false });
            break;
          case 'apply':
            await pulumiStack.up(common);
            break;
          case 'destroy':
            await pulumiStack.destroy(common);
            break;
        }
      };
      try {
        await execute();
      } catch (e) {
        // Pulumi's own lock, left by a process that died (kill -9, crash) on this host, is removed, once.
        if (!isLockError(e)) throw e;
        const store = await stateStoreOf(ctx);
        const removed = await clearStaleLocks(store, ctx.config.name, pulumiStackName(stack.id));
        if (removed.length === 0) {
          const [holder] = await lockHolders(store, ctx.config.name, pulumiStackName(stack.id));
          throw new StackLockedError(stack.id, holder, (holder as typeof holder | undefined)?.where ?? store.describe('.pulumi/locks')); // none: the lock went away meanwhile
        }
        ctx.onEvent({
          type: 'diagnostic',
          stack: stack.id,
          severity: 'warning',
          message: `removed a stale Pulumi lock of ${removed.map(describeHolder).join(', ')} (that process is gone)`,
        });
        await execute();
      }
      result = collector.result();
      if (operation === 'plan' && !pending) await withLiveOldValues(result, () => resolveKubeAccess(ctx.config, stack.region, ctx.projectDir, readOutput));
    } catch (e) {
      const unreadable = unreadableCheckpoint(e);
      result = collector.result(
        'failed',
        unreadable && !ctx.signal?.aborted
          ? {
              kind: 'external',
              message: `the Pulumi checkpoint of ${stack.id} cannot be read: ${(await stateStoreOf(ctx)).describe(checkpointKey(ctx.config.name, stack.id))}: ${unreadable}`,
              hint: CHECKPOINT_RECOVERY,
            }
          : failureOf(e, collector, stack.id, ctx.signal),
      );
    }
    ctx.onEvent({ type: 'finished', stack: stack.id, result });
    return result;
  }
}

/**
 * A plan's `old` values come from the cluster, not the state: the provider diffed against the live
 * object (out-of-band edits included), so the report must show what is live now. One read per
 * changed object; Secret data stays redacted.
 */
async function withLiveOldValues(result: StackResult, access: () => Promise<KubeAccess>): Promise<void> {
  const typeOf = (r: ResourceChange) => ({ apiVersion: r.type.slice(0, r.type.lastIndexOf(':')), kind: r.type.slice(r.type.lastIndexOf(':') + 1) });
  // Secrets keep the redacted values the provider reported (the secret policy).
  const changed = result.resources.filter((r) => (r.op === 'update' || r.op === 'replace') && r.diff.length > 0 && !isSecretObject(typeOf(r)));
  if (changed.length === 0) return;
  const client = await KubeClient.connect(await access());
  try {
    await Promise.all(
      changed.map(async (r) => {
        const [namespace, name] = r.name.includes('/') ? r.name.split('/') : [undefined, r.name];
        const live = await client.get({ ...typeOf(r), namespace, name });
        if (!live) return;
        r.diff = r.diff.map((d) => {
          const { old: _stale, ...rest } = d;
          const old = valueAt(live, d.path);
          return old === undefined ? rest : { ...rest, old };
        });
      }),
    );
  } finally {
    client.close();
  }
}

/** Content-addressed manifest bodies under the work dir (written once; the provider reads them). */
function blobStore(projectDir: string): { dir: string; store: (digest: string, manifest: KubeObject) => void } {
  const dir = join(pulumiWorkDir(projectDir), 'blobs');
  return {
    dir,
    store: (digest, manifest) => {
      const file = join(dir, `${digest}.json`);
      if (existsSync(file)) return;
      mkdirSync(dir, { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(manifest));
      renameSync(temp, file);
    },
  };
}

function resolveAllSecrets(objects: DesiredObject[]): Map<DesiredObject, Record<string, string>> {
  return new Map(objects.filter((o) => o.secretEnv).map((o) => [o, resolveSecretEnv(o)]));
}

function loadCrds(stack: StackInstance): KubeObject[] {
  try {
    return controlPlaneFor(stack);
  } catch (e) {
    if (isPlatformError(e)) throw e;
    throw new Error(`cannot load the CRDs of ${stack.id}: ${(e as Error).message}`, { cause: e });
  }
}

/** What went wrong, as one error: its kind, one line, and what to do. */
export function failureOf(e: unknown, collector: ResultCollector, stackId: string, signal?: AbortSignal): ErrorInfo {
  if (signal?.aborted) return { kind: 'external', message: `${stackId}: cancelled (the state is consistent)`, hint: 'The next apply converges.' };
  if (isPlatformError(e)) return errorInfo(e);
  if (isLockError(e)) return { kind: 'external', message: `stack ${stackId} is locked by another Pulumi operation`, hint: 'Wait for it to finish.' };
  const fromEvents = collector.firstError();
  if (fromEvents) return { kind: 'external', message: fromEvents };
  const text = e instanceof Error ? e.message : String(e);
  const stderr = /stderr: ([\s\S]*)$/.exec(text)?.[1] ?? text;
  const line = cleanMessage(stderr.split('\n').find((l) => /error/i.test(l)) ?? stderr);
  return { kind: 'external', message: line.slice(0, 500) || 'the pulumi operation failed' };
}

/** Pulumi's reason when a stack's checkpoint is truncated or hand-edited (`failed to load checkpoint: …`). */
function unreadableCheckpoint(e: unknown): string | undefined {
  const reason = /failed to load checkpoint: ([^\n]*)/.exec(e instanceof Error ? e.message : String(e))?.[1];
  return reason === undefined ? undefined : cleanMessage(reason).slice(0, 300);
}

const isLockError = (e: unknown): boolean => e instanceof ConcurrentUpdateError || /currently locked/.test(e instanceof Error ? e.message : String(e));
