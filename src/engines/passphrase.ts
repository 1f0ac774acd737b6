/**
 * The project's secrets passphrase: Pulumi secrets and OpenTofu state encryption are both keyed by it.
 * From PLATFORM_PASSPHRASE / PULUMI_CONFIG_PASSPHRASE, else `.platform/passphrase` (generated once, 0600).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.js';

export const passphraseFile = (projectDir: string): string => join(projectDir, '.platform', 'passphrase');

export type PassphraseSource = 'PLATFORM_PASSPHRASE' | 'PULUMI_CONFIG_PASSPHRASE' | 'file' | 'generated';

/** The secrets passphrase: from the environment, else `.platform/passphrase` (generated once, 0600). */
export function ensurePassphrase(projectDir: string, env: NodeJS.ProcessEnv = process.env): { passphrase: string; source: PassphraseSource } {
  if (env.PLATFORM_PASSPHRASE) return { passphrase: env.PLATFORM_PASSPHRASE, source: 'PLATFORM_PASSPHRASE' };
  if (env.PULUMI_CONFIG_PASSPHRASE) return { passphrase: env.PULUMI_CONFIG_PASSPHRASE, source: 'PULUMI_CONFIG_PASSPHRASE' };
  const file = passphraseFile(projectDir);
  if (existsSync(file)) {
    const passphrase = readFileSync(file, 'utf8').trim();
    if (!passphrase)
      throw new UsageError(`${file} is empty`, [], 'Delete it to generate a new one (only if no stack has state yet), or set PLATFORM_PASSPHRASE.');
    return { passphrase, source: 'file' };
  }
  mkdirSync(dirname(file), { recursive: true });
  const passphrase = randomBytes(32).toString('base64url');
  // 'wx': never overwrite a passphrase another process generated a moment ago.
  try {
    writeFileSync(file, `${passphrase}\n`, { mode: 0o600, flag: 'wx' });
  } catch {
    return { passphrase: readFileSync(file, 'utf8').trim(), source: 'file' };
  }
  chmodSync(file, 0o600);
  return { passphrase, source: 'generated' };
}

/** The passphrase if there is one, never creating it (readers such as drift). */
export function readPassphrase(projectDir: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env.PLATFORM_PASSPHRASE || env.PULUMI_CONFIG_PASSPHRASE;
  if (fromEnv) return fromEnv;
  const file = passphraseFile(projectDir);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined;
}
