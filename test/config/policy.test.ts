/**
 * platform.yaml's policy block and the source map the policy gate reports lines from: config errors
 * name file:line (waiver without reason, unknown policy), override files keep their own lines.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig, parseConfigWithSources } from '../../src/config/load.js';
import { builtinPolicyDir, knownPolicyNames, policyFilesIn } from '../../src/config/policy-names.js';
import { UsageError } from '../../src/errors.js';
import { globMatch } from '../../src/policy/check.js';

const BASE = `apiVersion: platform.dev/v1
name: acme
regions:
  - { name: eu, cloud: local, location: l-eu, role: primary }
tenants:
  - { name: team, plan: starter, owners: [o@example.com] }
services:
  - { name: web, tenant: team, image: ghcr.io/acme/web:1, port: 8080 }
  - name: api
    tenant: team
    image: ghcr.io/acme/api:1
    port: 8080
`;

const problemsOf = (fn: () => unknown): Array<{ where?: string; path?: string; message: string }> => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as UsageError).problems;
  }
  throw new Error('expected a UsageError');
};

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('policy: in platform.yaml', () => {
  const known = () => new Set(['no_latest', 'registry']);

  it('accepts enforcement levels and waivers with globs, a reason and an expiry (expired ones too: they just stop waiving)', () => {
    const config = parseConfig(
      `${BASE}policy:\n  enforcement: { registry: advisory, no_latest: disabled }\n  waivers:\n    - { policy: registry, stack: "app/*/team/*", object: "Deployment/team/web", reason: "vendor image", expires: 2001-01-01 }\n`,
      'p.yaml',
      { policyNames: known },
    );
    expect(config.policy).toEqual({
      enforcement: { registry: 'advisory', no_latest: 'disabled' },
      waivers: [{ policy: 'registry', stack: 'app/*/team/*', object: 'Deployment/team/web', reason: 'vendor image', expires: '2001-01-01' }],
    });
  });

  it('defaults a waiver to every stack and object', () => {
    const config = parseConfig(`${BASE}policy:\n  waivers:\n    - { policy: registry, reason: "all of it" }\n`, 'p.yaml', { policyNames: known });
    const waiver = config.policy!.waivers[0];
    expect(waiver).toMatchObject({ stack: '**', object: '**' });
    // What "every" means to the matcher: stack IDs and object paths have several segments.
    expect(globMatch(waiver.stack, 'app/eu/search/query')).toBe(true);
    expect(globMatch(waiver.object, 'Deployment/search/query')).toBe(true);
  });

  it('a waiver without a reason is invalid, at its line', () => {
    const problems = problemsOf(() => parseConfig(`${BASE}policy:\n  waivers:\n    - { policy: registry }\n`, 'p.yaml', { policyNames: known }));
    expect(problems).toEqual([
      expect.objectContaining({ where: 'p.yaml:15:7', path: 'policy.waivers[0].reason', message: expect.stringContaining('needs a reason') }),
    ]);
  });

  it('an unknown policy in a waiver or in enforcement is invalid, at its line, listing the known ones', () => {
    const problems = problemsOf(() =>
      parseConfig(`${BASE}policy:\n  enforcement:\n    no_lates: advisory\n  waivers:\n    - { policy: regsitry, reason: x }\n`, 'p.yaml', {
        policyNames: known,
      }),
    );
    expect(problems.map((p) => [p.where, p.path])).toEqual([
      ['p.yaml:15:15', 'policy.enforcement.no_lates'],
      ['p.yaml:17:17', 'policy.waivers[0].policy'],
    ]);
    expect(problems[0].message).toBe('unknown policy "no_lates"; known policies: no_latest, registry (built-in, and policies/*.rego beside platform.yaml)');
  });

  it('a bad expiry date is invalid', () => {
    const problems = problemsOf(() =>
      parseConfig(`${BASE}policy:\n  waivers:\n    - { policy: registry, reason: x, expires: 2026-02-30 }\n`, 'p.yaml', { policyNames: known }),
    );
    expect(problems[0]).toMatchObject({ path: 'policy.waivers[0].expires', message: 'must be a real calendar date' });
  });

  it('publicAccessCidrs only on cloud regions', () => {
    const text = BASE.replace('role: primary }', 'role: primary, cluster: { publicAccessCidrs: [203.0.113.0/24] } }');
    expect(problemsOf(() => parseConfig(text, 'p.yaml'))[0]).toMatchObject({
      path: 'regions[0].cluster.publicAccessCidrs',
      message: expect.stringContaining('only aws, gcp and azure regions'),
    });
  });

  it('loadConfig knows the built-in pack and the project policies beside platform.yaml', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-config-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'policies', 'lib'), { recursive: true });
    writeFileSync(join(dir, 'policies', 'registry.rego'), 'package policies.registry\n\ndeny contains "x" if false\n');
    writeFileSync(join(dir, 'policies', 'registry_test.rego'), 'package policies.registry_test\n\ntest_x if true\n');
    writeFileSync(join(dir, 'policies', 'helpers.rego'), 'package policies.helpers\n\nok(x) if x\n');
    writeFileSync(
      join(dir, 'platform.yaml'),
      `${BASE}policy:\n  waivers:\n    - { policy: registry, reason: "ours" }\n    - { policy: no_latest, reason: "built-in" }\n`,
    );
    expect(loadConfig(join(dir, 'platform.yaml')).config.policy?.waivers).toHaveLength(2);
    const names = knownPolicyNames(dir);
    expect(names.has('registry')).toBe(true);
    expect(names.has('helpers')).toBe(false); // no deny/warn: a library
    expect(names.has('registry_test')).toBe(false);
    expect(policyFilesIn(builtinPolicyDir()).map((p) => p.name)).toEqual(
      expect.arrayContaining(['resources', 'no_latest', 'cluster_endpoint', 'backup_bucket']),
    );
  });
});

describe('the source map', () => {
  it('names the line of each entry; a defaulted field points at its entry', () => {
    const { sources } = parseConfigWithSources(BASE, 'p.yaml');
    expect(sources.at(['services', 0])).toEqual({ file: 'p.yaml', line: 8 });
    expect(sources.at(['services', 1])).toEqual({ file: 'p.yaml', line: 9 });
    expect(sources.at(['services', 1, 'image'])).toEqual({ file: 'p.yaml', line: 11 });
    expect(sources.at(['services', 1, 'probes'])).toEqual({ file: 'p.yaml', line: 9 });
    expect(sources.at(['mesh', 'istio'])).toEqual({ file: 'p.yaml', line: 1 });
  });

  it('a value from services/<name>/overrides.yaml or services/common.yaml names that file and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-sources-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'platform.yaml'), BASE);
    mkdirSync(join(dir, 'services', 'api'), { recursive: true });
    writeFileSync(join(dir, 'services', 'common.yaml'), 'replicas: 2\n');
    writeFileSync(join(dir, 'services', 'api', 'overrides.yaml'), '# pinned by the team\nimage: ghcr.io/acme/api:latest\n');
    const { sources } = loadConfig(join(dir, 'platform.yaml'));
    expect(sources.at(['services', 1, 'image'])).toEqual({ file: expect.stringMatching(/services\/api\/overrides\.yaml$/), line: 2 });
    expect(sources.at(['services', 0, 'replicas'])).toEqual({ file: expect.stringMatching(/services\/common\.yaml$/), line: 1 });
    expect(sources.at(['services', 0, 'image']).line).toBe(8);
  });
});
