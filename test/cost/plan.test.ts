/** What `plan` prices: each stack's difference against the merge base of --base, or why there is none. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planCost } from '../../src/cost/plan.js';
import { planStacks } from '../../src/stacks/plan.js';
import { parseConfig } from '../../src/config/load.js';
import { pairText } from './fixtures.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'plan-cost-'));
  dirs.push(d);
  return d;
};
const git = (dir: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' });

const before = pairText('terraform', { cloud: 'aws', location: 'us-east-1' }, { cloud: 'aws', location: 'us-west-2' });
const after = before.replace('replicas: 2', 'replicas: 4');
const allStacks = planStacks(parseConfig(before, 'platform.yaml')).map((s) => s.id);

describe('planCost', () => {
  it("an uncommitted replicas change: exactly that service's stacks, more expensive", () => {
    const dir = tempDir();
    git(dir, 'init', '-q', '-b', 'main');
    const configFile = join(dir, 'platform.yaml');
    writeFileSync(configFile, before);
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'base');
    writeFileSync(configFile, after);
    const { delta, unavailable } = planCost({ configFile, base: 'main', stackIds: allStacks });
    expect(unavailable).toBeUndefined();
    expect(delta!.base).toEqual({ ref: 'main', commit: git(dir, 'rev-parse', 'main').trim() });
    expect(delta!.stacks.map((s) => s.id)).toEqual(['app/one/team/web', 'app/two/team/web']);
    for (const s of delta!.stacks) expect(s.difference).toBeGreaterThan(0);
    // Only the stacks being planned are priced.
    const one = planCost({ configFile, base: 'main', stackIds: ['app/one/team/web'] });
    expect(one.delta!.stacks.map((s) => s.id)).toEqual(['app/one/team/web']);
  });

  it('no Git repository, or a base that does not resolve: no delta, and why', () => {
    const outside = tempDir();
    writeFileSync(join(outside, 'platform.yaml'), after);
    expect(planCost({ configFile: join(outside, 'platform.yaml'), base: 'origin/main', stackIds: allStacks })).toEqual({
      unavailable: expect.stringMatching(/not inside a Git repository/),
    });
    const dir = tempDir();
    git(dir, 'init', '-q', '-b', 'main');
    writeFileSync(join(dir, 'platform.yaml'), before);
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'base');
    expect(planCost({ configFile: join(dir, 'platform.yaml'), base: 'origin/main', stackIds: allStacks })).toEqual({
      unavailable: expect.stringContaining('origin/main'),
    });
  });
});
