/**
 * The Terraform engine: a stack is synthesized to Terraform JSON (synth.ts; CDKTF only for cloud
 * resources and cluster-state reads) into `.platform/tf/<stack id>/` and
 * run by the OpenTofu CLI: `init` (skipped while current), `plan -out -json` (streamed), `show -json`
 * of the saved plan for per-field diffs (only when the plan updates, replaces or deletes something the
 * stream cannot name), `apply <planfile>`. Destroy is a `plan -destroy` run
 * through the same path, so both report the same way. A run that deletes Namespaces returns once they
 * are gone (namespaces.ts); one whose CR lost the race with its new CRD's discovery is applied again
 * once the kind is served (crds.ts). Engines never print: everything is an event or the returned StackResult.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadClouds } from '../../clouds/index.js';
import { errorInfo, ExternalError, type ErrorInfo } from '../../errors.js';
import { isProcessAlive } from '../../process.js';
import type { StackInstance } from '../../stacks/types.js';
import { resolveSecretEnv } from '../secrets.js';
import {
  emptyCounts,
  type EngineEvent,
  type Operation,
  type ResourceChange,
  type RunContext,
  type StackEngine,
  type StackResult,
  stateContextOf,
} from '../types.js';
import { changesFromPlan, createsFromStream, deletesFromStream, UNNAMED_DELETE, type ShowPlan } from './report.js';
import { awaitNamespacesGone, deletedNamespaces } from './namespaces.js';
import { awaitKindsServed, unservedKindOf, unservedKinds } from './crds.js';
import { TOFU_STATE_RECOVERY, terraformStateManifests, terraformStateReader, terraformStateWhere } from './state.js';
import { BACKEND_CONFIG_VARIABLE, MAIN_FILE, synthTerraform, type SynthStack } from './synth.js';
import { clusterPending, clusterStackOf, pendingClusterNote, regionAccess } from '../../kube/access.js';
import { firstError, oneLine, runTofu, tofuBinary, type TofuBinary, type TofuMessage, type TofuRun } from './tofu.js';
import { tofuBackendSettings } from '../../state/backends.js';

const ENGINE_NAME = 'terraform';

/** Work dir root of synthesized stacks. */
export const tfWorkRoot = (projectDir: string): string => join(projectDir, '.platform', 'tf');
export const stackWorkDir = (projectDir: string, stackId: string): string => join(tfWorkRoot(projectDir), stackId);

// `tofu init` in parallel stacks of one process would race on the shared plugin cache: one at a time.
let initQueue: Promise<unknown> = Promise.resolve();

export class TerraformEngine implements StackEngine {
  readonly name = 'terraform' as const;

