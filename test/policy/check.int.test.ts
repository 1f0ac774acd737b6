/**
 * The policy gate with the real OPA over a project's own policies: levels, enforcement, waivers, the
 * platform.yaml line of every violation, rules that point at another object, broken or clashing
 * policies as usage errors — and one OPA process per check, whatever the number of objects.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { UsageError } from '../../src/errors.js';
import { checkPolicies, runPolicyCheck } from '../../src/policy/check.js';
import { policyInput } from '../../src/policy/input.js';
import { splitByStack } from '../../src/policy/opa.js';
import { planStacks } from '../../src/stacks/plan.js';
import { forgetResolvedTools, resolveTool } from '../../src/toolchain/index.js';

const CONFIG = `apiVersion: platform.dev/v1
name: acme
regions:
  - { name: eu, cloud: local, location: l-eu, role: primary }
  - { name: us, cloud: local, location: l-us, role: dr }
dr: { rpoMinutes: 60, rtoMinutes: 30, backupSchedule: "*/30 * * * *" }
tenants:
  - { name: search, plan: starter, owners: [o@example.com] }
services:
  - name: query
    tenant: search
    image: docker.io/vendor/query:2.1
    port: 8080
    dr: none
    regions: [eu]
  - { name: index, tenant: search, image: ghcr.io/acme/index:1.0.0, port: 8080 }
`;

// About the apps: the control planes platform installs (here Velero, for dr:) pull from their projects' registries.
const REGISTRY = `package policies.registry

deny contains msg if {
	input.stack.layer == "app"
	some c in input.object.spec.template.spec.containers
	not startswith(c.image, "ghcr.io/acme/")
	msg := sprintf("container %s pulls %s from outside ghcr.io/acme", [c.name, c.image])
}
`;

/** Advisory, and pointing at another object: every tenant namespace should carry a cost-centre label. */
const COST_CENTRE = `package policies.cost_centre

