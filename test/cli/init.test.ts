import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { runCli } from '../helpers/cli.js';

describe('platform init', () => {
  it('writes a valid config from flags without a TTY and gitignores .platform/', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'platform-init-'));
    const file = join(dir, 'platform.yaml');
    const r = await runCli(['init', '--yes', '--local', '--engine', 'terraform', '--region', 'eu', '--region', 'us', '--name', 'shop', '-c', file, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ version: 1, engine: 'terraform', regions: ['eu', 'us'], gitignore: true });
    const { config } = loadConfig(file);
    expect(config).toMatchObject({
      name: 'shop',
      engine: 'terraform',
      regions: [
        { name: 'eu', role: 'primary', cloud: 'local' },
        { name: 'us', role: 'dr' },
      ],
    });
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toContain('.platform/');
  }, 60_000);

  it('never overwrites an existing platform.yaml without --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'platform-init-'));
    const file = join(dir, 'platform.yaml');
    writeFileSync(file, 'mine: true\n');
    const r = await runCli(['init', '--yes', '-c', file]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('already exists');
    expect(readFileSync(file, 'utf8')).toBe('mine: true\n');
    const forced = await runCli(['init', '--yes', '--force', '-c', file]);
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(forced.stderr).toContain('.platform/passphrase');
  }, 60_000);

  it('refuses a bad name with exit 2 and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'platform-init-'));
    const r = await runCli(['init', '--yes', '--name', 'Not OK', '-c', join(dir, 'platform.yaml')]);
    expect(r.exitCode).toBe(2);
    expect(existsSync(join(dir, 'platform.yaml'))).toBe(false);
  }, 60_000);

  it('--no-local --cloud writes real location ids of that cloud (defaults, or --location name=id)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'platform-init-'));
    const file = join(dir, 'platform.yaml');
    const r = await runCli([
      'init',
      '--yes',
      '--no-local',
      '--cloud',
      'aws',
      '--region',
      'eu',
      '--region',
      'us',
      '--location',
      'us=us-west-2',
      '-c',
      file,
      '--json',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).locations).toEqual({ eu: 'eu-west-1', us: 'us-west-2' });
    const { config } = loadConfig(file);
    expect(config.regions.map((x) => [x.name, x.cloud, x.location, x.role])).toEqual([
      ['eu', 'aws', 'eu-west-1', 'primary'],
      ['us', 'aws', 'us-west-2', 'dr'],
    ]);
  }, 60_000);

  it("refuses a location id that is not one of the cloud's (a region name given as a location), writing nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'platform-init-'));
    const file = join(dir, 'platform.yaml');
    const r = await runCli(['init', '--yes', '--cloud', 'gcp', '--region', 'eu', '--location', 'eu=eu', '-c', file]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('"eu" is not a gcp region id (e.g. europe-west1)');
    const unknown = await runCli(['init', '--yes', '--cloud', 'gcp', '--region', 'eu', '--location', 'mars=x', '-c', file]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('there is no region "mars"');
    const both = await runCli(['init', '--yes', '--local', '--cloud', 'aws', '-c', file]);
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toContain('--local and --cloud contradict');
    expect(existsSync(file)).toBe(false);
    expect(existsSync(join(dir, 'package.json'))).toBe(false);
  }, 60_000);
});
