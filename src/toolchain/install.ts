/**
 * `platform toolchain install`: plan what is missing (cheap: stat calls and memoized version checks),
 * then build it from the Go module proxy, one step at a time (Go already uses every core). Nothing
 * half-built ever lands in the cache: binaries are built into a temp dir and renamed in when complete.
 * Concurrent installs (two test runs, two shells) serialize on a lock file and re-plan after waiting.
 */
import {
  chmodSync,
  copyFileSync,
  cpSync,
  createWriteStream,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { ExternalError, UsageError } from '../errors.js';
import { findOnPath, forgetResolvedTools, toolStatus, type ToolStatus } from './discover.js';
import { acquireLock, describeHolder } from '../state/lock.js';
import { directoryStore } from '../state/store.js';
import {
  AZURITE_BLOB_ENTRY,
  azuriteBlobMain,
  azuriteDir,
  cachedToolPath,
  crdBundleDir,
  installSourceDir,
  logsDir,
  mirroredProviderPath,
  motoDir,
  motoPython,
  pulumiShimDir,
  tofuCliConfigPath,
  toolCacheDir,
  toolchainDir,
} from './layout.js';
import { downloadModule, GO_BUILD_ENV, RECIPES, type BuildContext, type Recipe } from './recipes.js';
import { tofuCliConfigText } from './tofu.js';
import {
  AZURITE_VERSION,
  CRD_BUNDLE_NAMES,
  CRD_BUNDLES,
  INSTALL_SOURCE_NAMES,
  INSTALL_SOURCES,
  MOTO_REQUIREMENTS,
  MOTO_VERSION,
  PULUMI_NODEJS_SHIM,
  TOOL_NAMES,
  type CrdBundle,
  type InstallSource,
  type ToolName,
} from './versions.js';

export interface InstallStep {
  id: string;
  title: string;
  /** False when the cache (or PATH) already satisfies it: a warm install runs no step. */
  needed: boolean;
}

export type InstallEvent =
  | { type: 'plan'; steps: InstallStep[] }
  | { type: 'waiting-for-lock'; holder: string }
  | { type: 'step-started'; step: string; title: string }
  | { type: 'step-output'; step: string; line: string }
  | { type: 'step-finished'; step: string; title: string; durationMs: number }
  | { type: 'step-skipped'; step: string; title: string }
  | { type: 'step-failed'; step: string; title: string; error: Error };

export interface InstallOptions {
  onProgress?: (event: InstallEvent) => void;
  signal?: AbortSignal;
  /** Only these step ids (e.g. `['tofu', 'tofu-mirror']`); default: every step a user needs. */
  only?: string[];
  /** Also the object-store servers the state tests run against (moto, fake-gcs-server, Azurite). */
  testServers?: boolean;
}

interface StepImpl extends InstallStep {
  /** Only the project's own tests need it: skipped unless asked for (by --test-servers or --only). */
  forTests?: true;
  run(runner: StepRunner): Promise<void>;
}

// ---- planning -------------------------------------------------------------------------------------

const recipeNeeded = (r: Recipe): boolean => r.tools.some((t) => toolStatus(t, { fresh: true }).source === 'missing');
const missingBundles = (): CrdBundle[] => CRD_BUNDLE_NAMES.filter((b) => !existsSync(crdBundleDir(b)));
const missingInstallSources = (): InstallSource[] => INSTALL_SOURCE_NAMES.filter((s) => !existsSync(installSourceDir(s)));
const shimNeeded = (): boolean => !existsSync(pulumiShimDir());
function mirrorNeeded(): boolean {
  if (!existsSync(mirroredProviderPath())) return true;
  try {
    return readFileSync(tofuCliConfigPath(), 'utf8') !== tofuCliConfigText();
  } catch {
    return true;
  }
}

function planSteps(only?: string[], testServers = false): StepImpl[] {
  const steps = allSteps();
  if (!only?.length) return steps.filter((s) => testServers || !s.forTests);
  const unknown = only.filter((id) => !steps.some((s) => s.id === id));
  if (unknown.length) throw new UsageError(`unknown toolchain step ${unknown.join(', ')}`, [], `Steps: ${steps.map((s) => s.id).join(', ')}.`);
  return steps.filter((s) => only.includes(s.id));
}

function allSteps(): StepImpl[] {
  const builds: StepImpl[] = RECIPES.map((recipe) => ({
    id: recipe.id,
    title: recipe.title,
    ...(recipe.forTests ? { forTests: true as const } : {}),
    needed: recipeNeeded(recipe),
    run: (runner) => buildRecipe(recipe, runner),
  }));
  return [
    ...builds,
    {
      id: 'crds',
      title: `CRD bundles (${CRD_BUNDLE_NAMES.map((b) => `${b} ${CRD_BUNDLES[b].version}`).join(', ')})`,
      needed: missingBundles().length > 0,
      run: (runner) => cacheCrdBundles(missingBundles(), runner),
    },
    {
      id: 'install-sources',
      title: `control-plane install sources (${INSTALL_SOURCE_NAMES.map((s) => `${INSTALL_SOURCES[s].module} ${INSTALL_SOURCES[s].version}`).join(', ')})`,
      needed: missingInstallSources().length > 0,
      run: (runner) => cacheInstallSources(missingInstallSources(), runner),
    },
    { id: 'pulumi-nodejs-shim', title: 'pulumi-resource-pulumi-nodejs shim', needed: shimNeeded(), run: (runner) => cachePulumiShim(runner) },
    {
      id: 'tofu-mirror',
      title: 'OpenTofu provider mirror and CLI config',
      needed: mirrorNeeded(),
      run: () => {
        layOutTofuMirror();
        return Promise.resolve();
      },
    },
    {
      id: 'moto',
      title: `moto ${MOTO_VERSION} (S3 server for the state tests, Python venv)`,
      forTests: true,
      needed: !existsSync(motoPython()),
      run: (runner) => installMoto(runner),
    },
    {
      id: 'azurite',
      title: `Azurite ${AZURITE_VERSION} (Azure Blob emulator for the state tests, npm)`,
      forTests: true,
      needed: !existsSync(azuriteBlobMain()),
      run: (runner) => installAzurite(runner),
    },
  ];
}

/** What `install` would do now (no side effects besides memoized version checks). */
export function planInstall(only?: string[], testServers = false): InstallStep[] {
  return planSteps(only, testServers).map(({ id, title, needed }) => ({ id, title, needed }));
}

/** Tools only the project's own tests run: not part of a user's toolchain (nor of its status). */
const TEST_SERVER_TOOLS = new Set<ToolName>(RECIPES.filter((r) => r.forTests).flatMap((r) => r.tools));

/** Every tool's status right now (fresh: not memoized). */
export function toolchainStatus(): ToolStatus[] {
  return TOOL_NAMES.filter((name) => !TEST_SERVER_TOOLS.has(name)).map((name) => toolStatus(name, { fresh: true }));
}

// ---- running --------------------------------------------------------------------------------------

export async function installToolchain(opts: InstallOptions = {}): Promise<ToolStatus[]> {
  const emit = opts.onProgress ?? (() => {});
  let steps = planSteps(opts.only, opts.testServers);
  assertGoFor(steps);
  if (steps.some((s) => s.needed)) {
    mkdirSync(toolchainDir(), { recursive: true });
    const release = await acquireInstallLock(emit, opts.signal);
    try {
      steps = planSteps(opts.only, opts.testServers); // whoever held the lock may have built what we were missing
      emit({ type: 'plan', steps: steps.map(({ id, title, needed }) => ({ id, title, needed })) });
      for (const step of steps) {
        if (!step.needed) {
          emit({ type: 'step-skipped', step: step.id, title: step.title });
          continue;
        }
        emit({ type: 'step-started', step: step.id, title: step.title });
        const started = Date.now();
        const runner = new StepRunner(step.id, step.title, (line) => emit({ type: 'step-output', step: step.id, line }), opts.signal);
        try {
          await step.run(runner);
        } catch (e) {
          const error = e instanceof Error ? e : new Error(String(e));
          emit({ type: 'step-failed', step: step.id, title: step.title, error });
          throw error;
        } finally {
          runner.close();
        }
        emit({ type: 'step-finished', step: step.id, title: step.title, durationMs: Date.now() - started });
      }
    } finally {
      await release();
      forgetResolvedTools();
    }
  } else {
    emit({ type: 'plan', steps: steps.map(({ id, title, needed }) => ({ id, title, needed })) });
    for (const step of steps) emit({ type: 'step-skipped', step: step.id, title: step.title });
  }
  return toolchainStatus();
}

/** Steps that run no `go`: the mirror layout, and the test servers (python3's venv, npm). */
const WITHOUT_GO = new Set(['tofu-mirror', 'moto', 'azurite']);

/**
 * Every other step runs `go` (builds, and `go mod download` for the CRD bundles and
 * the shim). Without Go, say before starting which tools are missing and the two ways to get them.
 */
export function assertGoFor(steps: InstallStep[]): void {
  const needGo = steps.filter((s) => s.needed && !WITHOUT_GO.has(s.id));
  if (!needGo.length || findOnPath('go')) return;
  const tools = RECIPES.filter((r) => needGo.some((s) => s.id === r.id))
    .flatMap((r) => r.tools)
    .map((t) => toolStatus(t, { fresh: true }))
    .filter((t) => t.source === 'missing');
  const onPathOk = tools.filter((t) => t.accepts);
  const goOnly = [...tools.filter((t) => !t.accepts).map((t) => t.name), ...needGo.filter((s) => !RECIPES.some((r) => r.id === s.id)).map((s) => s.title)];
  const lines = [
    ...onPathOk.map((t) => `  ${t.name} ${t.accepts}`),
    ...(goOnly.length ? [`  only through Go (no PATH copy can stand in): ${goOnly.join('; ')}`] : []),
  ];
  throw new ExternalError(
    `the toolchain needs Go to build what is missing, and \`go\` is not on PATH. Missing:\n${lines.join('\n')}`,
    `Either (1) install Go >= 1.26 (https://go.dev/dl/; an older go >= 1.21 fetches 1.26 itself) and run \`platform toolchain install\` again — it builds the pinned versions once into ${toolchainDir()}; ` +
      `or (2) put binaries in the ranges above on PATH (\`platform toolchain status\` says which one is taken and why) and run it again to build only the rest.`,
  );
}

/** Runs go commands for one step: build env, output into the step's log, failures with the log tail. */
class StepRunner {
  readonly logFile: string;
  private readonly tail: string[] = [];
  private readonly log: ReturnType<typeof createWriteStream>;

  constructor(
    readonly stepId: string,
    readonly title: string,
    private readonly onLine: (line: string) => void,
    readonly signal?: AbortSignal,
  ) {
    mkdirSync(logsDir(), { recursive: true });
    this.logFile = join(logsDir(), `${stepId}.log`);
    this.log = createWriteStream(this.logFile, { flags: 'w' });
  }

  go(cwd: string, args: string[], extraEnv: Record<string, string> = {}): Promise<string> {
    return this.exec('go', cwd, args, { ...GO_BUILD_ENV, ...extraEnv });
  }

  /** Runs a build command (go, python3, npm) with its output in the step's log. */
  async exec(program: string, cwd: string, args: string[], env: Record<string, string> = {}): Promise<string> {
    const command = `${program} ${args.map((a) => (/\s/.test(a) ? `'${a}'` : a)).join(' ')}`;
    this.record(`$ ${command}`);
    const { execa } = await import('execa'); // loaded only when something is built: keeps warm runs fast
    const child = execa(program, args, {
      cwd,
      env,
      all: true,
      reject: false,
      stdin: 'ignore',
      cancelSignal: this.signal,
      forceKillAfterDelay: 5_000,
    });
    let partial = '';
    child.all.on('data', (chunk: Buffer) => {
      const text = partial + chunk.toString('utf8');
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      // `go mod download -json` prints JSON on stdout: keep it out of the progress line, not out of the log.
      for (const line of lines) this.record(line);
    });
    const result = await child;
    if (partial) this.record(partial);
    if (result.isCanceled) throw new ExternalError(`building ${this.title} was cancelled`);
    if (result.failed) {
      const why = result.exitCode !== undefined ? `exited with code ${result.exitCode}` : (result.shortMessage ?? 'failed');
      if ((result as { code?: string }).code === 'ENOENT') {
        throw new ExternalError(
          `building ${this.title} needs ${program}, but \`${program}\` is not on PATH`,
          program === 'go'
            ? 'Install Go ≥ 1.26 (https://go.dev/dl), or put binaries of the pinned versions on PATH, then run `platform toolchain install` again.'
            : `Install ${program === 'python3' ? 'Python ≥ 3.9 with venv (Debian: apt-get install python3-venv)' : program}, then run \`platform toolchain install\` again.`,
        );
      }
      const source =
        program === 'go'
          ? `the Go module proxy is reachable (GOPROXY=${process.env.GOPROXY || 'https://proxy.golang.org,direct'}) and Go ≥ 1.26 is installed`
          : program === 'npm'
            ? 'the npm registry is reachable'
            : 'PyPI is reachable';
      throw new ExternalError(
        `building ${this.title} failed: \`${command}\` ${why}. Last ${this.tail.length} lines of its log:\n${this.tail.map((l) => `  ${l}`).join('\n')}`,
        `Full log: ${this.logFile}. Check that ${source}, then run \`platform toolchain install\` again.`,
      );
    }
    return result.stdout;
  }

  private record(line: string): void {
    this.log.write(`${line}\n`);
    this.tail.push(line);
    if (this.tail.length > 20) this.tail.shift();
    if (line.startsWith('$ ')) this.onLine(line.length > 160 ? `${line.slice(0, 159)}…` : line); // the command is progress enough; go's chatter stays in the log
  }

  close(): void {
    this.log.end();
  }
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // a leftover temp dir is harmless
  }
}

