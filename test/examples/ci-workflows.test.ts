/** What the CI examples install and cache (issue 14 items 1 and 6), read as YAML. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { PACKAGE_NAME } from '../../src/paths.js';
import { repoRoot } from '../helpers/cli.js';

interface Step {
  uses?: string;
  run?: string;
  id?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
const dir = join(repoRoot, 'examples', 'ci');
const workflows = readdirSync(dir)
  .filter((f) => f.endsWith('.yml'))
  .map((f) => ({
    file: f,
    text: readFileSync(join(dir, f), 'utf8'),
    doc: parse(readFileSync(join(dir, f), 'utf8')) as { on: Record<string, unknown>; jobs: Record<string, { steps: Step[] }> },
  }));

describe('examples/ci workflows', () => {
  it('parse as YAML', () => {
    expect(workflows.map((w) => w.file).sort()).toEqual(['github-apply.yml', 'github-drift.yml', 'github-plan.yml']);
  });

  it(`install ${PACKAGE_NAME}, never the unrelated \`platform\` package`, () => {
    for (const w of workflows) {
      expect(w.text, w.file).not.toMatch(/npm (install|i)\b[^\n]*\splatform(@|\s|$)/m);
      expect(w.text, w.file).toContain(PACKAGE_NAME);
    }
  });

  it('every job that installs the toolchain restores it from actions/cache, keyed by the versions file, and needs Go only on a miss', () => {
    let jobs = 0;
    for (const w of workflows) {
      for (const [name, job] of Object.entries(w.doc.jobs)) {
        const install = job.steps.findIndex((s) => s.run?.includes('platform toolchain install'));
        if (install < 0) continue;
        jobs++;
        const cache = job.steps.findIndex((s) => s.uses?.startsWith('actions/cache@'));
        expect(cache, `${w.file} ${name}`).toBeGreaterThanOrEqual(0);
        expect(cache).toBeLessThan(install);
        const step = job.steps[cache];
        expect(step.with).toMatchObject({
          path: '~/.cache/platform/toolchain',
          key: expect.stringContaining(`hashFiles('node_modules/${PACKAGE_NAME}/dist/toolchain/versions.js')`),
        });
        const go = job.steps.find((s) => s.uses?.startsWith('actions/setup-go@'));
        expect(go?.if, `${w.file} ${name}`).toBe(`steps.${step.id}.outputs.cache-hit != 'true'`);
      }
    }
    expect(jobs).toBe(3);
  });

  it("apply selects everything the push changed: from the push event's `before` SHA, not HEAD~1", () => {
    const apply = workflows.find((w) => w.file === 'github-apply.yml')!;
    expect(apply.text).not.toContain('HEAD~1');
    const step = apply.doc.jobs.apply.steps.find((s) => s.run?.includes('--affected'))!;
    expect(step.env?.BEFORE).toBe('${{ github.event.before }}');
    expect(step.run).toContain('--base "$BEFORE"');
  });
});