warn contains {"msg": "the tenant's namespace has no cost-centre label", "object": {"kind": "Namespace", "name": input.stack.tenant}} if {
	input.object.kind == "ResourceQuota"
	some ns in input.objects
	ns.kind == "Namespace"
	not ns.metadata.labels["acme.example/cost-centre"]
}
`;

let dir: string;
const file = () => join(dir, 'platform.yaml');
const write = (extra = ''): void => writeFileSync(file(), `${CONFIG}${extra}`);
const check = async (extra = '', now?: Date) => {
  write(extra);
  return runPolicyCheck({ configFile: file(), now });
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'policy-check-'));
  mkdirSync(join(dir, 'policies'));
  writeFileSync(join(dir, 'policies', 'registry.rego'), REGISTRY);
  writeFileSync(join(dir, 'policies', 'cost_centre.rego'), COST_CENTRE);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('policies beside platform.yaml', { timeout: 120_000 }, () => {
  it('deny is mandatory, with the stack, the object and the platform.yaml line of the service', async () => {
    const r = await check();
    const registry = r.violations.filter((v) => v.policy === 'registry');
    expect(registry).toEqual([
      {
        policy: 'registry',
        level: 'mandatory',
        stack: 'app/eu/search/query',
        object: { kind: 'Deployment', namespace: 'search', name: 'query' },
        message: 'container query pulls docker.io/vendor/query:2.1 from outside ghcr.io/acme',
        source: { file: file(), line: 10 },
      },
    ]);
    expect(r.checked.policies).toEqual(expect.arrayContaining(['registry', 'cost_centre', 'resources']));
  });

  it('warn is advisory; a rule may name another object of the stack (its source is that object’s entry)', async () => {
    const r = await check();
    const costCentre = r.violations.filter((v) => v.policy === 'cost_centre');
    expect(costCentre.map((v) => [v.level, v.stack, v.object, v.source.line])).toEqual([
      ['advisory', 'tenant/eu/search', { kind: 'Namespace', name: 'search' }, 8],
      ['advisory', 'tenant/us/search', { kind: 'Namespace', name: 'search' }, 8],
    ]);
  });

  it('policy.enforcement changes a policy’s level or turns it off', async () => {
    const advisory = await check('policy:\n  enforcement: { registry: advisory, cost_centre: mandatory }\n');
    expect(advisory.violations.filter((v) => v.policy === 'registry').map((v) => v.level)).toEqual(['advisory']);
    expect(advisory.violations.filter((v) => v.policy === 'cost_centre').map((v) => v.level)).toEqual(['mandatory', 'mandatory']);
    const disabled = await check('policy:\n  enforcement: { registry: disabled, image_digest: disabled }\n');
    expect(disabled.violations.filter((v) => v.policy === 'registry' || v.policy === 'image_digest')).toEqual([]);
    expect(disabled.checked.policies).not.toContain('registry');
  });

  it('a waiver lets a violation through until it expires; then the violation is back, naming the expiry', async () => {
    const waiver = (expires: string) =>
      `policy:\n  waivers:\n    - { policy: registry, stack: "app/*/search/*", object: "Deployment/search/query", reason: "vendor image until 2027", expires: ${expires} }\n`;
    const valid = await check(waiver('2027-03-31'), new Date('2026-06-01T00:00:00Z'));
    expect(valid.violations.filter((v) => v.policy === 'registry')).toEqual([]);
    expect(valid.waived).toEqual([
      expect.objectContaining({ policy: 'registry', stack: 'app/eu/search/query', waiver: { reason: 'vendor image until 2027', expires: '2027-03-31' } }),
    ]);
    const expired = await check(waiver('2027-03-31'), new Date('2027-04-01T00:00:00Z'));
    expect(expired.waived).toEqual([]);
    expect(expired.violations.filter((v) => v.policy === 'registry')).toEqual([
      expect.objectContaining({ level: 'mandatory', waiverExpired: { expires: '2027-03-31', reason: 'vendor image until 2027' } }),
    ]);
  });

  it('a policy that does not compile is a usage error at its file:line; a project policy may not take a built-in name', async () => {
    write();
    writeFileSync(join(dir, 'policies', 'broken.rego'), 'package policies.broken\n\ndeny contains msg if {\n\tmsg := \n}\n');
    try {
      const err = await runPolicyCheck({ configFile: file() }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).problems[0].where).toMatch(/policies\/broken\.rego:\d+$/);
    } finally {
      rmSync(join(dir, 'policies', 'broken.rego'));
    }
    writeFileSync(join(dir, 'policies', 'mine.rego'), 'package acme.no_latest\n\ndeny contains "x" if false\n');
    try {
      const err = await runPolicyCheck({ configFile: file() }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).problems[0].message).toContain('has the name of a built-in policy');
    } finally {
      rmSync(join(dir, 'policies', 'mine.rego'));
    }
  });
});

describe('one OPA process per core on a large check, one on a small one', { timeout: 120_000 }, () => {
  const saved = process.env.PATH;
  let shimDir: string;
  beforeAll(() => {
    // An `opa` on PATH that counts evaluations and runs the real one (a PATH copy is used when its version matches).
    shimDir = mkdtempSync(join(tmpdir(), 'opa-shim-'));
    const real = resolveTool('opa');
    writeFileSync(join(shimDir, 'opa'), `#!/bin/sh\n[ "$1" = eval ] && echo x >> "${join(shimDir, 'evals')}"\nexec "${real}" "$@"\n`);
    chmodSync(join(shimDir, 'opa'), 0o755);
    process.env.PATH = `${shimDir}${delimiter}${saved}`;
    forgetResolvedTools();
  });
  afterAll(() => {
    process.env.PATH = saved;
    forgetResolvedTools();
    rmSync(shimDir, { recursive: true, force: true });
  });

  it('evaluates 100 tenants × 2 regions (hundreds of stacks, thousands of objects) split by stack, each violation on its own stack', async () => {
    expect(resolveTool('opa')).toBe(join(shimDir, 'opa'));
    const tenants = Array.from({ length: 100 }, (_, i) => `  - { name: t${i}, plan: starter, owners: [o@example.com] }`).join('\n');
    const services = Array.from({ length: 100 }, (_, i) => `  - { name: svc, tenant: t${i}, image: ghcr.io/acme/svc:1, port: 8080 }`).join('\n');
    writeFileSync(file(), `${CONFIG.split('tenants:')[0]}tenants:\n${tenants}\nservices:\n${services}\n`);
    const loaded = loadConfig(file());
    const stacks = planStacks(loaded.config);
    const r = await checkPolicies({ loaded, stacks });
    expect(r.checked.stacks).toBe(stacks.length);
    expect(r.checked.objects).toBeGreaterThan(2000);
    const { input } = policyInput(stacks);
    expect(readFileSync(join(shimDir, 'evals'), 'utf8').trim().split('\n')).toHaveLength(splitByStack(input).length);
    // Every service's unpinned image is reported once, on its own stack and namespace, whichever process saw it.
    const digests = r.violations.filter((v) => v.policy === 'image_digest');
    expect(
      digests
        .filter((v) => v.stack.startsWith('app/'))
        .map((v) => `${v.stack} ${v.object.namespace}`)
        .sort(),
    ).toEqual(
      stacks
        .filter((s) => s.layer === 'app')
        .map((s) => `${s.id} ${s.id.split('/')[2]}`)
        .sort(),
    );
    // The rest are the installed control planes' images (Velero's, pinned by tag), on their own stacks.
    expect(new Set(digests.filter((v) => !v.stack.startsWith('app/')).map((v) => `${v.stack} ${v.object.namespace}`))).toEqual(
      new Set(['cluster/eu velero', 'cluster/us velero']),
    );
  });
});