/** A fresh `go mod init wrapper` module in the system temp dir. */
async function withWrapperModule<T>(runner: StepRunner, fn: (wrapperDir: string) => Promise<T>): Promise<T> {
  const wrapperDir = mkdtempSync(join(tmpdir(), `platform-go-${runner.stepId}-`));
  try {
    await runner.go(wrapperDir, ['mod', 'init', 'wrapper']);
    return await fn(wrapperDir);
  } finally {
    removeQuietly(wrapperDir);
  }
}

/** Rename a finished directory into place; if someone else got there first, theirs wins. */
function publishDir(staged: string, finalDir: string): void {
  mkdirSync(dirname(finalDir), { recursive: true });
  chmodSync(staged, 0o755); // mkdtemp makes it private; the cache is shared by whoever can read it
  try {
    renameSync(staged, finalDir);
  } catch (e) {
    if (!existsSync(finalDir)) throw e;
    removeQuietly(staged);
  }
}

async function buildRecipe(recipe: Recipe, runner: StepRunner): Promise<void> {
  const root = toolchainDir();
  // Same filesystem as the cache, so the final rename is atomic.
  const outDir = mkdtempSync(join(root, `.build-${recipe.id}-`));
  try {
    await withWrapperModule(runner, async (wrapperDir) => {
      const ctx: BuildContext = { wrapperDir, outDir, go: (args, env) => runner.go(wrapperDir, args, env) };
      await recipe.build(ctx);
    });
    for (const tool of recipe.tools) {
      const built = join(outDir, tool);
      if (!existsSync(built)) throw new ExternalError(`building ${recipe.title} finished but left no \`${tool}\` binary`, `See ${runner.logFile}.`);
      if (existsSync(cachedToolPath(tool))) continue;
      const staged = mkdtempSync(join(root, `.stage-${tool}-`));
      renameSync(built, join(staged, tool));
      chmodSync(join(staged, tool), 0o755);
      publishDir(staged, toolCacheDir(tool));
    }
  } finally {
    removeQuietly(outDir);
  }
}

