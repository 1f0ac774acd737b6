import { mkdtempSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { UsageError } from '../../src/errors.js';
import { repoRoot, runCli } from '../helpers/cli.js';

const dir = join(repoRoot, 'test', 'fixtures', 'invalid');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/** Each fixture's first line: `# expect: LINE substring-of-the-message`. */
function expectation(file: string): { line: number; text: string } {
  const m = /^# expect: (\d+) ?(.*)$/.exec(readFileSync(join(dir, file), 'utf8').split('\n')[0]);
  if (!m) throw new Error(`${file}: first line must be "# expect: LINE TEXT"`);
  return { line: Number(m[1]), text: m[2] };
}

describe('invalid config corpus', () => {
  it('has at least 25 configs', () => expect(files.length).toBeGreaterThanOrEqual(25));

  it.each(files)('%s: names the line and the problem', (file) => {
    const { line, text } = expectation(file);
    let error: unknown;
    try {
      parseConfig(readFileSync(join(dir, file), 'utf8'), file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    const problems = (error as UsageError).problems;
    const atLine = problems.filter((p) => p.where?.startsWith(`${file}:${line}:`));
    expect(atLine.map((p) => `${p.where} ${p.path ?? ''} ${p.message}`).join('\n')).toContain(text);
  });

  it('every config exits 2 through the CLI with file:line, no stack trace, nothing written', async () => {
    const results = [];
    for (let i = 0; i < files.length; i += 4) {
      const batch = files.slice(i, i + 4).map(async (file) => {
        const out = join(mkdtempSync(join(tmpdir(), 'platform-invalid-')), 'synth-out');
        const r = await runCli(['synth', '-c', join(dir, file), '--out', out]);
        return { file, out, ...r };
      });
      results.push(...(await Promise.all(batch)));
    }
    for (const r of results) {
      expect(r.exitCode, `${r.file}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`${r.file.replace('.', '\\.')}:\\d+:\\d+`));
      expect(r.stderr).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)$/m);
      expect(r.stdout).toBe('');
      expect(existsSync(r.out), `${r.file} wrote ${r.out}`).toBe(false);
    }
  }, 120_000);

  it('--json prints one error document with every problem', async () => {
    const r = await runCli(['validate', '--json', '-c', join(dir, '09-two-primaries.yaml')]);
    expect(r.exitCode).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ version: 1, error: { kind: 'usage' } });
    expect(doc.error.problems[0].where).toMatch(/09-two-primaries\.yaml:5:\d+/);
  }, 30_000);
});
