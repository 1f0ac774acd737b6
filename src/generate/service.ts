/**
 * `platform generate service`: add a service to platform.yaml keeping the user's comments and layout
 * (yaml Document API) and scaffold `services/<name>/` from src/templates/service. Everything is checked
 * (and the new config validated) before anything is written; files are written whole or not at all.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, stringify, visit } from 'yaml';
import { applyServiceOverrides, parseConfig, serviceDir } from '../config/load.js';
import { DNS1123_LABEL } from '../config/schema.js';
import { UsageError } from '../errors.js';
import { PACKAGE_NAME, packageRoot, staysInside } from '../paths.js';

export interface GenerateServiceOptions {
  configFile: string;
  name: string;
  tenant: string;
  image?: string;
  port?: number;
  dryRun?: boolean;
  force?: boolean;
}

export interface PlannedFile {
  path: string;
  action: 'create' | 'overwrite' | 'update';
  content: string;
}

export interface GenerateServiceResult {
  service: string;
  tenant: string;
  dryRun: boolean;
  files: Array<Omit<PlannedFile, 'content'>>;
}

const templateDir = (): string => join(packageRoot(), 'src', 'templates', 'service');

export function generateService(opts: GenerateServiceOptions): GenerateServiceResult {
  const configFile = resolve(opts.configFile);
  const projectDir = dirname(configFile);
  if (!DNS1123_LABEL.test(opts.name) || opts.name.length > 63) {
    throw new UsageError(
      `service name "${opts.name}" is not a DNS-1123 label`,
      [],
      'Use lower-case letters, digits and "-", starting and ending with a letter or digit (e.g. checkout, order-api).',
    );
  }
  if (!existsSync(configFile)) throw new UsageError(`${opts.configFile}: no such file`, [], 'Run `platform init` first, or pass -c FILE.');
  const text = readFileSync(configFile, 'utf8');
  const config = parseConfig(text, opts.configFile); // the current file must be valid before we add to it
  if (!config.tenants.some((t) => t.name === opts.tenant)) {
    throw new UsageError(
      `tenant "${opts.tenant}" is not defined in ${opts.configFile}`,
      [],
      `Known tenants: ${config.tenants.map((t) => t.name).join(', ') || '(none)'}.`,
    );
  }
  const clash = config.services.find((s) => s.name === opts.name);
  if (clash) {
    throw new UsageError(
      `service "${opts.name}" already exists (tenant ${clash.tenant})`,
      [],
      'Pick another name; a service folder services/<name>/ belongs to one service.',
    );
  }
  const dir = serviceDir(projectDir, opts.name);
  if (!staysInside(projectDir, dir)) {
    throw new UsageError(
      `services/${opts.name} would be outside the project ${projectDir}`,
      [],
      'services/ or services/<name> is a symlink that leads out of the project: make it a folder inside the project (or link within it).',
    );
  }

  const image = opts.image ?? `ghcr.io/${config.name}/${opts.name}:0.1.0`;
  const port = opts.port ?? 8080;
  const entry = { name: opts.name, tenant: opts.tenant, image, port, replicas: 2, resources: { cpu: '100m', memory: '128Mi' }, probes: { path: '/healthz' } };

  const newText = withServiceEntry(text, entry);
  // Validate what we are about to write: the new platform.yaml and the overrides it will pick up.
  applyServiceOverrides(parseConfig(newText, opts.configFile), projectDir);

  const vars: Record<string, string> = { name: opts.name, tenant: opts.tenant, image, port: String(port), package: PACKAGE_NAME };
  const planned: PlannedFile[] = [{ path: configFile, action: 'update', content: newText }];
  for (const template of readdirSync(templateDir())
    .filter((f) => f.endsWith('.tmpl'))
    .sort()) {
    const target = join(dir, template.replace(/\.tmpl$/, '').replace(/^service\./, `${opts.name}.`));
    planned.push({
      path: target,
      action: existsSync(target) ? 'overwrite' : 'create',
      content: render(readFileSync(join(templateDir(), template), 'utf8'), vars),
    });
  }
  const existing = planned.filter((f) => f.action === 'overwrite');
  if (existing.length && !opts.force) {
    throw new UsageError(
      `${existing.length} file(s) already exist`,
      existing.map((f) => ({ where: relative(process.cwd(), f.path), message: 'exists' })),
      'Pass --force to overwrite them.',
    );
  }
  if (!opts.dryRun) {
    mkdirSync(dir, { recursive: true });
    // Service files first, platform.yaml last: a failure part-way never leaves a config naming missing files.
    for (const f of [...planned.slice(1), planned[0]]) writeAtomically(f.path, f.content);
  }
  return { service: opts.name, tenant: opts.tenant, dryRun: Boolean(opts.dryRun), files: planned.map(({ path, action }) => ({ path, action })) };
}

/**
 * The config text with one more `services:` item, in block style. The new item is spliced in as text at
 * a place the yaml Document API locates, so every other byte (comments, blank lines, quoting, the
 * user's indentation) stays as written: after the last item of a block list; in place of an empty
 * `services: []` (what `platform init` writes); or as a new `services:` block at the end of the file.
 * Only a non-empty flow list (`services: [{…}]`, the user's own choice of style) is re-rendered by the
 * Document API, which keeps its comments.
 */