/** Every file a bundle names inside its module dir (`dir/*.yaml` expands to that folder's YAML files). */
export function bundleFiles(moduleDir: string, patterns: string[]): string[] {
  return patterns.flatMap((pattern) => {
    if (!pattern.endsWith('/*.yaml')) return [join(moduleDir, pattern)];
    const dir = join(moduleDir, pattern.slice(0, -'/*.yaml'.length));
    return readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => join(dir, f));
  });
}

/**
 * Files taken from a Go module into the cache: `fill` copies them from the module's folder into a
 * staging folder, which is published whole (an atomic rename) or not at all.
 */
async function cacheFromModule(runner: StepRunner, moduleAtVersion: string, stage: string, target: string, fill: (moduleDir: string, staged: string) => void) {
  const root = toolchainDir();
  const { Dir } = await downloadModule({ go: (args) => runner.go(root, args) }, moduleAtVersion);
  const staged = mkdtempSync(join(root, `.stage-${stage}-`));
  try {
    fill(Dir, staged);
    publishDir(staged, target);
  } catch (e) {
    removeQuietly(staged);
    throw e;
  }
}

async function cacheCrdBundles(bundles: CrdBundle[], runner: StepRunner): Promise<void> {
  for (const bundle of bundles) {
    const { module, version, files } = CRD_BUNDLES[bundle];
    await cacheFromModule(runner, `${module}@${version}`, `crds-${bundle}`, crdBundleDir(bundle), (dir, staged) => {
      const found = bundleFiles(dir, files);
      if (found.length === 0)
        throw new ExternalError(
          `${module}@${version} holds none of ${files.join(', ')}`,
          'The pinned CRD bundle layout changed: fix src/toolchain/versions.ts.',
        );
      for (const file of found) {
        copyFileSync(file, join(staged, basename(file)));
        chmodSync(join(staged, basename(file)), 0o644); // module cache files are read-only
      }
    });
  }
}

