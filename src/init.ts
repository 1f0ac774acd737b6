/**
 * `platform init`: write a starter platform.yaml, and a package.json that makes the project's own
 * commands work (`npx platform …`, `npm test` for the service tests `generate service` scaffolds).
 * Answers come from prompts (in a TTY) or flags; everything is validated before anything is written,
 * and an existing platform.yaml is never replaced without --force.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { CLOUD_LOCATIONS, defaultLocations, type CloudName } from './clouds/common.js';
import { parseConfig } from './config/load.js';
import { DNS1123_LABEL, type Engine, type PlatformInput } from './config/schema.js';
import { UsageError } from './errors.js';
import { PACKAGE_NAME, packageManifest } from './paths.js';
import { plural } from './text.js';

export interface InitAnswers {
  name: string;
  engine: Engine;
  /** Local regions on the local control plane (no cloud needed). */
  local: boolean;
  /** Region names; the first is primary, the others DR. */
  regions: string[];
  cloud?: CloudName;
  /** Region name → the cloud's location id (e.g. eu → eu-west-1); missing ones get `initLocations` defaults. */
  locations: Record<string, string>;
  tenant: string;
  owner: string;
}

export interface PackageJsonResult {
  file: string;
  /** created: there was none; updated: entries were added to the user's; unchanged: it had them all. */
  action: 'created' | 'updated' | 'unchanged';
  /** What was added, e.g. `devDependencies.vitest`, `scripts.test`. */
  added: string[];
  /** Set when the user's own `test` script was kept (the service tests then run with `npx vitest run`). */
  keptTestScript?: string;
}

export interface InitResult {
  file: string;
  engine: Engine;
  regions: string[];
  /** Region name → location id, as written. */
  locations: Record<string, string>;
  /** The secrets passphrase (Pulumi secrets, OpenTofu state encryption): from the environment, or a file generated on first run. */
  passphrase: 'env' | 'file';
  gitignore: boolean;
  /** Absent with `--no-package-json`. */
  packageJson?: PackageJsonResult;
}

/** Each region's location: the answer given, else a real id of the cloud (or `local-<name>` for local regions). */
export function initLocations(a: Pick<InitAnswers, 'local' | 'cloud' | 'regions' | 'locations'>): Record<string, string> {
  const defaults = a.local ? a.regions.map((r) => `local-${r}`) : defaultLocations(a.cloud ?? 'aws', a.regions);
  return Object.fromEntries(a.regions.map((r, i) => [r, a.locations[r] ?? defaults[i]]));
}

/** `--location name=id` flags → a map; UsageError for a malformed one or a region that is not being created. */
export function parseLocationFlags(values: string[], regions: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values) {
    const m = /^([^=\s]+)=(\S+)$/.exec(value);
    if (!m) throw new UsageError(`--location ${value}: expected REGION=LOCATION_ID, e.g. --location eu=eu-west-1`);
    if (!regions.includes(m[1]))
      throw new UsageError(`--location ${value}: there is no region "${m[1]}"`, [], `Regions: ${regions.join(', ')} (set them with --region).`);
    out[m[1]] = m[2];
  }
  return out;
}

/** Every problem with the answers (names, location ids) before anything is written. */
export function checkAnswers(a: InitAnswers): void {
  const problems: Array<{ path: string; message: string }> = [];
  for (const [what, value] of [['name', a.name], ['tenant', a.tenant], ...a.regions.map((r) => ['region', r])] as const) {
    if (!DNS1123_LABEL.test(value)) problems.push({ path: `--${what}`, message: `"${value}" is not a DNS-1123 label (lower-case letters, digits and "-")` });
  }
  if (!a.local) {
    const cloud = a.cloud ?? 'aws';
    const { pattern, example } = CLOUD_LOCATIONS[cloud];
    for (const [region, location] of Object.entries(initLocations(a))) {
      if (!pattern.test(location))
        problems.push({ path: `--location ${region}=${location}`, message: `"${location}" is not a ${cloud} region id (e.g. ${example})` });
    }
  }
  if (problems.length)
    throw new UsageError(`cannot initialize: ${plural(problems.length, 'invalid answer')}`, problems, 'Fix the flags above (or answer the prompts again).');
}

export function renderConfig(a: InitAnswers): string {
  const locations = initLocations(a);
  const config: PlatformInput = {
    apiVersion: 'platform.dev/v1',
    name: a.name,
    engine: a.engine,
    regions: a.regions.map((name, i) => ({
      name,
      cloud: a.local ? 'local' : (a.cloud ?? 'aws'),
      location: locations[name],
      role: i === 0 ? 'primary' : 'dr',
    })),
    tenants: [{ name: a.tenant, plan: 'starter', owners: [a.owner] }],
    services: [],
    ...(a.regions.length > 1 ? { dr: { rpoMinutes: 60, rtoMinutes: 30, backupSchedule: '*/30 * * * *', failover: 'dns' as const } } : {}),
  };
  return `# platform.yaml — the format: node_modules/${PACKAGE_NAME}/docs/config.md (editors: \`platform schema\`).\n# Validate with \`platform validate\`; add services with \`platform generate service\`.\n${stringify(config)}`;
}

