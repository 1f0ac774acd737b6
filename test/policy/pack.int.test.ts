/**
 * The built-in pack with the real OPA: its `opa test` cases pass, every policy has a case that passes
 * and one that fails, and every example passes the pack (no mandatory violation) with either engine —
 * on the very same input.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigWithSources } from '../../src/config/load.js';
import { builtinPolicyDir, policyFilesIn } from '../../src/config/policy-names.js';
import { checkPolicies } from '../../src/policy/check.js';
import { runTests } from '../../src/policy/opa.js';
import { planStacks } from '../../src/stacks/plan.js';
import { repoRoot } from '../helpers/cli.js';

const EXAMPLES = readdirSync(join(repoRoot, 'examples'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && readdirSync(join(repoRoot, 'examples', d.name)).includes('platform.yaml'))
  .map((d) => d.name);

describe('the built-in policy pack', { timeout: 120_000 }, () => {
  it('opa test: every case passes, and every policy has a passing and a failing case', async () => {
    const tests = await runTests([builtinPolicyDir()]);
    expect(tests.filter((t) => t.outcome !== 'pass')).toEqual([]);
    const policies = policyFilesIn(builtinPolicyDir());
    expect(policies.length).toBeGreaterThanOrEqual(22);
    for (const p of policies) {
      const own = tests.filter((t) => t.package === `${p.package}_test`).map((t) => t.name);
      expect(
        own.filter((n) => /_pass(es)?$/.test(n)),
        `${p.name}: a case the policy lets through`,
      ).not.toEqual([]);
      expect(
        own.filter((n) => /_(fail|fails|warns)$/.test(n)),
        `${p.name}: a case the policy catches`,
      ).not.toEqual([]);
    }
  });

  it('is documented: every policy has its row in docs/policy.md', () => {
    const doc = readFileSync(join(repoRoot, 'docs', 'policy.md'), 'utf8');
    for (const p of policyFilesIn(builtinPolicyDir())) expect(doc, p.name).toContain(`| \`${p.name}\` |`);
  });

  it.each(EXAMPLES)('examples/%s passes it (no mandatory violation), with the same result for both engines', async (example) => {
    const text = readFileSync(join(repoRoot, 'examples', example, 'platform.yaml'), 'utf8');
    const reports = [];
    for (const engine of ['pulumi', 'terraform']) {
      const { config, sources } = parseConfigWithSources(text.replace(/^engine: \w+$/m, `engine: ${engine}`), `examples/${example}/platform.yaml`);
      const loaded = { config, sources, file: join(repoRoot, 'examples', example, 'platform.yaml'), projectDir: join(repoRoot, 'examples', example) };
      reports.push(await checkPolicies({ loaded, stacks: planStacks(config) }));
    }
    const [pulumi, terraform] = reports;
    expect(pulumi.violations.filter((v) => v.level === 'mandatory')).toEqual([]);
    expect(pulumi.checked.policies).toHaveLength(policyFilesIn(builtinPolicyDir()).length);
    // Advisory only: images pinned by tag rather than digest.
    expect([...new Set(pulumi.violations.map((v) => v.policy))]).toEqual(['image_digest']);
    expect(terraform).toEqual(pulumi);
  });
});