/** Charts and manifests, copied out of their modules under the same relative paths (read-only bits dropped). */
async function cacheInstallSources(sources: InstallSource[], runner: StepRunner): Promise<void> {
  for (const source of sources) {
    const { module, version, paths } = INSTALL_SOURCES[source];
    await cacheFromModule(runner, `${module}@${version}`, `install-${source}`, installSourceDir(source), (dir, staged) => {
      for (const path of paths) {
        if (!existsSync(join(dir, path)))
          throw new ExternalError(`${module}@${version} has no ${path}`, 'The pinned install source layout changed: fix src/toolchain/versions.ts.');
        cpSync(join(dir, path), join(staged, path), { recursive: true });
      }
      makeWritable(staged);
    });
  }
}

/** Module cache files are read-only: the copies must stay deletable. */
function makeWritable(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    chmodSync(path, entry.isDirectory() ? 0o755 : 0o644);
    if (entry.isDirectory()) makeWritable(path);
  }
}

async function cachePulumiShim(runner: StepRunner): Promise<void> {
  const { module, version, dir } = PULUMI_NODEJS_SHIM;
  await cacheFromModule(runner, `${module}@${version}`, 'pulumi-shim', pulumiShimDir(), (moduleDir, staged) => {
    const source = join(moduleDir, dir);
    for (const file of readdirSync(source)) {
      if (file.endsWith('.cmd') || !statSync(join(source, file)).isFile()) continue; // Windows shims
      copyFileSync(join(source, file), join(staged, file));
      chmodSync(join(staged, file), 0o755); // the module zip does not keep the executable bit
    }
  });
}

