/**
 * The GitHub Actions examples are workflows GitHub accepts: actionlint (pinned in the toolchain) finds
 * nothing in examples/ci/. With shellcheck on PATH, actionlint also checks every `run:` script with it
 * (otherwise it skips that part); the controls below prove both are live.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findOnPath } from '../../src/toolchain/discover.js';
import { resolveTool } from '../../src/toolchain/index.js';
import { repoRoot } from '../helpers/cli.js';

interface Finding {
  message: string;
  filepath: string;
  line: number;
  column: number;
  kind: string;
}

function actionlint(files: string[]): Finding[] {
  let out: string;
  try {
    out = execFileSync(resolveTool('actionlint'), ['-no-color', '-format', '{{json .}}', ...files], { cwd: repoRoot, encoding: 'utf8' });
  } catch (e) {
    const err = e as { status?: number; stdout?: string; stderr?: string };
    if (err.status !== 1) throw new Error(`actionlint failed (exit ${err.status}): ${err.stderr}`, { cause: e });
    out = err.stdout ?? '';
  }
  return JSON.parse(out || '[]') as Finding[];
}

const shellcheck = findOnPath('shellcheck');

describe('examples/ci', () => {
  const workflows = readdirSync(join(repoRoot, 'examples', 'ci'))
    .filter((f) => f.endsWith('.yml'))
    .map((f) => join('examples', 'ci', f));

  it(`actionlint finds nothing in any workflow (shellcheck: ${shellcheck ? 'on' : 'absent, skipped'})`, () => {
    expect(workflows.length).toBeGreaterThanOrEqual(3);
    const findings = actionlint(workflows);
    expect(findings.map((f) => `${f.filepath}:${f.line}:${f.column} [${f.kind}] ${f.message}`)).toEqual([]);
  });

  it('controls: the old unquoted `run:` value and an unquoted shell variable are findings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'platform-actionlint-'));
    const bad = join(dir, 'bad.yml');
    writeFileSync(
      bad,
      [
        'on: push',
        'jobs:',
        '  a:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - run: echo $GITHUB_SHA > out',
        `      - run: jq -r '.stacks[] | "- \\(.id): \\(.status)"' apply.json`,
        '',
      ].join('\n'),
    );
    const kinds = actionlint([bad]).map((f) => f.kind);
    expect(kinds).toContain('syntax-check');
    writeFileSync(bad, ['on: push', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', '      - run: echo $GITHUB_SHA > out', ''].join('\n'));
    expect(actionlint([bad]).map((f) => f.kind)).toEqual(shellcheck ? ['shellcheck'] : []);
  });
});
