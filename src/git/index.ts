/**
 * Reading the project at a Git ref without touching the working tree: platform.yaml and the service
 * folders come from `git show <commit>:<path>`, so a dirty tree never changes the answer. Used by
 * `platform drift --ref` (and meant for `--affected --base`).
 */
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { applyServiceOverrides, DEFAULT_CONFIG_FILE, parseConfigWithSources, type LoadedConfig } from '../config/load.js';
import { ExternalError, UsageError } from '../errors.js';

export interface LoadedConfigAtRef extends LoadedConfig {
  /** The ref as asked for (or the default one). */
  ref: string;
  /** The commit it resolved to (40 hex). */
  commit: string;
}

class GitFailed extends Error {
  constructor(
    readonly args: string[],
    readonly stderr: string,
    readonly status: number | null,
  ) {
    super(`git ${args.join(' ')} failed: ${stderr.trim().split('\n')[0] ?? ''}`);
  }
}

/** Runs git in `cwd`; stdout as text. ENOENT (no git at all) is an ExternalError. */
export function git(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string; status?: number | null };
    if (err.code === 'ENOENT') throw new ExternalError('git is not installed (or not on PATH)', 'Install git; drift reads platform.yaml from a Git ref.');
    throw new GitFailed(args, err.stderr ?? err.message, err.status ?? null);
  }
}

/** The top of the work tree holding `dir`, or undefined outside a repository. */
export function repoRoot(dir: string): string | undefined {
  try {
    return realpathSync(git(dir, ['rev-parse', '--show-toplevel']).trim());
  } catch (e) {
    if (e instanceof GitFailed) return undefined;
    throw e;
  }
}

/**
 * The ref drift compares against by default: the upstream of the current branch when it has one
 * (what was merged), else HEAD.
 */
export function defaultRef(dir: string = process.cwd()): string {
  try {
    const upstream = git(dir, ['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}']).trim();
    if (upstream) return upstream;
  } catch (e) {
    if (!(e instanceof GitFailed)) throw e;
  }
  return 'HEAD';
}

/** The commit a ref names; UsageError when it names none. */
export function resolveCommit(dir: string, ref: string): string {
  if (ref.startsWith('-')) throw new UsageError(`--ref ${ref}: not a Git ref`);
  try {
    return git(dir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]).trim();
  } catch (e) {
    if (!(e instanceof GitFailed)) throw e;
    throw new UsageError(`--ref ${ref}: no such commit, branch or tag in ${dir}`, [], 'Fetch it first (e.g. `git fetch origin`), or pass an existing ref.');
  }
}

/** Paths (relative to the repository root, `/`-separated) of every file under `dir` at `commit`. */
export function filesAtCommit(root: string, commit: string, dir: string): Set<string> {
  const out = git(root, ['ls-tree', '-r', '-z', '--name-only', '--full-tree', commit, '--', dir || '.']);
  return new Set(out.split('\0').filter(Boolean));
}

/** One file's text at a commit (path relative to the repository root), or undefined when absent. */
export function readFileAtCommit(root: string, commit: string, path: string): string | undefined {
  try {
    return git(root, ['show', `${commit}:${path}`]);
  } catch (e) {
    if (e instanceof GitFailed) return undefined;
    throw e;
  }
}

const toGitPath = (p: string): string => p.split(sep).join('/');

/**
 * platform.yaml and `services/<name>/overrides.yaml` as they are at `ref`, validated and merged exactly
 * like `loadConfig` does for the working tree. `projectDir` is still the working-tree directory (state
 * and the local plane live there, untracked).
 */
export function loadConfigAtRef(configFile: string = DEFAULT_CONFIG_FILE, ref?: string): LoadedConfigAtRef {
  const file = resolve(configFile);
  const projectDir = dirname(file);
  const root = repoRoot(projectDir);
  if (!root) {
    throw new UsageError(
      `${projectDir} is not inside a Git repository`,
      [],
      'drift compares what is live with platform.yaml at a Git ref: run it in a clone of your platform repository.',
    );
  }
  const wanted = ref ?? defaultRef(projectDir);
  const commit = resolveCommit(projectDir, wanted);
  // realpath: /tmp and the like may be symlinks; git reports the resolved top level.
  const relConfig = toGitPath(relative(root, join(realpathSync(projectDir), relativeBase(file))));
  const relProject = toGitPath(relative(root, realpathSync(projectDir)));
  const text = readFileAtCommit(root, commit, relConfig);
  if (text === undefined) {
    throw new UsageError(
      `${relConfig} does not exist at ${wanted} (${commit.slice(0, 12)})`,
      [],
      'Commit platform.yaml, or pass the ref that has it with --ref.',
    );
  }
  const label = (path: string): string => `${wanted}:${path}`;
  const tracked = filesAtCommit(root, commit, relProject ? `${relProject}/services` : 'services');
  const readAtRef = (absolute: string): string | undefined => {
    const path = toGitPath(relative(projectDir, absolute));
    const inRepo = relProject ? `${relProject}/${path}` : path;
    return tracked.has(inRepo) ? readFileAtCommit(root, commit, inRepo) : undefined;
  };
  const { config: parsed, sources } = parseConfigWithSources(text, label(relConfig));
  const config = applyServiceOverrides(
    parsed,
    projectDir,
    readAtRef,
    (absolute) => label(toGitPath(relative(root, join(realpathSync(projectDir), relative(projectDir, absolute))))),
    sources,
  );
  return { config, file, projectDir, sources, ref: wanted, commit };
}

const relativeBase = (file: string): string => file.slice(dirname(file).length + 1);