/** The provider in OpenTofu's unpacked mirror layout (a hard link when possible), plus the CLI config. */
function layOutTofuMirror(): void {
  const provider = toolStatus('terraform-provider-kubectl', { fresh: true });
  if (!provider.path)
    throw new ExternalError('terraform-provider-kubectl is missing, so the OpenTofu mirror cannot be laid out', 'Run `platform toolchain install` again.');
  const target = mirroredProviderPath();
  if (!existsSync(target)) {
    mkdirSync(dirname(target), { recursive: true });
    const temp = `${target}.tmp-${process.pid}`;
    removeQuietly(temp);
    try {
      linkSync(provider.path, temp);
    } catch {
      copyFileSync(provider.path, temp);
    }
    chmodSync(temp, 0o755);
    renameSync(temp, target);
  }
  const configFile = tofuCliConfigPath();
  const temp = `${configFile}.tmp-${process.pid}`;
  writeFileSync(temp, tofuCliConfigText());
  renameSync(temp, configFile);
}

/** moto's S3 server in a fresh venv, every package pinned; renamed into place once it imports. */
async function installMoto(runner: StepRunner): Promise<void> {
  const root = toolchainDir();
  const staged = mkdtempSync(join(root, '.stage-moto-'));
  try {
    await runner.exec('python3', root, ['-m', 'venv', staged]);
    const python = join(staged, 'bin', 'python');
    await runner.exec(python, root, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-input', ...MOTO_REQUIREMENTS], {
      PIP_NO_CACHE_DIR: '1',
    });
    await runner.exec(python, root, ['-c', 'import moto.server, moto.s3']);
    // Renamed into place: `bin/python -m moto.server` finds its venv wherever it is (the scripts'
    // shebangs would not, and are not used).
    publishDir(staged, motoDir());
  } catch (e) {
    removeQuietly(staged);
    throw e;
  }
}

