/**
 * The CLI surface: with --json (or --format json) every command prints exactly one JSON document with
 * `version: 1` — its result, or its error — and the exit codes are the README's. `platform --help` shows
 * the exit-code table.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cli-json-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
cpSync(join(repoRoot, 'examples', 'local', 'platform.yaml'), join(dir, 'platform.yaml'));
const config = join(dir, 'platform.yaml');

describe('--json everywhere', { timeout: 120_000 }, () => {
  it.each([
    [['validate'], 0],
    [['schema'], 0],
    [['stacks', 'list'], 0],
    [['stacks', 'matrix'], 0],
    [['dr', 'check'], 0],
    [['local', 'status'], 0],
    [['toolchain', 'status'], null],
    [['cost'], 0],
    [['state', 'list'], 0],
  ] as const)('platform %j --json: one document with version 1', async (args, exitCode) => {
    const withConfig = args[0] === 'toolchain' || args[0] === 'schema' ? [...args] : [...args, '-c', config];
    const r = await runCli([...withConfig, '--json']);
    if (exitCode !== null) expect(r.exitCode, r.stderr).toBe(exitCode);
    const doc = JSON.parse(r.stdout) as { version: number; error?: unknown };
    expect(doc.version).toBe(1);
    expect(doc.error).toBeUndefined();
  });

  it('errors are one JSON document too, with --json and with --format json (drift, cost)', async () => {
    for (const args of [
      ['validate', '--json'],
      ['drift', '--format', 'json'],
      ['drift', '--format=json'],
      ['cost', '--format', 'json'],
      ['plan', '--json'],
    ]) {
      const r = await runCli([...args, '-c', join(dir, 'missing.yaml')], { cwd: dir });
      expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      const doc = JSON.parse(r.stdout) as { version: number; error: { kind: string; message: string } };
      expect(doc).toMatchObject({ version: 1, error: { kind: 'usage' } });
    }
  });

  it('without --json, stacks matrix prints the bare matrix GitHub Actions reads', async () => {
    const r = await runCli(['stacks', 'matrix', '-c', config]);
    expect(Object.keys(JSON.parse(r.stdout) as object)).toEqual(['include']);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('platform --help shows the exit codes', async () => {
    const r = await runCli(['--help']);
    for (const code of ['0  success', '1  failure', '2  usage error or invalid config', '3  drift found', '4  a mandatory policy'])
      expect(r.stdout).toContain(code);
  });
});
