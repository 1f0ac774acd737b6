/**
 * The policy gate (docs/policy.md): the built-in pack and the project's `policies/*.rego` over every
 * object and cloud resource of the selected stacks (src/policy/opa.ts runs OPA); each result gets its level
 * (the rule's default — deny mandatory, warn advisory — or `policy.enforcement`), the platform.yaml
 * line of the config entry behind the object, and is waived when an unexpired waiver matches it.
 */
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { builtinPolicyDir, policyFilesIn, projectPolicyDir, type PolicyFile } from '../config/policy-names.js';
import type { PolicyLevel, Waiver } from '../config/schema.js';
import { UsageError } from '../errors.js';
import { planStacks } from '../stacks/plan.js';
import { selectStacks } from '../stacks/select.js';
import type { StackInstance } from '../stacks/types.js';
import { policyInput, type InputIndex } from './input.js';
import { evaluate, runTests, type RawResult, type TestCase } from './opa.js';
import { objectPath, type ObjectRef, type PolicyReport, type Violation, type WaivedViolation } from './types.js';

export interface PolicyCheckOptions {
  loaded: LoadedConfig;
  /** The stacks to check (plan/apply: the selected ones). */
  stacks: StackInstance[];
  /** Today, for waiver expiry (tests pass a fixed date). */
  now?: Date;
}

/** `platform policy check`: load, plan, select, check. */
export async function runPolicyCheck(opts: { configFile: string; stackIds?: string[]; now?: Date }): Promise<PolicyReport> {
  const loaded = loadConfig(opts.configFile);
  return checkPolicies({ loaded, stacks: selectStacks(planStacks(loaded.config), opts.stackIds), now: opts.now });
}

export async function checkPolicies(opts: PolicyCheckOptions): Promise<PolicyReport> {
  const { loaded } = opts;
  const policies = policySet(loaded.projectDir);
  const enforcement = loaded.config.policy?.enforcement ?? {};
  const active = policies.all.filter((p) => enforcement[p.name] !== 'disabled');
  const { input, index } = policyInput(opts.stacks);
  const raw = await evaluate({ dirs: policies.dirs, policies: active, userDir: policies.userDir }, input);
  const found = dedupe(raw.map((r) => toViolation(r, index, loaded, enforcement)));
  const { violations, waived } = applyWaivers(found, loaded.config.policy?.waivers ?? [], opts.now ?? new Date());
  return {
    violations: sortViolations(violations, index),
    waived: sortViolations(waived, index),
    checked: { stacks: opts.stacks.length, objects: input.stacks.reduce((n, s) => n + s.objects.length, 0), policies: active.map((p) => p.name).sort() },
  };
}

/** `platform policy test`: the unit tests of the built-in pack and of the project's policies. */
export async function runPolicyTests(opts: { configFile: string }): Promise<{ tests: TestCase[]; passed: number; failed: number }> {
  const { projectDir } = loadConfig(opts.configFile);
  const policies = policySet(projectDir);
  const tests = await runTests(policies.dirs, policies.userDir);
  const failed = tests.filter((t) => t.outcome === 'fail' || t.outcome === 'error').length;
  return { tests, passed: tests.filter((t) => t.outcome === 'pass').length, failed };
}

/** The built-in pack and the project's policies; a project policy may not reuse a built-in name. */
function policySet(projectDir: string): { all: PolicyFile[]; dirs: string[]; userDir?: string } {
  const builtin = policyFilesIn(builtinPolicyDir());
  const userDir = projectPolicyDir(projectDir);
  const user = policyFilesIn(userDir);
  const taken = new Map(builtin.map((p) => [p.name, p]));
  const problems = [];
  for (const p of user) {
    const other = taken.get(p.name);
    if (other)
      problems.push({
        where: p.file,
        message: `policy "${p.name}" (package ${p.package}) has the name of ${other.file.startsWith(builtinPolicyDir()) ? 'a built-in policy' : `another policy (${other.file})`}`,
      });
    taken.set(p.name, p);
  }
  if (problems.length)
    throw new UsageError(
      'two policies share a name',
      problems,
      'The last segment of a package is the policy name: rename the package (e.g. package policies.acme_registry).',
    );
  return { all: [...builtin, ...user], dirs: [builtinPolicyDir(), ...(user.length ? [userDir] : [])], ...(user.length ? { userDir } : {}) };
}

