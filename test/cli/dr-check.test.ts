import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';

describe('platform dr check (CLI)', () => {
  it('--json: { version, rules: [{ name, ok, why }] }, exit 0 when all pass', async () => {
    const r = await runCli(['dr', 'check', '--json', '-c', join(repoRoot, 'examples/multicloud/platform.yaml')]);
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.version).toBe(1);
    for (const rule of doc.rules) expect(Object.keys(rule).sort()).toEqual(['name', 'ok', 'why']);
  }, 60_000);

  it('exit 2 when a rule breaks, and plan refuses to run unless --skip-dr-check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'platform-dr-'));
    const file = join(dir, 'platform.yaml');
    writeFileSync(
      file,
      readFileSync(join(repoRoot, 'examples/local/platform.yaml'), 'utf8')
        .replace('backupSchedule: "*/30 * * * *"\n  failover: dns', 'backupSchedule: "*/30 * * * *"\n  failover: dns')
        .replace('    dr: none\n', ''),
    );
    const check = await runCli(['dr', 'check', '-c', file]);
    expect(check.exitCode).toBe(2);
    expect(check.stderr).toMatch(/FAIL services-have-dr-copy: search\/indexer/);
    const plan = await runCli(['plan', '--all', '-c', file]);
    expect(plan.exitCode).toBe(2);
    expect(plan.stderr).toContain('disaster-recovery rule');
  }, 60_000);
});
