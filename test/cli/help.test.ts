/** What `--help` shows (issue 14 item 8): every command has an example; every topic its own description. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser, type Command } from '@oclif/core';
import { describe, expect, it } from 'vitest';
import { COMMAND_HELP } from '../../src/cli/help.js';
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

/**
 * The platform invocations in an example, as argv words: each `<%= config.bin %> …` up to a redirection, a
 * pipe, `;` or the end of a `$(…)`, split as a shell would split plain and quoted words.
 */
function invocations(example: string): string[][] {
  return example
    .split('<%= config.bin %> ')
    .slice(1)
    .map((rest) => (rest.match(/^(?:[^>|;)'"]|'[^']*'|"[^"]*")*/)?.[0] ?? '').trim())
    .map((text) => [...text.matchAll(/'[^']*'|"[^"]*"|\S+/g)].map(([word]) => word.replace(/^(['"])(.*)\1$/s, '$2')));
}

describe('help', () => {
  it('every command in the oclif manifest has at least one example and a description', () => {
    const commands = Object.values(manifest().commands);
    expect(commands.length).toBeGreaterThan(15);
    for (const c of commands) {
      expect(c.examples?.length ?? 0, `${c.id} has no example`).toBeGreaterThanOrEqual(1);
      expect(c.description, `${c.id} has no description`).toBeTruthy();
    }
  });

  it('every command has its help in src/cli/help.ts, and nothing there names a command that does not exist', () => {
    expect(Object.keys(COMMAND_HELP).sort()).toEqual(
      Object.keys(manifest().commands)
        .map((id) => id.replaceAll(':', ' '))
        .sort(),
    );
  });

  it('every example runs a real command with flags and arguments it accepts', async () => {
    const ids = Object.keys(COMMAND_HELP).sort((a, b) => b.length - a.length); // `stacks matrix` before `stacks`
    const runs = Object.values(COMMAND_HELP).flatMap((h) => h.examples.flatMap(invocations));
    expect(runs.length).toBeGreaterThan(Object.keys(COMMAND_HELP).length);
    for (const words of runs) {
      const line = words.join(' ');
      const id = ids.find((i) => line === i || line.startsWith(`${i} `));
      expect(id, `no command runs \`${line}\``).toBeDefined();
      const { default: command } = (await import(/* @vite-ignore */ join(repoRoot, 'src', 'commands', `${id!.replaceAll(' ', '/')}.ts`))) as {
        default: Command.Class;
      };
      const argv = words.slice(id!.split(' ').length);
      const parsed = Parser.parse(argv, { flags: { ...command.baseFlags, ...command.flags }, args: command.args, strict: command.strict }).then(
        () => 'parses',
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
      expect(await parsed, line).toBe('parses');
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