/** Azurite from npm into its own prefix under the cache (not a project dependency: its tree is large). */
async function installAzurite(runner: StepRunner): Promise<void> {
  const root = toolchainDir();
  const staged = mkdtempSync(join(root, '.stage-azurite-'));
  try {
    writeFileSync(join(staged, 'package.json'), `${JSON.stringify({ name: 'platform-azurite', private: true }, null, 2)}\n`);
    await runner.exec('npm', staged, ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--omit=dev', '--save-exact', `azurite@${AZURITE_VERSION}`]);
    if (!existsSync(join(staged, ...AZURITE_BLOB_ENTRY))) {
      throw new ExternalError(`npm installed azurite@${AZURITE_VERSION} without its blob server`, `See ${runner.logFile}.`);
    }
    publishDir(staged, azuriteDir());
  } catch (e) {
    removeQuietly(staged);
    throw e;
  }
}

// ---- the install lock ----------------------------------------------------------------------------

async function acquireInstallLock(emit: (e: InstallEvent) => void, signal?: AbortSignal): Promise<() => Promise<void>> {
  mkdirSync(toolchainDir(), { recursive: true });
  const lock = await acquireLock(directoryStore(toolchainDir()), '.install.lock', 'the toolchain', 'toolchain install', {
    wait: true,
    signal,
    pollMs: 1_000,
    onWait: (holder) => emit({ type: 'waiting-for-lock', holder: holder ? describeHolder(holder) : 'another process' }),
  });
  return lock.release;
}

/** Lets `pulumiCommandRoot` offer `<root>/bin/pulumi` (what the Automation API's PulumiCommand expects). */
export function ensurePulumiBinLink(pulumiDir: string): void {
  const link = join(pulumiDir, 'bin');
  if (existsSync(join(link, 'pulumi'))) return;
  try {
    symlinkSync('.', link);
  } catch {
    // a concurrent caller made it
  }
}