export function initProject(file: string, answers: InitAnswers, opts: { force?: boolean; packageJson?: boolean } = {}): InitResult {
  const abs = resolve(file);
  if (existsSync(abs) && !opts.force) {
    throw new UsageError(`${file} already exists`, [], 'Pass --force to replace it, or edit it by hand.');
  }
  checkAnswers(answers);
  const text = renderConfig(answers);
  parseConfig(text, file); // never write a config that would not load
  const dir = dirname(abs);
  const pkg = opts.packageJson === false ? undefined : planPackageJson(dir, answers.name);
  writeFileSync(abs, text);
  if (pkg?.text !== undefined) writeFileSync(pkg.result.file, pkg.text);
  const gitignore = join(dir, '.gitignore');
  const lines = existsSync(gitignore)
    ? readFileSync(gitignore, 'utf8')
        .split('\n')
        .map((l) => l.trim())
    : [];
  const missing = ['.platform/', ...(pkg ? ['node_modules/'] : [])].filter((entry) => !lines.includes(entry) && !lines.includes(entry.slice(0, -1)));
  if (missing.length)
    appendFileSync(
      gitignore,
      `${existsSync(gitignore) ? '\n' : ''}# platform state, caches, local control plane, secrets passphrase; npm packages\n${missing.join('\n')}\n`,
    );
  return {
    file: abs,
    engine: answers.engine,
    regions: answers.regions,
    locations: initLocations(answers),
    passphrase: process.env.PLATFORM_PASSPHRASE || process.env.PULUMI_CONFIG_PASSPHRASE ? 'env' : 'file',
    gitignore: missing.includes('.platform/'),
    ...(pkg ? { packageJson: pkg.result } : {}),
  };
}

/**
 * The package.json a platform repository needs: this CLI (so `npx platform` is the version the repo
 * pins), vitest, and `"test": "vitest run"` for the service tests. A missing file is created; an
 * existing one only gains what it lacks (its own entries, order and indentation are kept; a `test`
 * script of its own is never replaced). `text` is undefined when nothing changes.
 */
export function planPackageJson(dir: string, projectName: string): { result: PackageJsonResult; text?: string } {
  const file = join(dir, 'package.json');
  const ours = packageManifest();
  const wanted: Record<string, string> = { [PACKAGE_NAME]: `^${ours.version}`, vitest: caret(ours.devDependencies?.vitest ?? '4') };
  if (!existsSync(file)) {
    const pkg = { name: projectName, private: true, type: 'module', scripts: { test: 'vitest run' }, devDependencies: wanted };
    return {
      result: { file, action: 'created', added: ['scripts.test', ...Object.keys(wanted).map((d) => `devDependencies.${d}`)] },
      text: `${JSON.stringify(pkg, null, 2)}\n`,
    };
  }
  const raw = readFileSync(file, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    throw new UsageError(`${file} is not valid JSON (${(e as Error).message})`, [], 'Fix it, or pass --no-package-json to leave it alone.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new UsageError(`${file} is not a JSON object`, [], 'Fix it, or pass --no-package-json to leave it alone.');
  const pkg = parsed as { scripts?: Record<string, string>; dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  const added: string[] = [];
  let keptTestScript: string | undefined;
  if (!pkg.scripts?.test) {
    pkg.scripts = { ...pkg.scripts, test: 'vitest run' };
    added.push('scripts.test');
  } else if (!/\bvitest\b/.test(pkg.scripts.test)) keptTestScript = pkg.scripts.test;
  for (const [dep, range] of Object.entries(wanted)) {
    if (pkg.dependencies?.[dep] || pkg.devDependencies?.[dep]) continue;
    pkg.devDependencies = { ...pkg.devDependencies, [dep]: range };
    added.push(`devDependencies.${dep}`);
  }
  const result: PackageJsonResult = { file, action: added.length ? 'updated' : 'unchanged', added, ...(keptTestScript ? { keptTestScript } : {}) };
  if (!added.length) return { result };
  const indent = /^[ \t]+(?=")/m.exec(raw)?.[0] ?? 2;
  return { result, text: `${JSON.stringify(pkg, null, indent)}${raw.endsWith('\n') ? '\n' : ''}` };
}

const caret = (version: string): string => (/^\d/.test(version) ? `^${version}` : version);

/** The prompts `platform init` asks in a terminal (on stderr), each defaulting to the flag or default. */
export async function askAnswers(d: InitAnswers): Promise<InitAnswers> {
  const { input, select, confirm } = await import('@inquirer/prompts');
  const opts = { output: process.stderr };
  const name = await input({ message: 'Project name', default: d.name, validate: (v) => DNS1123_LABEL.test(v) || 'a DNS-1123 label' }, opts);
  const engine = await select({ message: 'Engine', default: d.engine, choices: (['pulumi', 'terraform'] as const).map((e) => ({ value: e })) }, opts);
  const local = await confirm({ message: 'Run regions on the local control plane (no cloud)?', default: d.local }, opts);
  const cloud = local
    ? undefined
    : await select({ message: 'Cloud', default: d.cloud, choices: (['aws', 'gcp', 'azure'] as const).map((c) => ({ value: c })) }, opts);
  const regions = (
    await input(
      {
        message: 'Region names (first is primary, comma-separated)',
        default: d.regions.join(','),
        validate: (v) =>
          v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
            .every((r) => DNS1123_LABEL.test(r)) || 'DNS-1123 labels, comma-separated',
      },
      opts,
    )
  )
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const proposed = initLocations({ local, cloud, regions, locations: d.locations });
  const locations: Record<string, string> = {};
  for (const region of regions) {
    const spec = cloud ? CLOUD_LOCATIONS[cloud] : undefined;
    locations[region] = await input(
      {
        message: cloud ? `${cloud} region id for "${region}"` : `Location label for local region "${region}"`,
        default: proposed[region],
        validate: (v) => !spec || spec.pattern.test(v) || `a ${cloud} region id, e.g. ${spec.example}`,
      },
      opts,
    );
  }
  const tenant = await input({ message: 'First tenant', default: d.tenant, validate: (v) => DNS1123_LABEL.test(v) || 'a DNS-1123 label' }, opts);
  const owner = await input({ message: "Tenant owner's email", default: d.owner }, opts);
  return { name, engine, local, cloud, regions, locations, tenant, owner };
}
