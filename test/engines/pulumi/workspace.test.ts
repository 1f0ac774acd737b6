import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensurePassphrase } from '../../../src/engines/passphrase.js';
import { backendUrl, clearStaleLocks, ensureProjectFile, lockHolders } from '../../../src/engines/pulumi/workspace.js';
import { pulumiStackName } from '../../../src/engines/pulumi/state.js';
import { resolveStateLocation } from '../../../src/state/location.js';
import { describeHolder } from '../../../src/state/lock.js';
import { directoryStore } from '../../../src/state/store.js';

const temp = () => mkdtempSync(join(tmpdir(), 'pulumi-ws-'));

describe('Pulumi workspace settings', () => {
  it('Pulumi.yaml: written once through a rename (no temp file left), rewritten only when the settings change', () => {
    const dir = join(temp(), 'pulumi');
    const settings = { name: 'acme', runtime: 'nodejs' as const, backend: { url: 'file:///x' } };
    ensureProjectFile(dir, settings);
    const file = join(dir, 'Pulumi.yaml');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(settings); // JSON is YAML: pulumi reads it as Pulumi.yaml
    const written = statSync(file).mtimeMs;
    ensureProjectFile(dir, settings);
    expect(statSync(file).mtimeMs).toBe(written);
    ensureProjectFile(dir, { ...settings, backend: { url: 's3://b/p' } });
    expect(JSON.parse(readFileSync(file, 'utf8')).backend.url).toBe('s3://b/p');
    expect(readdirSync(dir)).toEqual(['Pulumi.yaml']);
  });

  it('stack names replace / with .', () => expect(pulumiStackName('app/eu/payments/checkout')).toBe('app.eu.payments.checkout'));

  it('backend: the state location (file:// directories created), remote URLs untouched', () => {
    const dir = temp();
    expect(backendUrl(resolveStateLocation(undefined, dir))).toBe(`file://${join(dir, '.platform', 'state')}`);
    expect(existsSync(join(dir, '.platform', 'state'))).toBe(true);
    expect(backendUrl(resolveStateLocation('file://shared/state', dir))).toBe(`file://${join(dir, 'shared', 'state')}`);
    expect(backendUrl(resolveStateLocation('s3://bucket/prefix?region=eu-west-1', dir))).toBe('s3://bucket/prefix?region=eu-west-1');
  });

  it('passphrase: environment first, else generated once into .platform/passphrase (0600)', () => {
    const dir = temp();
    expect(ensurePassphrase(dir, { PLATFORM_PASSPHRASE: 'a' })).toEqual({ passphrase: 'a', source: 'PLATFORM_PASSPHRASE' });
    expect(ensurePassphrase(dir, { PULUMI_CONFIG_PASSPHRASE: 'b' })).toEqual({ passphrase: 'b', source: 'PULUMI_CONFIG_PASSPHRASE' });
    const first = ensurePassphrase(dir, {});
    expect(first.source).toBe('generated');
    expect(first.passphrase.length).toBeGreaterThanOrEqual(32);
    expect(statSync(join(dir, '.platform', 'passphrase')).mode & 0o777).toBe(0o600);
    expect(ensurePassphrase(dir, {})).toEqual({ passphrase: first.passphrase, source: 'file' });
  });

  it('removes only locks whose holder on this host is gone', async () => {
    const dir = temp();
    const locks = join(dir, '.pulumi', 'locks', 'organization', 'acme', 'tenant.eu.a');
    mkdirSync(locks, { recursive: true });
    writeFileSync(join(locks, 'dead.json'), JSON.stringify({ pid: 2 ** 22 + 17, username: 'u', hostname: hostname() }));
    writeFileSync(join(locks, 'alive.json'), JSON.stringify({ pid: process.pid, username: 'u', hostname: hostname() }));
    writeFileSync(join(locks, 'elsewhere.json'), JSON.stringify({ pid: 2 ** 22 + 18, username: 'u', hostname: 'another-host' }));
    const store = directoryStore(dir);
    expect(await lockHolders(store, 'acme', 'tenant.eu.a')).toHaveLength(3);
    expect((await clearStaleLocks(store, 'acme', 'tenant.eu.a')).map(describeHolder)).toEqual([
      `a pulumi update by u@${hostname()} (pid ${2 ** 22 + 17}, since ?)`,
    ]);
    expect(existsSync(join(locks, 'dead.json'))).toBe(false);
    expect(existsSync(join(locks, 'alive.json'))).toBe(true);
    expect(existsSync(join(locks, 'elsewhere.json'))).toBe(true);
  });
});