  async run(operation: Operation, stack: StackInstance, ctx: RunContext): Promise<StackResult> {
    const emit = (e: EngineEvent): void => ctx.onEvent(e);
    emit({ type: 'started', stack: stack.id, operation });
    const result: StackResult = { id: stack.id, engine: ENGINE_NAME, status: 'ok', changes: emptyCounts(), resources: [] };
    const finish = (): StackResult => {
      emit({ type: 'finished', stack: stack.id, result });
      return result;
    };
    try {
      const workDir = stackWorkDir(ctx.projectDir, stack.id);
      await loadClouds('terraform', [stack]); // a cluster stack on a cloud: its renderer (no-op when loaded)
      const clusterPending = await clusterNotApplied(stack, operation, ctx);
      if (clusterPending) emit({ type: 'diagnostic', stack: stack.id, severity: 'info', message: pendingClusterNote(clusterStackOf(stack.region)) });
      const synth = await synthStack(stack, ctx, clusterPending);
      // The backend's endpoint and credentials come from the environment (src/state/backends.ts); a read
      // of another stack's state (a cloud region's cluster) takes the same settings.
      const backend = tofuBackendSettings(ctx.state);
      const secretEnv = { ...secretVariables(synth, operation), ...backendConfigVariable(synth, backend.args) };
      const tofu = tofuBinary(ctx.projectDir);
      const bin: TofuBinary = { ...tofu, env: { ...tofu.env, ...backend.env } };
      if (ctx.signal?.aborted) return cancelled(result, finish);

      await ensureInit(bin, workDir, synth, backend.args, ctx.signal);
      if (ctx.signal?.aborted) return cancelled(result, finish);

      removeDeadRunsPlans(workDir);
      const planFile = join(workDir, `plan-${process.pid}-${Date.now()}.tfplan`);
      try {
        // Destroy deletes what state holds: no refresh (the provider treats an already-gone object as deleted).
        const destroyArgs = operation === 'destroy' ? ['-destroy', '-refresh=false'] : [];
        const runPlan = () =>
          runTofu(bin, ['plan', '-input=false', '-json', '-lock-timeout=0s', `-out=${planFile}`, ...destroyArgs], {
            cwd: workDir,
            env: secretEnv,
            signal: ctx.signal,
            onMessage: (m) => forwardDiagnostic(m, stack.id, emit),
          });
        const plan = await runPlan();
        if (plan.cancelled) return cancelled(result, finish);
        if (plan.exitCode !== 0) return failed(result, finish, describeFailure(plan, stack.id, workDir, terraformStateWhere(ctx.state, stack.id)));

        const summary = plan.messages.find((m) => m.type === 'change_summary')?.changes;
        const anyChange = summary ? summary.add + summary.change + summary.remove > 0 : true;
        // With nothing to change there is nothing to diff, and deletes and creates have no field diffs:
        // `show` (which loads config, state and provider again: ~5 s on a stack of large CRDs) only for
        // plans with an update, a replace or a delete of an object no longer synthesized.
        let fromStream = operation === 'destroy' ? deletesFromStream(plan.messages, synth) : createsFromStream(plan.messages, synth);
        // A destroy of objects no longer synthesized (a pruned stack, objects dropped from the config):
        // named from the state, before the run removes them from it (a deleted Namespace is waited for).
        if (operation === 'destroy' && anyChange && fromStream?.some((c) => c.type === UNNAMED_DELETE))
          fromStream = deletesFromStream(plan.messages, synth, await terraformStateManifests(stateContextOf(ctx), stack.id));
        const planned = !anyChange
          ? { changes: unchangedResources(synth, operation), drifted: [] }
          : fromStream
            ? { changes: fromStream, drifted: [] }
            : await showPlan(bin, workDir, planFile, synth, secretEnv, ctx.signal);
        for (const address of planned.drifted) {
          emit({
            type: 'diagnostic',
            stack: stack.id,
            severity: 'warning',
            message: `${address} was changed in the cluster; apply restores the declared manifest`,
          });
        }
        result.resources = planned.changes;
        for (const c of planned.changes) result.changes[c.op]++;
        for (const change of planned.changes.filter((c) => c.op !== 'same')) emit({ type: 'resource', stack: stack.id, change, phase: 'planned' });
        const pending = planned.changes.some((c) => c.op !== 'same');

        if (operation === 'plan') {
          result.status = pending ? 'changes' : 'ok';
          return finish();
        }
        if (!pending && !anyChange) return finish();
        if (ctx.signal?.aborted) return cancelled(result, finish);

        const byAddress = addressIndex(synth, planned.changes);
        const runApply = (firstTry: boolean) =>
          runTofu(bin, ['apply', '-input=false', '-json', '-lock-timeout=0s', '-auto-approve', planFile], {
            cwd: workDir,
            env: secretEnv,
            signal: ctx.signal,
            onMessage: (m) => {
              // A kind of a CRD new in this run that discovery does not list yet is waited for below, not reported.
              if (!(firstTry && unservedKindOf(m, synth))) forwardDiagnostic(m, stack.id, emit);
              const addr = m.hook?.resource?.addr;
              const change = addr ? byAddress.get(addr) : undefined;
              if (!change) return;
              if (m.type === 'apply_complete') emit({ type: 'resource', stack: stack.id, change, phase: 'done' });
              if (m.type === 'apply_errored') emit({ type: 'resource', stack: stack.id, change, phase: 'failed' });
            },
          });
        let apply = await runApply(true);
        const unserved = apply.exitCode !== 0 && !apply.cancelled ? unservedKinds(apply.messages, synth) : [];
        if (unserved.length > 0) {
          const kinds = unserved.map((k) => k.kind).join(', ');
          emit({
            type: 'diagnostic',
            stack: stack.id,
            severity: 'info',
            message: `waiting for the API server to serve ${kinds} (new CRDs), then applying again`,
          });
          await awaitKindsServed(unserved, stack, ctx);
          const replan = await runPlan();
          if (replan.cancelled) return cancelled(result, finish);
          if (replan.exitCode !== 0) return failed(result, finish, describeFailure(replan, stack.id, workDir, terraformStateWhere(ctx.state, stack.id)));
          apply = await runApply(false);
        }
        if (apply.cancelled) return cancelled(result, finish);
        if (apply.exitCode !== 0) return failed(result, finish, describeFailure(apply, stack.id, workDir, terraformStateWhere(ctx.state, stack.id)));
        // Destroy means gone: a deleted Namespace is NotFound when the run returns, not Terminating.
        await awaitNamespacesGone(deletedNamespaces(planned.changes), stack, ctx);
        return finish();
      } finally {
        // The plan file holds secret values in clear: never leave it behind.
        rmSync(planFile, { force: true });
      }
    } catch (e) {
      const info = errorInfo(e);
      return failed(result, finish, { ...info, message: oneLine(info.message) });
    }
  }
}

