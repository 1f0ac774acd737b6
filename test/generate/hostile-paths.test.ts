/**
 * Hostile names and paths (#20): service and tenant names that try to become paths, and `services/`
 * folders that escape the project through `..` or symlinks, are refused with exit 2 and nothing is
 * written outside the project. (`--config` and `--out` stay free to point anywhere.)
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';

function project(): { dir: string; config: string; outside: string } {
  const root = mkdtempSync(join(tmpdir(), 'platform-hostile-'));
  const dir = join(root, 'project');
  const outside = join(root, 'outside');
  mkdirSync(dir);
  mkdirSync(outside);
  cpSync(join(repoRoot, 'examples', 'local', 'platform.yaml'), join(dir, 'platform.yaml'));
  return { dir, config: join(dir, 'platform.yaml'), outside };
}

const STACK_TRACE = /^\s+at .*:\d+:\d+\)?$/m;

describe('hostile names and paths', () => {
  it.each(['..', '../evil', 'a/b', '/etc', 'сheckout' /* Cyrillic с */, 'ｃｈｅｃｋ', 'a\u202eb', '.hidden', 'x'.repeat(64), 'CON', 'a..b'])(
    'generate service %j: exit 2, nothing written',
    async (name) => {
      const { dir, config, outside } = project();
      const before = readFileSync(config, 'utf8');
      const r = await runCli(['generate', 'service', name, '--tenant', 'payments', '-c', config]);
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stderr).not.toMatch(STACK_TRACE);
      expect(readFileSync(config, 'utf8')).toBe(before);
      expect(existsSync(join(dir, 'services'))).toBe(false);
      expect(readdirSync(outside)).toEqual([]);
    },
    30_000,
  );

  it.each([
    ['service', 'services:\n  - { name: "../evil", tenant: payments, image: x:1, port: 80 }'],
    ['tenant', 'tenants:\n  - { name: "../../etc", plan: starter, owners: [a@example.com] }'],
    ['service with a look-alike', 'services:\n  - { name: "сheckout", tenant: payments, image: x:1, port: 80 }'],
  ])(
    'a %s name that tries to be a path: validate exits 2 naming the line',
    async (_what, yaml) => {
      const { config } = project();
      const text = readFileSync(config, 'utf8');
      const key = yaml.split(':')[0];
      // Replace that whole top-level list with the hostile one.
      const replaced = text.replace(new RegExp(`^${key}:\\n(?:[ #].*\\n|\\n)*`, 'm'), `${yaml}\n\n`);
      writeFileSync(config, replaced);
      const r = await runCli(['validate', '-c', config]);
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/platform\.yaml:\d+:\d+/);
      expect(r.stderr).not.toMatch(STACK_TRACE);
    },
    30_000,
  );

  it('generate service into a services/ that is a symlink to outside the project: exit 2, nothing written outside', async () => {
    const { dir, config, outside } = project();
    symlinkSync(outside, join(dir, 'services'));
    const before = readFileSync(config, 'utf8');
    const r = await runCli(['generate', 'service', 'orders', '--tenant', 'payments', '-c', config]);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/outside the project/);
    expect(readdirSync(outside)).toEqual([]);
    expect(readFileSync(config, 'utf8')).toBe(before);
  }, 30_000);

  it('generate service when services/<name> is a symlink to outside (--force): exit 2, nothing written outside', async () => {
    const { dir, config, outside } = project();
    mkdirSync(join(dir, 'services'));
    symlinkSync(outside, join(dir, 'services', 'orders'));
    const r = await runCli(['generate', 'service', 'orders', '--tenant', 'payments', '--force', '-c', config]);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/outside the project/);
    expect(readdirSync(outside)).toEqual([]);
  }, 30_000);

  it('a services/<name>/ folder that is a symlink to outside the project: its overrides are refused with exit 2', async () => {
    const { dir, config, outside } = project();
    writeFileSync(join(outside, 'overrides.yaml'), 'replicas: 7\n');
    mkdirSync(join(dir, 'services'));
    symlinkSync(outside, join(dir, 'services', 'checkout'));
    const r = await runCli(['validate', '-c', config]);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/services\/checkout.*outside the project/);
    expect(r.stderr).not.toMatch(STACK_TRACE);
  }, 30_000);

  it('a services/common.yaml that is a symlink to a file outside the project: refused with exit 2', async () => {
    const { dir, config, outside } = project();
    writeFileSync(join(outside, 'common.yaml'), 'replicas: 7\n');
    mkdirSync(join(dir, 'services'));
    symlinkSync(join(outside, 'common.yaml'), join(dir, 'services', 'common.yaml'));
    const r = await runCli(['validate', '-c', config]);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/common\.yaml.*outside the project/);
  }, 30_000);

  it('a symlink that stays inside the project is fine', async () => {
    const { dir, config } = project();
    mkdirSync(join(dir, 'shared'));
    writeFileSync(join(dir, 'shared', 'overrides.yaml'), 'replicas: 3\n');
    mkdirSync(join(dir, 'services'));
    symlinkSync(join(dir, 'shared'), join(dir, 'services', 'checkout'));
    const r = await runCli(['validate', '-c', config]);
    expect(r.exitCode, r.stderr).toBe(0);
  }, 30_000);

  it('--out may point anywhere the user chooses', async () => {
    const { config, outside } = project();
    writeFileSync(config, readFileSync(config, 'utf8').replace('engine: pulumi', 'engine: terraform')); // --out is where Terraform JSON goes
    const r = await runCli(['synth', '-c', config, '--out', join(outside, 'synth')]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(existsSync(join(outside, 'synth'))).toBe(true);
  }, 60_000);
});
