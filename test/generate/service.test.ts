import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { repoRoot, runCli } from '../helpers/cli.js';

function project(): { dir: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), 'platform-gen-'));
  cpSync(join(repoRoot, 'examples', 'local', 'platform.yaml'), join(dir, 'platform.yaml'));
  return { dir, config: join(dir, 'platform.yaml') };
}

describe('platform generate service', () => {
  it('adds the service keeping comments, scaffolds a folder whose test passes at once', async () => {
    const { dir, config } = project();
    const before = readFileSync(config, 'utf8');
    const r = await runCli(['generate', 'service', 'orders', '--tenant', 'payments', '--port', '9000', '-c', config, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.files.map((f: { path: string }) => f.path.replace(dir, ''))).toEqual([
      '/platform.yaml',
      '/services/orders/README.md',
      '/services/orders/overrides.yaml',
      '/services/orders/orders.test.ts',
    ]);
    const after = readFileSync(config, 'utf8');
    expect(after.startsWith(before.split('\nservices:')[0])).toBe(true); // comments and layout above kept
    expect(after).toContain('# The demo estate');
    const loaded = loadConfig(config).config.services.find((s) => s.name === 'orders');
    expect(loaded).toMatchObject({ tenant: 'payments', port: 9000, env: { SERVICE_NAME: 'orders' } }); // overrides merged

    // The scaffolded test runs against this project and passes.
    mkdirSync(join(dir, 'node_modules', '@platform-iac'), { recursive: true });
    symlinkSync(repoRoot, join(dir, 'node_modules', '@platform-iac', 'cli'));
    symlinkSync(join(repoRoot, 'node_modules', 'vitest'), join(dir, 'node_modules', 'vitest'));
    const t = await execa(process.execPath, [join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', dir, 'services/orders'], {
      reject: false,
      cwd: dir,
    });
    expect(t.exitCode, `${t.stdout}\n${t.stderr}`).toBe(0);
    expect(t.stdout).toMatch(/2 passed/);
  }, 120_000);

  it('--dry-run writes nothing', async () => {
    const { dir, config } = project();
    const before = readFileSync(config, 'utf8');
    const r = await runCli(['generate', 'service', 'orders', '--tenant', 'payments', '-c', config, '--dry-run']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('would create');
    expect(readFileSync(config, 'utf8')).toBe(before);
    expect(existsSync(join(dir, 'services'))).toBe(false);
  }, 60_000);

  it.each([
    [['Bad_Name', '--tenant', 'payments'], 'not a DNS-1123 label'],
    [['orders', '--tenant', 'nobody'], 'tenant "nobody" is not defined'],
    [['checkout', '--tenant', 'payments'], 'already exists'],
    [['orders'], 'Missing required flag tenant'],
  ])(
    'refuses %j with exit 2 and writes nothing',
    async (args, message) => {
      const { dir, config } = project();
      const before = readFileSync(config, 'utf8');
      const r = await runCli(['generate', 'service', ...args, '-c', config]);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain(message);
      expect(readFileSync(config, 'utf8')).toBe(before);
      expect(existsSync(join(dir, 'services'))).toBe(false);
    },
    60_000,
  );

  it('refuses to overwrite existing service files without --force', async () => {
    const { dir, config } = project();
    mkdirSync(join(dir, 'services', 'orders'), { recursive: true });
    writeFileSync(join(dir, 'services', 'orders', 'README.md'), 'mine');
    const r = await runCli(['generate', 'service', 'orders', '--tenant', 'payments', '-c', config]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--force');
    expect(readFileSync(join(dir, 'services', 'orders', 'README.md'), 'utf8')).toBe('mine');
    const forced = await runCli(['generate', 'service', 'orders', '--tenant', 'payments', '-c', config, '--force']);
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(readFileSync(join(dir, 'services', 'orders', 'README.md'), 'utf8')).toContain('# orders');
  }, 60_000);
});
