/**
 * `platform init`: write a starter platform.yaml. Answers come from prompts (in a TTY) or flags; the
 * result is validated before it is written, and an existing file is never replaced without --force.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { parseConfig } from './config/load.js';
import type { Engine, PlatformInput } from './config/schema.js';
import { UsageError } from './errors.js';

export interface InitAnswers {
  name: string;
  engine: Engine;
  /** Local regions on the local control plane (no cloud needed). */
  local: boolean;
  /** Region names; the first is primary, the others DR. */
  regions: string[];
  cloud?: 'aws' | 'gcp' | 'azure';
  tenant: string;
  owner: string;
}

export interface InitResult {
  file: string;
  engine: Engine;
  regions: string[];
  /** The secrets passphrase (Pulumi secrets, OpenTofu state encryption): from the environment, or a file generated on first run. */
  passphrase: 'env' | 'file';
  gitignore: boolean;
}

export function renderConfig(a: InitAnswers): string {
  const config: PlatformInput = {
    apiVersion: 'platform.dev/v1',
    name: a.name,
    engine: a.engine,
    regions: a.regions.map((name, i) => ({
      name,
      cloud: a.local ? 'local' : (a.cloud ?? 'aws'),
      location: a.local ? `local-${name}` : name,
      role: i === 0 ? 'primary' : 'dr',
    })),
    tenants: [{ name: a.tenant, plan: 'starter', owners: [a.owner] }],
    services: [],
    ...(a.regions.length > 1 ? { dr: { rpoMinutes: 60, rtoMinutes: 30, backupSchedule: '*/30 * * * *', failover: 'dns' as const } } : {}),
  };
  return `# platform.yaml — see docs/config.md; validate with \`platform validate\`, add services with \`platform generate service\`.\n${stringify(config)}`;
}

export function initProject(file: string, answers: InitAnswers, opts: { force?: boolean } = {}): InitResult {
  const abs = resolve(file);
  if (existsSync(abs) && !opts.force) {
    throw new UsageError(`${file} already exists`, [], 'Pass --force to replace it, or edit it by hand.');
  }
  const text = renderConfig(answers);
  parseConfig(text, file); // never write a config that would not load
  writeFileSync(abs, text);
  const gitignore = join(dirname(abs), '.gitignore');
  const ignored = existsSync(gitignore) && readFileSync(gitignore, 'utf8').split('\n').some((l) => l.trim() === '.platform/');
  if (!ignored) appendFileSync(gitignore, `${existsSync(gitignore) ? '\n' : ''}# platform state, caches, local control plane, secrets passphrase\n.platform/\n`);
  return {
    file: abs,
    engine: answers.engine,
    regions: answers.regions,
    passphrase: process.env.PLATFORM_PASSPHRASE || process.env.PULUMI_CONFIG_PASSPHRASE ? 'env' : 'file',
    gitignore: !ignored,
  };
}
