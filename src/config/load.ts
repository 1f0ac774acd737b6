/**
 * Load platform.yaml: YAML with positions (the `yaml` package), zod for shape, rules.ts for what needs
 * more than a type. Every problem names file:line:col, the field path, what is wrong and what is valid.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { LineCounter, isAlias, isMap, isNode, isPair, isScalar, parseDocument, visit, type Alias, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { UsageError, type Problem } from '../errors.js';
import { staysInside } from '../paths.js';
import { keysAt as schemaKeysAt } from './schema-keys.js';
import type { SourcePath } from '../objects/model.js';
import { knownPolicyNames } from './policy-names.js';
import { plural } from '../text.js';
import { crossFieldProblems } from './rules.js';
import { platformSchema, serviceOverridesSchema, type PlatformConfig, type ServiceOverrides } from './schema.js';

export const DEFAULT_CONFIG_FILE = 'platform.yaml';

export interface LoadedConfig {
  config: PlatformConfig;
  /** Absolute path of the file. */
  file: string;
  /** The directory holding it: the project directory. */
  projectDir: string;
  /** Where each config entry is written (platform.yaml, or the override file that set it). */
  sources: ConfigSources;
}

type PathSegment = string | number;

/** A place in a config file, as violations and problems name it. */
export interface SourceLocation {
  file: string;
  line: number;
}

/**
 * The source map of a loaded config: config path (`['services', 2]`) → the `file:line` that wrote it.
 * Kept from the YAML document the loader already parsed with positions; keys merged from
 * `services/common.yaml` or `services/<name>/overrides.yaml` point into those files.
 */
export class ConfigSources {
  private readonly overrides = new Map<string, SourceLocation>();

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    readonly file: string,
  ) {}

  /** The entry at `path`, or its closest existing parent (a defaulted field points at its entry). */
  at(path: SourcePath): SourceLocation {
    for (let n = path.length; n >= 2; n--) {
      const hit = this.overrides.get(formatPath(path.slice(0, n)));
      if (hit) return hit;
    }
    const offset = offsetOf(this.doc, [...path]);
    return { file: this.file, line: offset === undefined ? 1 : this.lines.linePos(offset).line };
  }

  /** Record that the value at `path` comes from another file (an override layer). */
  override(path: SourcePath, location: SourceLocation): void {
    this.overrides.set(formatPath([...path]), location);
  }
}

