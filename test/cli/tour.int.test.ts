/**
 * The README tour, as a newcomer runs it (issue 14): an empty folder, the package installed from the
 * packed tarball (in place of the registry, where it is not published yet) with the machine's own npm
 * and Node, then init → generate service ×2 → validate → stacks list → synth → the scaffolded tests
 * (`npm test`). One install for the whole file; the npm cache is warm after `npm ci` (--prefer-offline).
 * Integration: the install (1.7 GB of node_modules, mostly the cloud SDKs) takes ~2.5 min on the shared
 * 2-core machine; the steps themselves ~35 s.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_NAME } from '../../src/paths.js';
import { repoRoot } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'platform-tour-'));
const project = join(root, 'shop');
/** A user's shell: the system's Node and npm, nothing of this repository on PATH. */
const userPath = (process.env.PATH ?? '')
  .split(':')
  .filter((p) => p && !p.startsWith(repoRoot))
  .join(':');
/** The test runner's own variables (vitest's, npm script's) stay out: the tour's `npm test` starts clean. */
const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(VITEST|npm_|NODE_OPTIONS$|NODE_ENV$|TEST$)/i.test(k))),
  PATH: userPath,
  NO_COLOR: '1',
  npm_config_update_notifier: 'false',
};

async function sh(command: string, args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const r = await execa(command, args, { cwd: project, env, extendEnv: false, reject: false, stdin: 'ignore' });
  return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
}
const platform = (...args: string[]) => sh('npx', ['--no-install', 'platform', ...args]);

const timings: Record<string, number> = {};

beforeAll(async () => {
  if (!existsSync(join(repoRoot, 'dist', 'cli', 'main.js'))) throw new Error('the CLI is not built: run `npm run build` first');
  let started = Date.now();
  const packed = await execa('npm', ['pack', '--json', '--pack-destination', root], { cwd: repoRoot, env });
  const tarball = join(root, (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0].filename);
  mkdirSync(project);
  // README: `npm install --save-dev @platform-iac/cli vitest` (the tarball stands in for the registry name).
  const vitest = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies.vitest;
  timings.pack = Date.now() - started;
  started = Date.now();
  const install = await sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--save-dev', tarball, `vitest@${vitest}`]);
  timings.install = Date.now() - started;
  if (install.exitCode !== 0) throw new Error(`npm install failed:\n${install.stderr}`);
}, 600_000);

afterAll(() => {
  // For the record (the issue asks how long this takes).
  process.stderr.write(
    `tour: ${Object.entries(timings)
      .map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`)
      .join(', ')}\n`,
  );
  // Deleting 80 000 files takes as long as installing them: do it in the background, not in the test's time.
  spawn('rm', ['-rf', root], { detached: true, stdio: 'ignore' }).unref();
});

describe('the README tour from an empty folder, through the packed tarball', () => {
  it('installs the `platform` command under the scoped name, with the files the CI cache keys on', async () => {
    expect(existsSync(join(project, 'node_modules', ...PACKAGE_NAME.split('/'), 'dist', 'toolchain', 'versions.js'))).toBe(true);
    const help = await platform('--help');
    expect(help.exitCode, help.stderr).toBe(0);
    expect(help.stdout).toContain('$ platform [COMMAND]');
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('dr Disaster recovery');
  });

  it('init: platform.yaml, .gitignore, and the test script in package.json', async () => {
    const r = await platform('init', '--yes', '--local', '--engine', 'pulumi');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain(`wrote ${join(project, 'platform.yaml')}`);
    expect(r.stderr).toContain('added to package.json: scripts.test');
    expect(r.stderr).not.toContain('npm install, then'); // the CLI and vitest are already there
    const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as { scripts: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.scripts.test).toBe('vitest run');
    expect(Object.keys(pkg.devDependencies).sort()).toEqual([PACKAGE_NAME, 'vitest']);
    expect(readFileSync(join(project, '.gitignore'), 'utf8')).toContain('.platform/');
  });

  it('generate service twice: block-style YAML, a folder per service', async () => {
    for (const name of ['checkout', 'search']) {
      const r = await platform('generate', 'service', name, '--tenant', 'team-a');
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stderr).toContain(`service ${name} added to tenant team-a`);
      expect(readdirSync(join(project, 'services', name)).sort()).toEqual(['README.md', `${name}.test.ts`, 'overrides.yaml'].sort());
    }
    const yaml = readFileSync(join(project, 'platform.yaml'), 'utf8');
    const services = yaml.slice(yaml.indexOf('\nservices:'));
    expect(services).toMatch(/^\nservices:\n {2}- name: checkout\n {4}tenant: team-a\n/);
    expect(services).toContain('\n  - name: search\n');
    expect(services).not.toMatch(/[[{]/);
    expect(readFileSync(join(project, 'services', 'checkout', 'checkout.test.ts'), 'utf8')).toContain(`from '${PACKAGE_NAME}/testing'`);
  });

  it('validate', async () => {
    const r = await platform('validate', '--json');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ version: 1, valid: true, engine: 'pulumi', regions: 2, tenants: 1, services: 2 });
  });

  it('stacks list', async () => {
    const r = await platform('stacks', 'list', '--json');
    expect(r.exitCode, r.stderr).toBe(0);
    const ids = (JSON.parse(r.stdout) as { stacks: Array<{ id: string }> }).stacks.map((s) => s.id);
    expect(ids).toEqual([
      'cluster/eu',
      'tenant/eu/team-a',
      'app/eu/team-a/checkout',
      'app/eu/team-a/search',
      'cluster/us',
      'tenant/us/team-a',
      'app/us/team-a/checkout',
      'app/us/team-a/search',
    ]);
  });

  it('synth', async () => {
    const r = await platform('synth', '--json');
    expect(r.exitCode, r.stderr).toBe(0);
    const stacks = (JSON.parse(r.stdout) as { stacks: Array<{ id: string; resources: Array<{ type: string }> }> }).stacks;
    const app = stacks.find((s) => s.id === 'app/eu/team-a/checkout');
    expect(app?.resources.length).toBeGreaterThan(3);
  });

  it('the scaffolded service tests pass with `npm test`', async () => {
    const r = await sh('npm', ['test']);
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/services\/checkout\/checkout\.test\.ts/);
    expect(r.stdout).toMatch(/services\/search\/search\.test\.ts/);
    expect(r.stdout).toMatch(/Tests\s+4 passed/);
  });
});
