/**
 * Root help and the version are answered from the manifest before oclif loads (start-up); they must be
 * oclif's own output, byte for byte, at every width — so this compares with oclif's Help.
 */
import { createRequire } from 'node:module';
import { stripVTControlCharacters } from 'node:util';
import { Config, Help } from '@oclif/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { helpWidth, readRootHelpInput, renderRootHelp, rootRequest, wrapHard } from '../../src/cli/root-help.js';
import { repoRoot, runCli } from '../helpers/cli.js';

// The wrap-ansi that oclif's help wraps with (its own dependency, not whatever is hoisted).
const wrapAnsi = createRequire(createRequire(import.meta.url).resolve('@oclif/core'))('wrap-ansi') as (
  text: string,
  columns: number,
  options: { hard: boolean },
) => string;

let config: Config | undefined;
async function oclifRootHelp(width: number): Promise<string> {
  config ??= await Config.load(repoRoot);
  const lines: string[] = [];
  class Capture extends Help {
    protected override log(...args: string[]): void {
      lines.push(args.join(' '));
    }
  }
  await new Capture(config, { maxWidth: width }).showHelp([]);
  // Plain text: whether oclif bolds the headers depends on this worker's environment (FORCE_COLOR in CI).
  return stripVTControlCharacters(`${lines.join('\n')}\n`);
}

// Rendering oclif's help 161 times and running the CLI take seconds of CPU: more than Vitest's 5 s on a loaded 2-core machine.
describe('root help from the manifest', { timeout: 60_000 }, () => {
  // Every width, so the switch to oclif's one-text-under-its-name layout (a text of six lines or more) is
  // crossed whatever the texts are.
  it('is oclif’s root help at every width from 40 to 200 columns', async () => {
    const input = readRootHelpInput(repoRoot);
    expect(input).toBeDefined();
    for (let width = 40; width <= 200; width++) expect(renderRootHelp(input!, width), `width ${width}`).toBe(await oclifRootHelp(width));
  });

  it('wraps like wrap-ansi (hard) for any plain text and width', () => {
    const word = fc.stringMatching(/^[a-z—…]{0,30}$/);
    const line = fc.array(word, { maxLength: 20 }).map((words) => words.join(' '));
    const text = fc.array(line, { maxLength: 4 }).map((lines) => lines.join('\n'));
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 60 }), (t, columns) => {
        expect(wrapHard(t, columns)).toBe(wrapAnsi(t, columns, { hard: true }));
      }),
      { numRuns: 2000 },
    );
  });

  it('styles only the section headers', () => {
    const text = renderRootHelp(readRootHelpInput(repoRoot)!, 80, (h) => `<${h}>`);
    expect(text.match(/<[A-Z]+>/g)).toEqual(['<VERSION>', '<USAGE>', '<DESCRIPTION>', '<TOPICS>', '<COMMANDS>']);
  });

  it('answers only what oclif answers as root help or version', () => {
    expect(rootRequest([])).toBe('help');
    expect(rootRequest(['--help'])).toBe('help');
    expect(rootRequest(['--json', '--help'])).toBe('help');
    expect(rootRequest(['--version'])).toBe('version');
    expect(rootRequest(['--version', 'x'])).toBe('version'); // oclif looks at the first argument only
    expect(rootRequest(['plan', '--help'])).toBeUndefined(); // a command's help is oclif's
    expect(rootRequest(['dr'])).toBeUndefined(); // a topic's help too
    expect(rootRequest(['-h'])).toBeUndefined();
    expect(rootRequest(['--', '--help'])).toBeUndefined();
    expect(rootRequest(['-v'])).toBeUndefined();
  });

  it('takes oclif’s width: OCLIF_COLUMNS, else the terminal (at least 40), else 80', () => {
    const tty = (width: number) => ({ isTTY: true, getWindowSize: () => [width, 24] as [number, number] });
    const pipe = { isTTY: false, getWindowSize: () => [0, 0] as [number, number] };
    expect(helpWidth(pipe)).toBe(80);
    expect(helpWidth(tty(132))).toBe(132);
    expect(helpWidth(tty(20))).toBe(40);
    expect(helpWidth(tty(0))).toBe(80);
    process.env.OCLIF_COLUMNS = '66';
    try {
      expect(helpWidth(tty(132))).toBe(66);
    } finally {
      delete process.env.OCLIF_COLUMNS;
    }
  });

  it('the CLI prints it for `platform`, `platform --help` and OCLIF_COLUMNS; `--version` the user agent', async () => {
    const input = readRootHelpInput(repoRoot)!;
    const whole = { stripFinalNewline: false }; // oclif ends the help with an empty line
    for (const args of [[], ['--help']]) {
      const r = await runCli(args, whole);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toBe(renderRootHelp(input, 80, (header) => header)); // the child runs with NO_COLOR
    }
    const narrow = await runCli(['--help'], { ...whole, env: { OCLIF_COLUMNS: '50' } });
    expect(narrow.stdout).toBe(await oclifRootHelp(50));
    // With colour the headers are bold, as oclif's ansis makes them (SGR 1 … 22).
    const coloured = await runCli(['--help'], { ...whole, env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(coloured.stdout).toBe(renderRootHelp(input, 80, (header) => `\u001b[1m${header}\u001b[22m`));
    const version = await runCli(['--version'], whole);
    expect(version.stdout).toBe(`${input.userAgent}\n`);
    expect(version.stdout).toMatch(/^@platform-iac\/cli\/\d+\.\d+\.\d+ \S+ node-v\d+/);
  }, 60_000);
});
