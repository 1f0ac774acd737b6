/**
 * `platform generate service`: add a service to platform.yaml keeping the user's comments and layout
 * (yaml Document API) and scaffold `services/<name>/` from src/templates/service. Everything is checked
 * (and the new config validated) before anything is written; files are written whole or not at all.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { isMap, isSeq, parseDocument, stringify } from 'yaml';
import { applyServiceOverrides, parseConfig, serviceDir } from '../config/load.js';
import { DNS1123_LABEL } from '../config/schema.js';
import { UsageError } from '../errors.js';
import { packageRoot } from '../paths.js';

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
    throw new UsageError(`service name "${opts.name}" is not a DNS-1123 label`, [], 'Use lower-case letters, digits and "-", starting and ending with a letter or digit (e.g. checkout, order-api).');
  }
  if (!existsSync(configFile)) throw new UsageError(`${opts.configFile}: no such file`, [], 'Run `platform init` first, or pass -c FILE.');
  const text = readFileSync(configFile, 'utf8');
  const config = parseConfig(text, opts.configFile); // the current file must be valid before we add to it
  if (!config.tenants.some((t) => t.name === opts.tenant)) {
    throw new UsageError(`tenant "${opts.tenant}" is not defined in ${opts.configFile}`, [], `Known tenants: ${config.tenants.map((t) => t.name).join(', ') || '(none)'}.`);
  }
  const clash = config.services.find((s) => s.name === opts.name);
  if (clash) {
    throw new UsageError(`service "${opts.name}" already exists (tenant ${clash.tenant})`, [], 'Pick another name; a service folder services/<name>/ belongs to one service.');
  }
  const dir = serviceDir(projectDir, opts.name);
  if (!isInside(projectDir, dir)) throw new UsageError(`services/${opts.name} would be outside the project ${projectDir}`);

  const image = opts.image ?? `ghcr.io/${config.name}/${opts.name}:0.1.0`;
  const port = opts.port ?? 8080;
  const entry = { name: opts.name, tenant: opts.tenant, image, port, replicas: 2, resources: { cpu: '100m', memory: '128Mi' }, probes: { path: '/healthz' } };

  const newText = withServiceEntry(text, entry);
  // Validate what we are about to write: the new platform.yaml and the overrides it will pick up.
  applyServiceOverrides(parseConfig(newText, opts.configFile), projectDir);

  const vars: Record<string, string> = { name: opts.name, tenant: opts.tenant, image, port: String(port) };
  const planned: PlannedFile[] = [{ path: configFile, action: 'update', content: newText }];
  for (const template of readdirSync(templateDir()).filter((f) => f.endsWith('.tmpl')).sort()) {
    const target = join(dir, template.replace(/\.tmpl$/, '').replace(/^service\./, `${opts.name}.`));
    planned.push({ path: target, action: existsSync(target) ? 'overwrite' : 'create', content: render(readFileSync(join(templateDir(), template), 'utf8'), vars) });
  }
  const existing = planned.filter((f) => f.action === 'overwrite');
  if (existing.length && !opts.force) {
    throw new UsageError(`${existing.length} file(s) already exist`, existing.map((f) => ({ where: relative(process.cwd(), f.path), message: 'exists' })), 'Pass --force to overwrite them.');
  }
  if (!opts.dryRun) {
    mkdirSync(dir, { recursive: true });
    // Service files first, platform.yaml last: a failure part-way never leaves a config naming missing files.
    for (const f of [...planned.slice(1), planned[0]]) writeAtomically(f.path, f.content);
  }
  return { service: opts.name, tenant: opts.tenant, dryRun: Boolean(opts.dryRun), files: planned.map(({ path, action }) => ({ path, action })) };
}

/**
 * The config text with one more `services:` item. A block list gets the new item spliced in as text, so
 * every other byte (comments, flow maps, spacing) stays as the user wrote it; otherwise the Document API
 * re-renders the file.
 */
function withServiceEntry(text: string, entry: Record<string, unknown>): string {
  const doc = parseDocument(text);
  const services = doc.get('services', true);
  if (isSeq(services) && !services.flow && services.items.length > 0 && services.range) {
    const last = services.items[services.items.length - 1] as { range?: [number, number, number] };
    const lineStart = text.lastIndexOf('\n', services.range[0] - 1) + 1;
    const indent = ' '.repeat(services.range[0] - lineStart);
    const item = stringify([entry]).trimEnd().split('\n').map((l) => indent + l).join('\n');
    const end = last.range?.[1] ?? services.range[1];
    const at = text[end - 1] === '\n' ? end : text.indexOf('\n', end) === -1 ? text.length : text.indexOf('\n', end) + 1;
    const before = text.slice(0, at);
    return `${before}${before.endsWith('\n') ? '' : '\n'}${item}\n${text.slice(at)}`;
  }
  if (isSeq(services)) services.add(doc.createNode(entry));
  else if (isMap(doc.contents)) doc.set('services', doc.createNode([entry]));
  return doc.toString();
}

function render(template: string, vars: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (m, key: string) => vars[key] ?? m);
}

function writeAtomically(path: string, content: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep) && !resolve(child).startsWith('..');
}
