/**
 * The policy gate through the built CLI, with the real OPA and both engines: `policy check` and
 * `policy test`; plan/apply refused (exit 4) by a project policy before any engine starts; an advisory
 * violation or a waived one lets the plan run on the real local plane; an expired waiver does not.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { localDown, localUp } from '../../src/local/index.js';
import { resolveTool } from '../../src/toolchain/index.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'platform-gate-'));
const file = join(dir, 'platform.yaml');
const BASE = `apiVersion: platform.dev/v1
name: gate
engine: ENGINE
regions:
  - { name: eu, cloud: local, location: l-eu, role: primary }
tenants:
  - { name: search, plan: starter, owners: [o@example.com] }
services:
  - { name: query, tenant: search, image: docker.io/vendor/query:2.1, port: 8080, replicas: 1 }
`;
const write = (engine: string, extra = ''): void => writeFileSync(file, `${BASE.replace('ENGINE', engine)}${extra}`);

const REGISTRY = `package policies.registry

deny contains msg if {
	some c in input.object.spec.template.spec.containers
	not startswith(c.image, "ghcr.io/acme/")
	msg := sprintf("container %s pulls %s from outside ghcr.io/acme", [c.name, c.image])
}
`;

/** What an engine leaves in the project once it has started: its work dir, its home, its state. */
const ENGINE_DIRS = ['pulumi-home', 'tf', 'state', 'synth'];
const engineTraces = (): string[] => (existsSync(join(dir, '.platform')) ? readdirSync(join(dir, '.platform')).filter((d) => ENGINE_DIRS.includes(d)) : []);
/** Forget what an earlier test's plan left (the local plane's own folder stays). */
const clearEngineTraces = (): void => ENGINE_DIRS.forEach((d) => rmSync(join(dir, '.platform', d), { recursive: true, force: true }));

/**
 * `pulumi` and `tofu` on the CLI's PATH that log every start and run the real binaries (the toolchain
 * takes a PATH copy whose version is in range; pulumi's plugins are linked beside its wrapper).
 */
const shimDir = mkdtempSync(join(tmpdir(), 'engine-shim-'));
const engineLog = join(shimDir, 'starts');
const shimEnv = (): NodeJS.ProcessEnv => ({ PATH: `${join(shimDir, 'bin')}${delimiter}${process.env.PATH}` });
/** Engine processes started since the log was last cleared, version probes left out. */
const engineStarts = (): string[] =>
  existsSync(engineLog)
    ? readFileSync(engineLog, 'utf8')
        .trim()
        .split('\n')
        .filter((l) => l && !/^\S+ (version|-version|--version)$/.test(l))
    : [];
function installEngineShims(): void {
  mkdirSync(join(shimDir, 'bin'));
  for (const tool of ['pulumi', 'tofu'] as const) {
    const real = resolveTool(tool);
    if (tool === 'pulumi') for (const f of readdirSync(dirname(real))) if (f !== 'pulumi') symlinkSync(join(dirname(real), f), join(shimDir, 'bin', f));
    writeFileSync(join(shimDir, 'bin', tool), `#!/bin/sh\necho "${basename(real)} $*" >> "${engineLog}"\nexec "${real}" "$@"\n`);
    chmodSync(join(shimDir, 'bin', tool), 0o755);
  }
}

beforeAll(async () => {
  mkdirSync(join(dir, 'policies'));
  writeFileSync(join(dir, 'policies', 'registry.rego'), REGISTRY);
  installEngineShims();
  write('pulumi');
  await localUp(loadConfig(file).config, dir);
});
afterAll(async () => {
  write('pulumi');
  await localDown(loadConfig(file).config, dir, { purge: true }).catch(() => {});
  rmSync(dir, { recursive: true, force: true });
  rmSync(shimDir, { recursive: true, force: true });
});