/**
 * A run killed with -9 never reaches its `finally`: its plan file (secret values in clear) stays. Those
 * of processes that are gone are removed before the next plan in the same work dir.
 */
function removeDeadRunsPlans(workDir: string): void {
  for (const name of readdirSync(workDir)) {
    const pid = /^plan-(\d+)-\d+\.tfplan$/.exec(name)?.[1];
    if (pid && !isProcessAlive(Number(pid))) rmSync(join(workDir, name), { force: true });
  }
}

async function synthStack(stack: StackInstance, ctx: RunContext, clusterPending: boolean): Promise<SynthStack> {
  const synth = await synthTerraform([stack], tfWorkRoot(ctx.projectDir), {
    projectDir: ctx.projectDir,
    project: ctx.config.name,
    state: ctx.state,
    force: ctx.force,
    clusterPending,
  });
  return synth.get(stack.id)!;
}

/** A cloud region's Kubernetes stack before its cluster exists (src/kube/access.ts `clusterPending`). */
function clusterNotApplied(stack: StackInstance, operation: Operation, ctx: RunContext): Promise<boolean> {
  const reader = terraformStateReader(stateContextOf(ctx), ctx.store);
  const access = regionAccess(ctx.config, stack.region, ctx.projectDir);
  return clusterPending(access, stack.id, stack.region.name, operation === 'plan', (id, name) => reader.output(id, name));
}

/** `TF_VAR_state_backend_config`: the backend's `-backend-config` settings, for a remote-state read of the same backend. */
function backendConfigVariable(synth: SynthStack, backendArgs: string[]): Record<string, string> {
  if (!synth.readsClusterState || backendArgs.length === 0) return {};
  const settings: Record<string, string> = Object.fromEntries(
    backendArgs.map((a): [string, string] => {
      const [key, value = ''] = a.replace(/^-backend-config=/, '').split(/=(.*)/s, 2);
      return [key, value];
    }),
  );
  return { [`TF_VAR_${BACKEND_CONFIG_VARIABLE}`]: JSON.stringify(settings) };
}

/** `TF_VAR_*` for the stack's secretEnv values (never written to disk by us, never logged). */
function secretVariables(synth: SynthStack, operation: Operation): Record<string, string> {
  const env: Record<string, string> = {};
  for (const v of synth.secretVariables) {
    // destroy only needs every variable to be set; it does not read the values.
    env[`TF_VAR_${v.name}`] = operation === 'destroy' ? '' : resolveSecretEnv(v.object)[v.key];
  }
  return env;
}

/**
 * `tofu init` only when the work dir is not initialized for exactly this configuration: the providers,
 * the backend and the binary. Measured: skipping it saves most of a second per stack and run.
 */
async function ensureInit(bin: TofuBinary, workDir: string, synth: SynthStack, backendArgs: string[], signal?: AbortSignal): Promise<void> {
  const doc = JSON.parse(readFileSync(synth.file, 'utf8')) as { terraform?: unknown };
  const binStat = statSync(bin.file, { throwIfNoEntry: false });
  const fingerprint = createHash('sha256')
    .update(JSON.stringify({ terraform: doc.terraform, backendArgs, bin: bin.file, size: binStat?.size, mtime: binStat?.mtimeMs, cli: bin.cliConfig }))
    .digest('hex');
  const marker = join(workDir, '.terraform', 'platform-init');
  const lockFile = join(workDir, '.terraform.lock.hcl');
  if (existsSync(lockFile) && existsSync(marker) && readFileSync(marker, 'utf8') === fingerprint) return;

  const run = async (): Promise<void> => {
    const init = await runTofu(bin, ['init', '-input=false', '-no-color', '-reconfigure', ...backendArgs], { cwd: workDir, signal, keepStdout: true });
    if (init.cancelled) return;
    if (init.exitCode !== 0) {
      throw new ExternalError(
        `tofu init failed in ${workDir}: ${firstError(init)}`,
        'Run `platform toolchain install` so the offline provider mirror and CLI config exist.',
      );
    }
    writeFileSync(marker, fingerprint);
  };
  const queued = initQueue.then(run, run);
  initQueue = queued.catch(() => undefined);
  await queued;
}

