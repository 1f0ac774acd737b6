/**
 * Start-up time is a feature: `platform --help` and the commands that never check policies load none
 * of the policy code (the gate, OPA's runner, the renderer); plan/apply/policy load it on demand.
 * Traced through the built CLI with a module-load hook. Needs `npm run build`.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Text only the policy code holds: the generated entrypoint's package, the gate's refusal, the renderer's summary. */
const MARKERS = ['platform_gate', 'mandatory policy violation', 'waiver expired on'];

async function loadedFiles(args: string[]): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'policy-lazy-'));
  dirs.push(dir);
  const trace = join(dir, 'loaded.txt');
  const r = await runCli(args, { env: { TRACE_OUT: trace, NODE_OPTIONS: `--import=${join(repoRoot, 'test', 'clouds', 'trace-loads.mjs')}` } });
  expect(r.exitCode, r.stderr).toBe(0);
  return readFileSync(trace, 'utf8')
    .trim()
    .split('\n')
    .filter((u) => u.startsWith('file://') && u.includes('/dist/'))
    .map((u) => fileURLToPath(u));
}

const withPolicyCode = (files: string[]): string[] => files.filter((f) => MARKERS.some((m) => readFileSync(f, 'utf8').includes(m)));

describe('the policy code loads lazily', { timeout: 120_000 }, () => {
  test('the markers are in the built bundle (so their absence means something)', () => {
    const chunks = join(repoRoot, 'dist', 'cli', 'chunks');
    const files = readdirSync(chunks)
      .filter((f) => f.endsWith('.js'))
      .map((f) => join(chunks, f));
    for (const m of MARKERS)
      expect(
        files.filter((f) => readFileSync(f, 'utf8').includes(m)),
        m,
      ).not.toEqual([]);
  });

  test.each([
    [['--help']],
    [['stacks', 'list', '-c', join(repoRoot, 'examples', 'local', 'platform.yaml')]],
    [['dr', 'check', '-c', join(repoRoot, 'examples', 'local', 'platform.yaml')]],
  ])('%j loads none of it', async (args) => {
    const files = await loadedFiles(args);
    expect(files.length).toBeGreaterThan(3); // the hook saw the run
    expect(withPolicyCode(files)).toEqual([]);
  });
});