describe('platform policy check / test', { timeout: 300_000 }, () => {
  it('check: exit 4, one JSON document naming the policy, level, stack, object, message and platform.yaml line', async () => {
    write('pulumi');
    const r = await runCli(['policy', 'check', '--json', '-c', file]);
    expect(r.exitCode, r.stderr).toBe(4);
    const doc = JSON.parse(r.stdout);
    expect(doc.version).toBe(1);
    expect(doc.violations.filter((v: { level: string }) => v.level === 'mandatory')).toEqual([
      {
        policy: 'registry',
        level: 'mandatory',
        stack: 'app/eu/search/query',
        object: { kind: 'Deployment', namespace: 'search', name: 'query' },
        message: 'container query pulls docker.io/vendor/query:2.1 from outside ghcr.io/acme',
        source: { file, line: 9 },
      },
    ]);
    expect(doc.waived).toEqual([]);
    const human = await runCli(['policy', 'check', '-c', file]);
    expect(human.exitCode).toBe(4);
    expect(human.stdout).toContain('mandatory registry app/eu/search/query Deployment search/query');
    expect(human.stdout).toContain(`${file}:9`);
    const markdown = await runCli(['policy', 'check', '--format', 'markdown', '-c', file]);
    expect(markdown.stdout).toContain('| mandatory | `registry` | `app/eu/search/query` |');
  });

  it('test: the built-in pack’s and the project’s opa tests (with the pack’s fixtures); a failing one exits 1', async () => {
    const test = (body: string) =>
      writeFileSync(
        join(dir, 'policies', 'registry_test.rego'),
        `package policies.registry_test\n\nimport data.platform.lib.fixtures\nimport data.policies.registry\n\n${body}`,
      );
    try {
      test('test_acme_image_passes if {\n\tcount(registry.deny) == 0 with input as fixtures.input_for(fixtures.deployment, [])\n}\n');
      const ok = await runCli(['policy', 'test', '--json', '-c', file]);
      expect(ok.exitCode, ok.stderr).toBe(0);
      const doc = JSON.parse(ok.stdout);
      expect(doc.failed).toBe(0);
      expect(doc.passed).toBeGreaterThan(60);
      expect(doc.tests).toContainEqual(expect.objectContaining({ package: 'policies.registry_test', name: 'test_acme_image_passes', outcome: 'pass' }));
      // A wrong expectation: the vendor image is denied.
      test(
        'test_vendor_image_fails if {\n\tobj := fixtures.with_container([{"op": "replace", "path": "/image", "value": "docker.io/x:1"}])\n\tcount(registry.deny) == 0 with input as fixtures.input_for(obj, [])\n}\n',
      );
      const failing = await runCli(['policy', 'test', '-c', file]);
      expect(failing.exitCode).toBe(1);
      expect(failing.stderr).toContain('FAIL policies.registry_test.test_vendor_image_fails');
      expect(failing.stdout).toMatch(/passed, 1 failed/);
    } finally {
      rmSync(join(dir, 'policies', 'registry_test.rego'));
    }
  });
});