/** Read and validate a config file; throws UsageError listing every problem. */
export function loadConfig(file: string = DEFAULT_CONFIG_FILE): LoadedConfig {
  const abs = resolve(file);
  let text: string;
  try {
    refuseOversized(abs, file);
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read (${code ?? String(e)})`,
      [],
      code === 'ENOENT' ? 'Run `platform init` to write one, or pass -c FILE.' : undefined,
    );
  }
  const projectDir = resolve(abs, '..');
  const parsed = parseConfigWithSources(text, displayName(abs), { policyNames: () => knownPolicyNames(projectDir) });
  const config = applyServiceOverrides(parsed.config, projectDir, readFromDisk, displayName, parsed.sources);
  return { config, file: abs, projectDir, sources: parsed.sources };
}

/** Where a service's own folder lives (scaffolded by `platform generate service`). */
export const serviceDir = (projectDir: string, service: string): string => join(projectDir, 'services', service);

/** Reads a project file's text, or undefined when it does not exist (the working tree by default; src/git reads a ref). */
export type ProjectFileReader = (absolutePath: string) => string | undefined;
const readFromDisk: ProjectFileReader = (file) => {
  if (!existsSync(file)) return undefined;
  refuseOversized(file, displayName(file));
  return readFileSync(file, 'utf8');
};

/** Refuse a file over MAX_CONFIG_BYTES before reading it (a config that size is a mistake, and slow to parse). */
function refuseOversized(abs: string, name: string): void {
  const { size } = statSync(abs);
  if (size > MAX_CONFIG_BYTES) throw invalid(name, [oversized(name, size)]);
}

const oversized = (name: string, bytes: number): Problem => ({
  where: `${name}:1:1`,
  message: `the file is ${(bytes / 1024 / 1024).toFixed(1)} MB; a config file may be at most ${MAX_CONFIG_BYTES / 1024 / 1024} MB`,
});

/** Settings every service shares, merged under each service's own overrides (a template for all apps). */
export const commonServiceFile = (projectDir: string): string => join(projectDir, 'services', 'common.yaml');

/**
 * Merge `services/common.yaml`, then each `services/<name>/overrides.yaml`, over the services of
 * platform.yaml: later layers replace a key, except `env`, whose variables merge. All problems of all
 * files are reported at once.
 */
export function applyServiceOverrides(
  config: PlatformConfig,
  projectDir: string,
  read: ProjectFileReader = readFromDisk,
  nameOf: (file: string) => string = displayName,
  sources?: ConfigSources,
): PlatformConfig {
  const problems: Problem[] = [];
  const layer = (file: string): { values: ServiceOverrides; lineOf: (key: string) => SourceLocation } | undefined => {
    // On disk, a service's files are the project's: a symlink out of it is refused (a ref's tree has no such links).
    if (read === readFromDisk && existsSync(file) && !staysInside(projectDir, file)) {
      problems.push({
        where: nameOf(file),
        message: `resolves to ${realpathSync(file)}, outside the project ${projectDir}: services/ and its folders are a symlink that leads out of the project; copy the file in, or link within the project`,
      });
      return undefined;
    }
    const text = read(file);
    return text === undefined ? undefined : parseYamlWith(text, nameOf(file), serviceOverridesSchema, problems);
  };
  const common = layer(commonServiceFile(projectDir));
  const services = config.services.map((service, i) => {
    let merged = service;
    for (const overrides of [common, layer(join(serviceDir(projectDir, service.name), 'overrides.yaml'))]) {
      if (!overrides) continue;
      const set = Object.fromEntries(Object.entries(overrides.values as Record<string, unknown>).filter(([, v]) => v !== undefined));
      merged = { ...merged, ...set, ...(overrides.values.env || merged.env ? { env: { ...merged.env, ...overrides.values.env } } : {}) };
      for (const key of Object.keys(set)) sources?.override(['services', i, key], overrides.lineOf(key));
    }
    return merged;
  });
  if (problems.length) throw invalid('service overrides', problems);
  return { ...config, services };
}

/**
 * Configs larger than this are refused before parsing: a real estate's platform.yaml is tens of KB (a
 * thousand services is well under 1 MB), and parsing stays fast only while the input is bounded.
 */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
/** yaml's own limit (its default): more alias expansions than this is an "alias bomb", not a config. */
const MAX_ALIAS_COUNT = 100;

/**
 * A YAML document with positions: `at(offset)` names `file:line:col`; `errors` are its problems (syntax,
 * and what the `yaml` library would otherwise throw while converting: alias bombs, unresolved aliases,
 * nesting too deep for the stack, keys that are lists or maps); `data` is the plain value when there
 * are none. No library error escapes as a bug: every one becomes a problem with a place.
 */
function readYaml(text: string, name: string): { doc: Document; lines: LineCounter; at: (offset?: number) => string; errors: Problem[]; data?: unknown } {
  const lines = new LineCounter();
  const at = (offset: number | undefined): string => {
    if (offset === undefined) return `${name}:1:1`;
    const { line, col } = lines.linePos(offset);
    return `${name}:${line}:${col}`;
  };
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_CONFIG_BYTES) return { doc: parseDocument(''), lines, at, errors: [oversized(name, bytes)] };
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const errors = doc.errors.map((e) => ({ where: at(e.pos[0]), message: `YAML: ${yamlMessage(e.message)}` }));
  visit(doc, {
    Pair(_, pair) {
      if (isNode(pair.key) && !isScalar(pair.key) && !isAlias(pair.key))
        errors.push({ where: at(pair.key.range?.[0]), message: 'YAML: a key must be a plain value, not a list or a mapping' });
    },
    Alias(_, alias, path) {
      if (path.some((p) => isNode(p) && p.anchor === alias.source))
        errors.push({
          where: at(alias.range?.[0]),
          message: `YAML: alias *${alias.source} is inside the value it refers to (&${alias.source}): that value would never end`,
        });
    },
  });
  if (errors.length) return { doc, lines, at, errors };
  try {
    return { doc, lines, at, errors, data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (e) {
    if (!(e instanceof ReferenceError || e instanceof RangeError)) throw e;
    return { doc, lines, at, errors: [conversionProblem(doc, e, at)] };
  }
}

/** yaml's first message line, in words a config author can act on. */
function yamlMessage(message: string): string {
  const first = message.split('\n')[0];
  if (/Maximum call stack size exceeded/.test(first)) return 'nested too deeply to read (lists or maps inside each other thousands of levels deep)';
  if (/multiple documents/.test(first)) return 'a config is one YAML document: remove this `---` and what follows, or move it to its own file';
  return first;
}

/** Where and why `toJS` gave up: an alias bomb, an alias without an anchor, or recursion too deep. */
function conversionProblem(doc: Document, e: Error, at: (offset?: number) => string): Problem {
  const aliases: Alias[] = [];
  visit(doc, { Alias: (_, node) => void aliases.push(node) });
  const unresolved = /Unresolved alias[^:]*: (.+)$/.exec(e.message);
  if (unresolved) {
    const alias = aliases.find((a) => a.source === unresolved[1]);
    return { where: at(alias?.range?.[0]), message: `YAML: alias *${unresolved[1]} has no anchor &${unresolved[1]} before it` };
  }
  if (/Excessive alias count/.test(e.message)) {
    // Point at the first alias of a value that itself holds aliases: where the expansion starts multiplying.
    const nested = aliases.find((a) => {
      const target = a.resolve(doc);
      let inner = false as boolean; // set in the visitor
      if (target) visit(target, { Alias: () => ((inner = true), visit.BREAK) });
      return inner;
    });
    const culprit = nested ?? aliases.at(-1);
    return {
      where: at(culprit?.range?.[0]),
      message: `YAML: aliases expand to too many values (more than ${MAX_ALIAS_COUNT} expansions, an "alias bomb"); write the values out, or alias each anchor fewer times`,
    };
  }
  if (e instanceof RangeError) return { where: at(doc.contents?.range?.[0]), message: `YAML: ${yamlMessage(e.message)}` };
  return { where: at(aliases[0]?.range?.[0]), message: `YAML: ${e.message}` };
}

function parseYamlWith<T extends z.ZodType>(
  text: string,
  name: string,
  schema: T,
  problems: Problem[],
): { values: z.output<T>; lineOf: (key: string) => SourceLocation } | undefined {
  const { doc, lines, at, errors, data } = readYaml(text, name);
  if (errors.length) {
    problems.push(...errors);
    return undefined;
  }
  const parsed = schema.safeParse(data ?? {});
  if (!parsed.success) {
    problems.push(...parsed.error.issues.flatMap((issue) => zodProblems(issue, doc, at, knownOverrideKeys)));
    return undefined;
  }
  const lineOf = (key: string): SourceLocation => {
    const offset = keyOffset(doc, [], key);
    return { file: name, line: offset === undefined ? 1 : lines.linePos(offset).line };
  };
  return { values: parsed.data, lineOf };
}

const knownOverrideKeys = (): string[] => Object.keys(serviceOverridesSchema.shape);

/** Validate config text; `name` is what errors call the file. */
export function parseConfig(text: string, name: string, opts: ParseOptions = {}): PlatformConfig {
  return parseConfigWithSources(text, name, opts).config;
}

export interface ParseOptions {
  /** The policies waivers and `policy.enforcement` may name (built-in + the project's); unchecked when absent. */
  policyNames?: () => ReadonlySet<string>;
}

/** `parseConfig` plus the source map of the document (config path → file:line). */
export function parseConfigWithSources(text: string, name: string, opts: ParseOptions = {}): { config: PlatformConfig; sources: ConfigSources } {
  const { doc, lines, at, errors, data } = readYaml(text, name);
  if (errors.length > 0) throw invalid(name, errors);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw invalid(name, [{ where: at(doc.contents?.range?.[0]), message: 'expected a mapping with apiVersion, name, regions, … (see docs/config.md)' }]);
  }

  const parsed = platformSchema.safeParse(data);
  if (!parsed.success) {
    throw invalid(
      name,
      parsed.error.issues.flatMap((issue) => zodProblems(issue, doc, at)),
    );
  }
  const rules = crossFieldProblems(parsed.data, { policyNames: opts.policyNames });
  if (rules.length > 0) {
    throw invalid(
      name,
      rules.map((r) => ({ where: at(offsetOf(doc, r.path)), path: formatPath(r.path), message: r.message })),
    );
  }
  return { config: parsed.data, sources: new ConfigSources(doc, lines, name) };
}

function invalid(name: string, problems: Problem[]): UsageError {
  return new UsageError(
    `${name} is invalid (${plural(problems.length, 'problem')})`,
    problems,
    'Fix the lines above; `platform schema` prints the JSON Schema for your editor.',
  );
}

function zodProblems(
  issue: z.core.$ZodIssue,
  doc: Document,
  at: (o?: number) => string,
  keysAt: (path: PathSegment[]) => string[] = (path) => schemaKeysAt(platformSchema, path),
): Problem[] {
  const path = issue.path.filter((p): p is PathSegment => typeof p !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const known = keysAt(path);
    return issue.keys.map((key) => {
      const suggestion = closest(key, known);
      return {
        where: at(keyOffset(doc, path, key)),
        path: formatPath([...path, key]),
        message: `unknown key "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; valid keys: ${known.join(', ')}`,
      };
    });
  }
  let message = issue.message;
  if (issue.code === 'invalid_value' && message.startsWith('Invalid')) {
    message = `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  } else if (issue.code === 'invalid_type' && message.startsWith('Invalid input')) {
    // zod's own wording; a field with a message of its own (e.g. a waiver's reason) keeps that.
    message = doc.hasIn(path) ? `expected ${issue.expected}, got ${describe(doc.getIn(path))}` : `is required (${issue.expected})`;
  }
  return [{ where: at(offsetOf(doc, path)), path: formatPath(path), message }];
}

/** Offset of the node at `path`, or of the closest existing parent. */
export function offsetOf(doc: Document, path: PathSegment[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) {
      // A missing key: point at its parent map's first key rather than the whole map.
      return (node as Node).range![0];
    }
  }
  return undefined;
}

function keyOffset(doc: Document, path: PathSegment[], key: string): number | undefined {
  const parent = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (isMap(parent)) {
    for (const item of parent.items) {
      if (isPair(item) && isScalar(item.key) && item.key.value === key) return item.key.range?.[0];
    }
  }
  return offsetOf(doc, path);
}

export function formatPath(path: PathSegment[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out || '(top level)';
}

/** The closest known key within a small edit distance, for "did you mean". */
export function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isMap(value)) return 'a mapping';
  if (isScalar(value)) return `${typeof value.value} ${JSON.stringify(value.value)}`;
  return typeof value === 'string' ? `string ${JSON.stringify(value)}` : typeof value;
}

function displayName(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') ? rel : abs;
}
