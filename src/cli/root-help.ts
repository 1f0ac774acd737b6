/**
 * `platform`, `platform --help` and `platform --version` answered from package.json and the oclif
 * manifest, before oclif loads (start-up time is a feature: loading oclif is most of a bare `--help`).
 * The text is oclif's own root help, byte for byte — same sections, wrapping and bold headers — which
 * test/cli/root-help.test.ts checks against oclif's Help at several widths, so the two cannot drift
 * apart. Anything else (a command, a topic, a flag oclif must parse) goes to oclif.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WriteStream } from 'node:tty';
import { packageRoot } from '../paths.js';

interface ManifestCommand {
  id: string;
  description?: string;
  summary?: string;
  hidden?: boolean;
}

export interface RootHelpInput {
  bin: string;
  /** `name/version platform-arch node-vX`, what oclif calls the user agent. */
  userAgent: string;
  /** The CLI's description: the first line is the summary, the rest the DESCRIPTION section. */
  description: string;
  topics: { name: string; description: string }[];
  commands: { id: string; summary: string }[];
}

interface PackageJson {
  name: string;
  version: string;
  description?: string;
  oclif: {
    bin: string;
    description?: string;
    topicSeparator?: string;
    topics?: Record<string, { description?: string; hidden?: boolean }>;
    additionalVersionFlags?: string[];
  };
}

/** What the arguments ask for, in oclif's terms: no command and `--help` (or nothing) is root help. */
export function rootRequest(argv: string[]): 'help' | 'version' | undefined {
  if (argv[0] === '--version') return 'version';
  const beforeDashes = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  if (argv.length === 0) return 'help';
  return beforeDashes.includes('--help') && beforeDashes.every((arg) => arg.startsWith('-')) ? 'help' : undefined;
}

/** The root help's input from package.json and oclif.manifest.json; undefined without a manifest. */
export function readRootHelpInput(root: string): RootHelpInput | undefined {
  const manifestPath = join(root, 'oclif.manifest.json');
  if (!existsSync(manifestPath)) return undefined;
  const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { commands: Record<string, ManifestCommand> };
  const { bin } = pjson.oclif;
  const separator = pjson.oclif.topicSeparator ?? ':';
  const render = (text: string) => text.replaceAll('<%= config.bin %>', bin);
  const visible = Object.values(manifest.commands).filter((c) => !c.hidden);
  const topicNames = new Set(visible.filter((c) => c.id.includes(':')).map((c) => c.id.split(':')[0]));
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return {
    bin,
    userAgent: `${pjson.name}/${pjson.version} ${process.platform}-${process.arch} node-${process.version}`,
    description: render(pjson.oclif.description ?? pjson.description ?? ''),
    topics: [...topicNames]
      .filter((name) => !pjson.oclif.topics?.[name]?.hidden)
      .map((name) => ({ name: name.replaceAll(':', separator), description: render(pjson.oclif.topics?.[name]?.description ?? '').split('\n', 1)[0] }))
      .sort(byName),
    commands: visible
      .filter((c) => !c.id.includes(':'))
      .map((c) => ({ id: c.id, summary: render(c.summary ?? c.description ?? '').split('\n', 1)[0] }))
      .sort((a, b) => byName({ name: a.id }, { name: b.id })),
  };
}

/** oclif's width: OCLIF_COLUMNS, else the terminal's (at least 40), else 80. */
export function helpWidth(stdout: Pick<WriteStream, 'isTTY' | 'getWindowSize'> = process.stdout): number {
  const columns = Number.parseInt(process.env.OCLIF_COLUMNS ?? '', 10);
  if (columns) return columns;
  if (!stdout.isTTY) return 80;
  const [width] = stdout.getWindowSize();
  return width < 1 ? 80 : Math.max(width, 40);
}

const INDENT = 2;