describe.each(['pulumi', 'terraform'])('plan and apply with engine %s', (engine) => {
  it('a mandatory violation refuses plan and apply before any engine starts: exit 4, nothing created', { timeout: 300_000 }, async () => {
    write(engine);
    clearEngineTraces();
    rmSync(engineLog, { force: true });
    for (const args of [['plan'], ['apply', '--all', '--yes']]) {
      const r = await runCli([...args, '--json', '-c', file], { env: shimEnv() });
      expect(r.exitCode, r.stderr).toBe(4);
      const doc = JSON.parse(r.stdout);
      expect(doc.error).toMatchObject({
        kind: 'policy',
        message: `1 mandatory policy violation in 1 stack: nothing was ${args[0] === 'plan' ? 'planned' : 'applied'}`,
      });
      expect(doc.violations).toContainEqual(
        expect.objectContaining({ policy: 'registry', level: 'mandatory', stack: 'app/eu/search/query', source: { file, line: 9 } }),
      );
      expect(r.stderr).toContain('mandatory registry app/eu/search/query');
      expect(engineTraces()).toEqual([]);
      expect(engineStarts()).toEqual([]);
    }
  });

  it('an advisory violation is shown and goes into --json; the plan runs', { timeout: 600_000 }, async () => {
    write(engine, 'policy:\n  enforcement: { registry: advisory }\n');
    rmSync(engineLog, { force: true });
    const r = await runCli(['plan', '--json', '-c', file], { env: shimEnv() });
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    // A fresh project: the cluster stack installs the local plane's Velero CRDs, the others their objects.
    expect(doc.stacks.map((s: { id: string; status: string }) => [s.id, s.status])).toEqual([
      ['cluster/eu', 'changes'],
      ['tenant/eu/search', 'changes'],
      ['app/eu/search/query', 'changes'],
    ]);
    expect(doc.policy.violations).toContainEqual(expect.objectContaining({ policy: 'registry', level: 'advisory' }));
    expect(doc.policy.violations.every((v: { level: string }) => v.level === 'advisory')).toBe(true);
    expect(r.stderr).toContain('advisory registry app/eu/search/query');
    // The same shims see the engine when it does run (what makes the refusal's empty log mean something).
    expect(engineStarts().some((l) => l.startsWith(engine === 'pulumi' ? 'pulumi ' : 'tofu '))).toBe(true);
  });
});

describe('waivers through plan', { timeout: 600_000 }, () => {
  it('an expired waiver no longer waives: exit 4, and the violation names the expiry', async () => {
    write('pulumi', 'policy:\n  waivers:\n    - { policy: registry, stack: "app/*/search/*", reason: "vendor image", expires: 2020-12-31 }\n');
    const r = await runCli(['plan', '--json', '-c', file]);
    expect(r.exitCode, r.stderr).toBe(4);
    expect(JSON.parse(r.stdout).violations).toContainEqual(
      expect.objectContaining({ policy: 'registry', waiverExpired: { expires: '2020-12-31', reason: 'vendor image' } }),
    );
    expect(r.stderr).toContain('waiver expired on 2020-12-31 (vendor image)');
  });

  it('a valid waiver lets the plan run and is listed as waived', async () => {
    write('pulumi', 'policy:\n  waivers:\n    - { policy: registry, object: "Deployment/search/*", reason: "vendor image", expires: 2099-12-31 }\n');
    const r = await runCli(['plan', '--json', '-c', file]);
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.policy.waived).toEqual([
      expect.objectContaining({ policy: 'registry', stack: 'app/eu/search/query', waiver: { reason: 'vendor image', expires: '2099-12-31' } }),
    ]);
  });

  it('a waiver naming an unknown policy is an invalid config: exit 2 at its line', async () => {
    write('pulumi', 'policy:\n  waivers:\n    - { policy: regsitry, reason: "typo" }\n');
    const r = await runCli(['plan', '--json', '-c', file]);
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout).error.problems).toEqual([
      expect.objectContaining({ where: expect.stringMatching(/platform\.yaml:12:17$/), message: expect.stringContaining('unknown policy "regsitry"') }),
    ]);
  });

  it('exit codes keep "2 over 4": a violation with an unset secret variable exits 2 (the gate runs last, before any engine)', async () => {
    writeFileSync(file, BASE.replace('ENGINE', 'pulumi').replace('replicas: 1 }', 'replicas: 1, secretEnv: { TOKEN: "env:GATE_TEST_UNSET" } }'));
    const unset = await runCli(['plan', '--json', '-c', file], { env: { GATE_TEST_UNSET: undefined } });
    expect(unset.exitCode, unset.stderr).toBe(2);
    expect(JSON.parse(unset.stdout).error.message).toMatch(/secret value is missing/);
    const set = await runCli(['plan', '--json', '-c', file], { env: { GATE_TEST_UNSET: 'x' } });
    expect(set.exitCode, set.stderr).toBe(4);
  });
});