export function withServiceEntry(text: string, entry: Record<string, unknown>): string {
  const doc = parseDocument(text);
  const style = blockStyle(text, doc);
  const itemAt = (column: number): string =>
    stringify([entry], { indent: style.indent })
      .trimEnd()
      .split('\n')
      .map((l) => ' '.repeat(column) + l)
      .join('\n');
  const pair = isMap(doc.contents) ? doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'services') : undefined;
  const services = pair?.value;
  const keyColumn = pair && isScalar(pair.key) ? columnOf(text, pair.key.range[0]) : 0;

  if (isSeq(services) && !services.flow && services.items.length > 0) {
    const last = services.items[services.items.length - 1] as { range?: [number, number, number] };
    const end = last.range?.[1] ?? services.range[1];
    const column = columnOf(text, services.range[0]);
    let at = text[end - 1] === '\n' ? end : text.indexOf('\n', end) === -1 ? text.length : text.indexOf('\n', end) + 1;
    // Comment lines indented into the last item belong to it: the new item goes below them.
    for (let m; (m = /^([ \t]*)#.*(?:\n|$)/.exec(text.slice(at))) && m[0].length > 0 && m[1].length > column;) at += m[0].length;
    const before = text.slice(0, at);
    return `${before}${before.endsWith('\n') ? '' : '\n'}${itemAt(column)}\n${text.slice(at)}`;
  }
  if (isSeq(services) && services.flow && services.items.length === 0) {
    // `services: []  # comment` → `services:  # comment` followed by the block item.
    const [open, close] = services.range;
    let from = open;
    while (from > 0 && (text[from - 1] === ' ' || text[from - 1] === '\t')) from--;
    const lineEnd = text.indexOf('\n', close) === -1 ? text.length : text.indexOf('\n', close);
    const rest = text.slice(close, lineEnd);
    return `${text.slice(0, from)}${rest.trim() ? ` ${rest.trimStart()}` : ''}\n${itemAt(keyColumn + style.seqOffset)}${text.slice(lineEnd)}`;
  }
  if (!pair) {
    const body = text.length && !text.endsWith('\n') ? `${text}\n` : text;
    return `${body}services:\n${itemAt(style.seqOffset)}\n`;
  }
  if (isSeq(services)) {
    services.items.push(doc.createNode(entry) as (typeof services.items)[number]);
    return doc.toString();
  }
  throw new UsageError('services: is not a list', [], 'Make `services:` a list of services (or remove it), then run this again.');
}

/** Column (0-based) of an offset. */
const columnOf = (text: string, offset: number): number => offset - (text.lastIndexOf('\n', offset - 1) + 1);

/**
 * How this file indents block collections, read from its own lists and maps: how far a list's `-` sits
 * right of its key (`regions:\n  - name` → 2, `regions:\n- name` → 0), and the indent of a nested map
 * (`dr:\n  rpoMinutes` → 2). yaml's defaults (2 and 2, what `platform init` writes) otherwise.
 */
function blockStyle(text: string, doc: ReturnType<typeof parseDocument>): { seqOffset: number; indent: number } {
  let seqOffset: number | undefined;
  let indent: number | undefined;
  visit(doc, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || !pair.key.range) return;
      const value = pair.value;
      if (!(isSeq(value) || isMap(value)) || value.flow || !value.range) return;
      if (text.lastIndexOf('\n', value.range[0]) < pair.key.range[1]) return; // on the key's own line: not a block below it
      const offset = columnOf(text, value.range[0]) - columnOf(text, pair.key.range[0]);
      if (isSeq(value)) seqOffset ??= offset;
      else if (offset > 0) indent ??= offset;
      if (seqOffset !== undefined && indent !== undefined) return visit.BREAK;
    },
  });
  return { seqOffset: seqOffset ?? 2, indent: indent ?? 2 };
}

function render(template: string, vars: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (m, key: string) => vars[key] ?? m);
}

function writeAtomically(path: string, content: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}