/** oclif's root help (Help.showRootHelp) for `input` at `width`; `bold` styles the section headers. */
export function renderRootHelp(input: RootHelpInput, width: number, bold: (header: string) => string = (h) => h): string {
  const wrap = (text: string, spacing = INDENT) => wrapHard(text, width - spacing);
  const indent = (text: string, spaces = INDENT) => text.replace(/^(?!\s*$)/gm, ' '.repeat(spaces));
  const section = (header: string, body: string) => `${bold(header)}\n${indent(body)}`;
  // Names in a column, texts beside them; when one text needs more than five lines, oclif puts every
  // text under its name instead.
  const list = (rows: [string, string][]) => {
    const left = Math.max(...rows.map(([name]) => name.length));
    const wrapped = rows.map(([name, text]) => {
      const lines = wrap(text.trim(), INDENT + left + 2)
        .split('\n')
        .map((line) => line.trim());
      return { name, lines };
    });
    if (wrapped.some(({ lines }) => lines.length > 5)) {
      return rows.map(([name, text]) => `${wrap(name.trim())}\n${indent(wrap(text.trim(), INDENT + 2), 4)}`).join('\n\n');
    }
    return wrapped
      .map(({ name, lines: [first, ...rest] }) => {
        const head = `${name}${' '.repeat(left - name.length + 2)}${first}`;
        return rest.length === 0 ? head : `${head}\n${indent(rest.join('\n'), left + 2)}`;
      })
      .join('\n');
  };
  const [summary, ...rest] = input.description.split('\n');
  const description = rest.join('\n');
  const root = [
    summary,
    section('VERSION', wrap(input.userAgent)),
    section('USAGE', wrap(`$ ${input.bin} [COMMAND]`)),
    ...(description ? [section('DESCRIPTION', wrap(description))] : []),
  ].join('\n\n');
  const parts = [root];
  if (input.topics.length > 0) parts.push(section('TOPICS', list(input.topics.map((t) => [t.name, t.description]))));
  if (input.commands.length > 0) parts.push(section('COMMANDS', list(input.commands.map((c) => [c.id, c.summary]))));
  return `${parts.join('\n\n')}\n\n`;
}

/**
 * wrap-ansi's hard wrap (what oclif wraps help with) for plain text: each line on its own, words
 * greedily, a word longer than a line broken across lines, spaces trimmed at line ends. Widths count
 * code points: the help texts are our own and have no wide (CJK) characters or escapes.
 */
export function wrapHard(text: string, columns: number): string {
  return text
    .normalize()
    .replaceAll('\r\n', '\n')
    .split('\n')
    .map((line) => wrapLine(line, columns))
    .join('\n');
}

function wrapLine(line: string, columns: number): string {
  if (line.trim() === '') return '';
  const width = (s: string) => Array.from(s).length;
  const rows = [''];
  const last = () => rows.length - 1;
  for (const [index, word] of line.split(' ').entries()) {
    rows[last()] = rows[last()].trimStart();
    let rowLength = width(rows[last()]);
    if (index !== 0 && rowLength > 0) {
      rows[last()] += ' ';
      rowLength++;
    }
    const length = width(word);
    if (length > columns) {
      const breaksThisLine = 1 + Math.floor((length - (columns - rowLength) - 1) / columns);
      const breaksNextLine = Math.floor((length - 1) / columns);
      if (breaksNextLine < breaksThisLine) rows.push('');
      breakWord(rows, word, columns);
      continue;
    }
    if (rowLength + length > columns && rowLength > 0 && length > 0) rows.push('');
    rows[last()] += word;
  }
  return rows.map(trimSpacesRight).join('\n');
}

function breakWord(rows: string[], word: string, columns: number): void {
  const characters = Array.from(word);
  let visible = Array.from(rows.at(-1)!).length;
  for (const [index, character] of characters.entries()) {
    if (visible + 1 <= columns) rows[rows.length - 1] += character;
    else {
      rows.push(character);
      visible = 0;
    }
    visible++;
    if (visible === columns && index < characters.length - 1) {
      rows.push('');
      visible = 0;
    }
  }
}

function trimSpacesRight(row: string): string {
  const words = row.split(' ');
  let last = words.length;
  while (last > 0 && words[last - 1] === '') last--;
  return last === words.length ? row : words.slice(0, last).join(' ') + words.slice(last).join('');
}

/** Answers root help or the version on stdout; false when the arguments are oclif's to handle. */
export async function answerRoot(argv: string[]): Promise<boolean> {
  const request = rootRequest(argv);
  if (!request) return false;
  const input = readRootHelpInput(packageRoot());
  if (!input) return false;
  if (request === 'version') {
    process.stdout.write(`${input.userAgent}\n`);
    return true;
  }
  // oclif bolds headers through ansis, which decides on colour from the environment and the stream.
  const { default: ansis } = await import('ansis');
  process.stdout.write(renderRootHelp(input, helpWidth(), (header) => ansis.bold(header)));
  return true;
}
