/**
 * Load platform.yaml: YAML with positions (the `yaml` package), zod for shape, rules.ts for what needs
 * more than a type. Every problem names file:line:col, the field path, what is wrong and what is valid.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { LineCounter, isMap, isNode, isPair, isScalar, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { UsageError, type Problem } from '../errors.js';
import type { SourcePath } from '../objects/model.js';
import { knownPolicyNames } from './policy-names.js';
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
    text = readFileSync(abs, 'utf8');
  } catch (e) {
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
const readFromDisk: ProjectFileReader = (file) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);

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
    const text = read(file);
    return text === undefined ? undefined : parseYamlWith(text, nameOf(file), serviceOverridesSchema, problems);
  };
  const common = layer(commonServiceFile(projectDir));
  const services = config.services.map((service, i) => {
    let merged = service;
    for (const overrides of [common, layer(join(serviceDir(projectDir, service.name), 'overrides.yaml'))]) {
      if (!overrides) continue;
      const set = Object.fromEntries(Object.entries(overrides.values).filter(([, v]) => v !== undefined));
      merged = { ...merged, ...set, ...(overrides.values.env || merged.env ? { env: { ...merged.env, ...overrides.values.env } } : {}) };
      for (const key of Object.keys(set)) sources?.override(['services', i, key], overrides.lineOf(key));
    }
    return merged;
  });
  if (problems.length) throw invalid('service overrides', problems);
  return { ...config, services };
}

/** A YAML document with positions: `at(offset)` names `file:line:col`; `errors` are its syntax problems. */
function readYaml(text: string, name: string): { doc: Document; lines: LineCounter; at: (offset?: number) => string; errors: Problem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined): string => {
    if (offset === undefined) return `${name}:1:1`;
    const { line, col } = lines.linePos(offset);
    return `${name}:${line}:${col}`;
  };
  return { doc, lines, at, errors: doc.errors.map((e) => ({ where: at(e.pos[0]), message: `YAML: ${e.message.split('\n')[0]}` })) };
}

function parseYamlWith<T extends z.ZodType>(text: string, name: string, schema: T, problems: Problem[]): { values: z.output<T>; lineOf: (key: string) => SourceLocation } | undefined {
  const { doc, lines, at, errors } = readYaml(text, name);
  if (errors.length) {
    problems.push(...errors);
    return undefined;
  }
  const parsed = schema.safeParse(doc.toJS() ?? {});
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
  const { doc, lines, at, errors } = readYaml(text, name);
  if (errors.length > 0) throw invalid(name, errors);
  const data: unknown = doc.toJS();
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw invalid(name, [{ where: at(doc.contents?.range?.[0]), message: 'expected a mapping with apiVersion, name, regions, … (see docs/config.md)' }]);
  }

  const parsed = platformSchema.safeParse(data);
  if (!parsed.success) {
    throw invalid(name, parsed.error.issues.flatMap((issue) => zodProblems(issue, doc, at)));
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
  const n = problems.length;
  return new UsageError(`${name} is invalid (${n} problem${n === 1 ? '' : 's'})`, problems, 'Fix the lines above; `platform schema` prints the JSON Schema for your editor.');
}

function zodProblems(issue: z.core.$ZodIssue, doc: Document, at: (o?: number) => string, keysAt: (path: PathSegment[]) => string[] = knownKeys): Problem[] {
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

/** The keys the schema allows at a path (walking through arrays and optional/default wrappers). */
function knownKeys(path: PathSegment[]): string[] {
  let schema: any = platformSchema;
  const unwrap = (s: any): any => {
    while (s?._zod?.def && ['optional', 'default', 'nullable', 'pipe', 'prefault'].includes(s._zod.def.type)) {
      s = s._zod.def.innerType ?? s._zod.def.in;
    }
    return s;
  };
  for (const seg of path) {
    schema = unwrap(schema);
    if (typeof seg === 'number') schema = schema?._zod?.def?.element;
    else schema = schema?._zod?.def?.shape?.[seg];
  }
  schema = unwrap(schema);
  return Object.keys(schema?._zod?.def?.shape ?? {});
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
