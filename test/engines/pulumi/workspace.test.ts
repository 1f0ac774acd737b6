import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensurePassphrase } from '../../../src/engines/passphrase.js';
import { backendUrl, clearStaleLocks, lockHolders, pulumiStackName } from '../../../src/engines/pulumi/workspace.js';

const temp = () => mkdtempSync(join(tmpdir(), 'pulumi-ws-'));

describe('Pulumi workspace settings', () => {
  it('stack names replace / with .', () => expect(pulumiStackName('app/eu/payments/checkout')).toBe('app.eu.payments.checkout'));

  it('backend: default under .platform/state, relative file:// against the project, others untouched', () => {
    const dir = temp();
    expect(backendUrl(dir)).toBe(`file://${join(dir, '.platform', 'state')}`);
    expect(backendUrl(dir, 'file://shared/state')).toBe(`file://${join(dir, 'shared', 'state')}`);
    expect(backendUrl(dir, 's3://bucket/prefix')).toBe('s3://bucket/prefix');
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

  it('removes only locks whose holder on this host is gone', () => {
    const dir = temp();
    const locks = join(dir, '.pulumi', 'locks', 'organization', 'acme', 'tenant.eu.a');
    mkdirSync(locks, { recursive: true });
    writeFileSync(join(locks, 'dead.json'), JSON.stringify({ pid: 2 ** 22 + 17, username: 'u', hostname: hostname() }));
    writeFileSync(join(locks, 'alive.json'), JSON.stringify({ pid: process.pid, username: 'u', hostname: hostname() }));
    writeFileSync(join(locks, 'elsewhere.json'), JSON.stringify({ pid: 2 ** 22 + 18, username: 'u', hostname: 'another-host' }));
    expect(lockHolders(`file://${dir}`, 'acme', 'tenant.eu.a')).toHaveLength(3);
    expect(clearStaleLocks(`file://${dir}`, 'acme', 'tenant.eu.a')).toEqual([`u@${hostname()} (pid ${2 ** 22 + 17})`]);
    expect(existsSync(join(locks, 'dead.json'))).toBe(false);
    expect(existsSync(join(locks, 'alive.json'))).toBe(true);
    expect(existsSync(join(locks, 'elsewhere.json'))).toBe(true);
  });
});
