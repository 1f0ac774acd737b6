/** What `--help` shows (issue 14 item 8): every command has an example; every topic its own description. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plural } from '../../src/text.js';
import { repoRoot, runCli } from '../helpers/cli.js';

interface ManifestFlag {
  char?: string;
  default?: unknown;
  description?: string;
}
interface Manifest {
  commands: Record<string, { id: string; description?: string; examples?: string[]; flags: Record<string, ManifestFlag> }>;
}
const manifest = (): Manifest => JSON.parse(readFileSync(join(repoRoot, 'oclif.manifest.json'), 'utf8')) as Manifest;
const topics = (): Record<string, { description: string }> =>
  (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { oclif: { topics: Record<string, { description: string }> } }).oclif.topics;

describe('help', () => {
  it('every command in the oclif manifest has at least one example and a description', () => {
    const commands = Object.values(manifest().commands);
    expect(commands.length).toBeGreaterThan(15);
    for (const c of commands) {
      expect(c.examples?.length ?? 0, `${c.id} has no example`).toBeGreaterThanOrEqual(1);
      expect(c.description, `${c.id} has no description`).toBeTruthy();
    }
  });

  it('every command that works on a project takes -c/--config the same way (src/cli/base.ts ProjectCommand)', () => {
    const commands = Object.values(manifest().commands);
    expect(
      commands
        .filter((c) => !Object.hasOwn(c.flags, 'config'))
        .map((c) => c.id)
        .sort(),
    ).toEqual(['schema', 'toolchain:install', 'toolchain:status']);
    const own = { drift: 'read from Git at --ref', init: 'File to write.' }; // the two that read or write it differently
    for (const c of commands.filter((x) => Object.hasOwn(x.flags, 'config'))) {
      const { char, default: byDefault, description } = c.flags.config;
      expect({ char, byDefault }, c.id).toEqual({ char: 'c', byDefault: 'platform.yaml' });
      if (c.id in own) expect(description, c.id).toContain(own[c.id as keyof typeof own]);
      else expect(description, c.id).toBe('Path to platform.yaml.');
    }
  });

  it('every topic (a command id with a space) has its own description in package.json', () => {
    const used = new Set(
      Object.keys(manifest().commands)
        .filter((id) => id.includes(':'))
        .map((id) => id.split(':')[0]),
    );
    expect([...used].sort()).toEqual(Object.keys(topics()).sort());
  });

  it('`platform --help` lists the dr topic with the topic description, not one of its commands', async () => {
    const r = await runCli(['--help']);
    expect(r.exitCode, r.stderr).toBe(0);
    const text = r.stdout.replace(/\s+/g, ' '); // oclif wraps descriptions to the terminal width
    expect(text).toContain(` dr ${topics().dr.description} `);
    expect(text).not.toContain(manifest().commands['dr:check'].description!.slice(0, 40));
  }, 30_000);

  it('counts read as English', () => {
    expect([plural(0, 'tenant'), plural(1, 'tenant'), plural(2, 'tenant'), plural(1, 'policy', 'policies'), plural(3, 'policy', 'policies')]).toEqual([
      '0 tenants',
      '1 tenant',
      '2 tenants',
      '1 policy',
      '3 policies',
    ]);
  });
});