async function showPlan(bin: TofuBinary, workDir: string, planFile: string, synth: SynthStack, env: Record<string, string>, signal?: AbortSignal) {
  const show = await runTofu(bin, ['show', '-json', planFile], { cwd: workDir, env, signal, keepStdout: true });
  if (show.exitCode !== 0) throw new ExternalError(`tofu show failed: ${firstError(show)}`);
  return changesFromPlan(JSON.parse(show.stdout) as ShowPlan, synth.objects);
}

/** With an empty plan every declared object is unchanged (and nothing remains after a destroy). */
function unchangedResources(synth: SynthStack, operation: Operation): ResourceChange[] {
  if (operation === 'destroy') return [];
  return synth.objects.map((o) => ({ op: 'same', type: o.type, name: o.name, diff: [] }));
}

function addressIndex(synth: SynthStack, changes: ResourceChange[]): Map<string, ResourceChange> {
  const byIdentity = new Map(changes.map((c) => [`${c.type} ${c.name}`, c]));
  const out = new Map<string, ResourceChange>();
  for (const o of synth.objects) {
    const c = byIdentity.get(`${o.type} ${o.name}`);
    if (c) out.set(o.address, c);
  }
  return out;
}

function forwardDiagnostic(m: TofuMessage, stackId: string, emit: (e: EngineEvent) => void): void {
  if (m.type !== 'diagnostic' || !m.diagnostic) return;
  const d = m.diagnostic;
  emit({
    type: 'diagnostic',
    stack: stackId,
    severity: d.severity === 'error' ? 'error' : 'warning',
    message: oneLine(`${d.address ? `${d.address}: ` : ''}${d.summary}${d.detail ? `: ${d.detail}` : ''}`),
  });
}

/** A failed tofu run as one error; a state-lock conflict names the holder. */
function describeFailure(run: TofuRun, stackId: string, workDir: string, stateFile: string): ErrorInfo {
  const lock = run.messages.find((m) => m.diagnostic?.summary.includes('Error acquiring the state lock'))?.diagnostic;
  // tofu reports a state it cannot read (truncated, hand-edited, not decryptable) while taking the lock too:
  // only a detail with "Lock Info" is another holder; anything else is the state file itself.
  if (lock && !/Lock Info:/.test(lock.detail ?? '')) {
    const why = /Error message:\s*(.*)/.exec(lock.detail ?? '')?.[1]?.trim() ?? oneLine(lock.detail ?? lock.summary);
    return { kind: 'external', message: `the OpenTofu state of ${stackId} cannot be read: ${stateFile}: ${why}`, hint: TOFU_STATE_RECOVERY };
  }
  if (lock) {
    // The lock info's own lines (`  ID: …`); a backend's error above them may say `RequestID: …`.
    const field = (name: string): string | undefined => new RegExp(`^\\s*${name}:\\s*(\\S.*)$`, 'm').exec(lock.detail ?? '')?.[1]?.trim();
    const operation = field('Operation')
      ?.replace(/^OperationType/, '')
      .toLowerCase();
    return {
      kind: 'external',
      message: `stack ${stackId} is locked by OpenTofu: ${operation ? `tofu ${operation}` : 'an operation'} by ${field('Who') ?? 'another process'} (since ${field('Created') ?? 'unknown'}, lock ID ${field('ID') ?? '?'})`,
      hint: `Wait for it to finish. If its process is gone for good, run \`platform state unlock ${stackId} --yes\` (or \`tofu force-unlock ${field('ID') ?? '<lock ID>'}\` in ${workDir}).`,
    };
  }
  const error = firstError(run);
  // A server-side-apply conflict: someone else (kubectl scale, an HPA, a console) owns a field we set.
  const conflict = /Apply failed with \d+ conflicts?: (.*?)(?: Please review the fields above.*)?$/.exec(error);
  if (conflict)
    return {
      kind: 'external',
      message: `${error.slice(0, error.indexOf('Apply failed'))}${conflict[1]}; another field manager owns these fields`,
      hint: 'Re-run with --force to take them over.',
    };
  return { kind: 'external', message: error };
}

function failed(result: StackResult, finish: () => StackResult, error: ErrorInfo): StackResult {
  result.status = 'failed';
  result.error = error;
  return finish();
}

function cancelled(result: StackResult, finish: () => StackResult): StackResult {
  return failed(result, finish, { kind: 'external', message: 'cancelled: tofu stopped cleanly and saved its state', hint: 'The next apply converges.' });
}

export { MAIN_FILE };