function toViolation(r: RawResult, index: InputIndex, loaded: LoadedConfig, enforcement: Record<string, PolicyLevel>): Violation {
  const stack = index.stacks[r.stack];
  const own = index.objects[r.stack][r.object];
  const { message, object } = resultOf(r.result);
  // A rule may point at another object of the stack (e.g. the missing policy's expected place).
  const pointed = object ? index.objects[r.stack].find((o) => sameObject(o.ref, object)) : undefined;
  const level = enforcement[r.policy] ?? (r.rule === 'deny' ? 'mandatory' : 'advisory');
  return {
    policy: r.policy,
    level: level === 'disabled' ? 'advisory' : level,
    stack: stack.id,
    object: object ?? own.ref,
    message,
    source: loaded.sources.at(pointed?.source ?? own.source),
  };
}

/** conftest's shapes: a message, or `{ msg, object: { kind, namespace, name } }`. */
function resultOf(result: unknown): { message: string; object?: ObjectRef } {
  if (typeof result === 'string') return { message: result };
  if (result && typeof result === 'object' && 'msg' in result) {
    const r = result as { msg: unknown; object?: Partial<ObjectRef> };
    const o = r.object;
    const object =
      o && typeof o.kind === 'string' && typeof o.name === 'string'
        ? { kind: o.kind, ...(o.namespace ? { namespace: o.namespace } : {}), name: o.name }
        : undefined;
    return { message: String(r.msg), ...(object ? { object } : {}) };
  }
  return { message: JSON.stringify(result) };
}

const sameObject = (a: ObjectRef, b: ObjectRef): boolean => a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');

const violationKey = (v: Violation): string => JSON.stringify([v.stack, v.policy, v.level, objectPath(v.object), v.message]);

function dedupe(vs: Violation[]): Violation[] {
  const seen = new Map<string, Violation>();
  for (const v of vs) if (!seen.has(violationKey(v))) seen.set(violationKey(v), v);
  return [...seen.values()];
}

/** A matching waiver waives through its `expires` day (UTC); an expired one leaves the violation, naming the expiry. */
export function applyWaivers(found: Violation[], waivers: Waiver[], now: Date): { violations: Violation[]; waived: WaivedViolation[] } {
  const today = now.toISOString().slice(0, 10);
  const violations: Violation[] = [];
  const waived: WaivedViolation[] = [];
  for (const v of found) {
    const matching = waivers.filter((w) => w.policy === v.policy && globMatch(w.stack, v.stack) && globMatch(w.object, objectPath(v.object)));
    const valid = matching.find((w) => !w.expires || w.expires >= today);
    if (valid) {
      waived.push({ ...v, waiver: { reason: valid.reason, ...(valid.expires ? { expires: valid.expires } : {}) } });
      continue;
    }
    // Every matching waiver has expired (or none matches): name the one that expired last.
    const expired = matching
      .filter((w) => w.expires !== undefined)
      .sort((a, b) => (a.expires! < b.expires! ? 1 : -1))
      .at(0);
    violations.push(expired ? { ...v, waiverExpired: { expires: expired.expires!, reason: expired.reason } } : v);
  }
  return { violations, waived };
}

/**
 * Waiver globs: `*` matches within one `/`-separated segment, `**` across segments, `?` one character;
 * everything else literally. `app/*\/search/*` matches `app/eu/search/query`.
 */
export function globMatch(pattern: string, value: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`).test(value);
}

/** In stack order (the plan's), then object, policy and message: the same input gives the same report. */
function sortViolations<T extends Violation>(vs: T[], index: InputIndex): T[] {
  const order = new Map(index.stacks.map((s, i) => [s.id, i]));
  return vs.sort(
    (a, b) =>
      order.get(a.stack)! - order.get(b.stack)! ||
      objectPath(a.object).localeCompare(objectPath(b.object)) ||
      a.policy.localeCompare(b.policy) ||
      a.message.localeCompare(b.message),
  );
}
