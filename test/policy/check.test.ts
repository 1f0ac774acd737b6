/**
 * The parts of the policy gate that need no OPA: the input document (every object, secrets never in
 * it, the same for both engines), waivers (globs, expiry) and the generated entrypoint.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { planStacks } from '../../src/stacks/plan.js';
import { applyWaivers, globMatch } from '../../src/policy/check.js';
import { policyInput } from '../../src/policy/input.js';
import { entrypoint } from '../../src/policy/opa.js';
import type { Violation } from '../../src/policy/types.js';
import { makeConfig } from '../stacks/helpers.js';

const violation = (over: Partial<Violation> = {}): Violation => ({
  policy: 'registry',
  level: 'mandatory',
  stack: 'app/eu/search/query',
  object: { kind: 'Deployment', namespace: 'search', name: 'query' },
  message: 'm',
  source: { file: 'platform.yaml', line: 3 },
  ...over,
});

describe('waivers', () => {
  const now = new Date('2026-06-15T12:00:00Z');
  const waiver = { policy: 'registry', stack: 'app/*/search/*', object: 'Deployment/search/query', reason: 'vendor image until 2027' };

  it('waive a matching violation, through the last day of `expires`', () => {
    for (const expires of [undefined, '2027-03-31', '2026-06-15']) {
      const r = applyWaivers([violation()], [{ ...waiver, ...(expires ? { expires } : {}) }], now);
      expect(r.violations).toEqual([]);
      expect(r.waived).toEqual([{ ...violation(), waiver: { reason: 'vendor image until 2027', ...(expires ? { expires } : {}) } }]);
    }
  });

  it('an expired waiver no longer waives: the violation is reported, naming the expiry', () => {
    const r = applyWaivers([violation()], [{ ...waiver, expires: '2026-06-14' }], now);
    expect(r.waived).toEqual([]);
    expect(r.violations).toEqual([{ ...violation(), waiverExpired: { expires: '2026-06-14', reason: 'vendor image until 2027' } }]);
  });

  it('match by policy, stack glob and object glob only', () => {
    const others = [
      violation({ policy: 'no_latest' }),
      violation({ stack: 'app/eu/payments/query' }),
      violation({ object: { kind: 'Deployment', namespace: 'search', name: 'index' } }),
    ];
    expect(applyWaivers(others, [waiver], now).violations).toEqual(others);
  });

  it('globs: * within a segment, ** across, ? one character, the rest literal', () => {
    expect(globMatch('app/*/search/*', 'app/eu/search/query')).toBe(true);
    expect(globMatch('app/*', 'app/eu/search/query')).toBe(false);
    expect(globMatch('app/**', 'app/eu/search/query')).toBe(true);
    expect(globMatch('**', 'aws_s3_bucket/backup-logs')).toBe(true);
    expect(globMatch('cluster/e?', 'cluster/eu')).toBe(true);
    expect(globMatch('Deployment/search/q.ery', 'Deployment/search/query')).toBe(false);
    expect(globMatch('aws_s3_bucket/*', 'aws_s3_bucket/backup-logs')).toBe(true);
  });
});

describe('the policy input', () => {
  it('holds every object of every stack with its identity and config entry, and never a secret value', () => {
    const config = makeConfig({
      services: [{ name: 'web', tenant: 'team-a', image: 'ghcr.io/acme/web:1.0.0', port: 8080, secretEnv: { TOKEN: 'env:WEB_TOKEN' } }],
    });
    const stacks = planStacks(config);
    const app = stacks.find((s) => s.id === 'app/eu/team-a/web')!;
    // A Secret with values (as a reader of state would see it): the values never reach the input.
    app.objects.push({
      manifest: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'leak', namespace: 'team-a' },
        data: { TOKEN: 'c2VjcmV0LXZhbHVl' },
        stringData: { PLAIN: 'secret-value' },
      },
    });
    const { input, index } = policyInput(stacks);
    expect(input.stacks.map((s) => s.stack.id)).toEqual(stacks.map((s) => s.id));
    const doc = JSON.stringify(input);
    expect(doc).not.toContain('secret-value');
    expect(doc).not.toContain('c2VjcmV0LXZhbHVl');
    const i = stacks.indexOf(app);
    const leak = input.stacks[i].objects.find((o) => o.kind === 'Secret' && (o as { metadata: { name: string } }).metadata.name === 'leak');
    expect(leak).toMatchObject({ data: { TOKEN: '[secret]' }, stringData: { PLAIN: '[secret]' } });
    expect(input.stacks[i].stack).toEqual({ id: 'app/eu/team-a/web', layer: 'app', region: 'eu', cloud: 'local', tenant: 'team-a', service: 'web' });
    expect(index.objects[i].find((o) => o.ref.kind === 'Deployment')).toEqual({
      ref: { kind: 'Deployment', namespace: 'team-a', name: 'web' },
      source: ['services', 0],
    });
  });

  it('a cloud cluster stack brings its cloud resources as { kind, name, values }, identical whichever engine the estate uses', () => {
    const text = (engine: string) =>
      `apiVersion: platform.dev/v1\nname: acme\nengine: ${engine}\nregions:\n  - { name: eu, cloud: aws, location: eu-west-1, role: primary, cluster: { publicAccessCidrs: [203.0.113.0/24] } }\n`;
    const [pulumi, terraform] = ['pulumi', 'terraform'].map((e) => policyInput(planStacks(parseConfig(text(e), 'p.yaml'))).input);
    expect(pulumi).toEqual(terraform);
    const cluster = pulumi.stacks[0].objects.find((o) => o.kind === 'aws_eks_cluster');
    expect(cluster).toMatchObject({ name: 'cluster', values: { vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ['203.0.113.0/24'] } } });
    expect(Object.keys(cluster!).sort()).toEqual(['kind', 'name', 'values']);
  });
});

describe('the generated entrypoint', () => {
  it('evaluates every policy once per object with `with input as`, in one query', () => {
    const rego = entrypoint([
      { name: 'resources', package: 'platform.resources', file: 'resources.rego' },
      { name: 'registry', package: 'policies.registry', file: 'registry.rego' },
    ]);
    expect(rego).toContain('some r in object_results with input as {"object": obj, "objects": s.objects, "stack": s.stack}');
    expect(rego).toContain('object_results contains {"policy": "registry", "rule": "warn", "result": m} if some m in data.policies.registry.warn');
    expect(rego.match(/object_results contains/g)).toHaveLength(4);
  });
});
