/**
 * Finding a usable binary: a PATH binary whose version matches the pin wins, else our cache. Version
 * checks exec the binary once; answers are memoized in-process and remembered on disk by
 * path+size+mtime, so resolving a tool is a few stat calls in every later run.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, resolve } from 'node:path';
import { cachedToolPath, pathVersionsFile, toolchainDir } from './layout.js';
import { TOOL_VERSIONS, type ToolName } from './versions.js';

export type ToolSource = 'path' | 'cache' | 'missing';

export interface ToolStatus {
  name: ToolName;
  /** The pinned version. */
  version: string;
  /** Absolute path of the binary that will be used; null when missing. */
  path: string | null;
  source: ToolSource;
  /** A PATH binary that was passed over because its version differs from the pin. */
  ignoredOnPath?: { path: string; version: string | null };
}

interface VersionProbe {
  args: string[];
  pattern: RegExp;
}

/**
 * How to ask each tool its version. The provider has no version flag (it is a plugin): PATH copies of
 * it cannot be verified, so it always comes from the cache.
 */
export const VERSION_PROBES: Record<ToolName, VersionProbe | null> = {
  etcd: { args: ['--version'], pattern: /etcd Version:\s*v?(\d+\.\d+\.\d+\S*)/ },
  kwok: { args: ['--version'], pattern: /kwok version\s+v?(\d+\.\d+\.\d+\S*)/ },
  kwokctl: { args: ['--version'], pattern: /kwokctl version\s+v?(\d+\.\d+\.\d+\S*)/ },
  'kube-apiserver': { args: ['--version'], pattern: /Kubernetes\s+v?(\d+\.\d+\.\d+\S*)/ },
  'kube-controller-manager': { args: ['--version'], pattern: /Kubernetes\s+v?(\d+\.\d+\.\d+\S*)/ },
  'kube-scheduler': { args: ['--version'], pattern: /Kubernetes\s+v?(\d+\.\d+\.\d+\S*)/ },
  kubectl: { args: ['version', '--client'], pattern: /Client Version:\s*v?(\d+\.\d+\.\d+\S*)/ },
  tofu: { args: ['version'], pattern: /OpenTofu\s+v?(\d+\.\d+\.\d+\S*)/ },
  'terraform-provider-kubectl': null,
  pulumi: { args: ['version'], pattern: /^\s*v?(\d+\.\d+\.\d+\S*)/ },
  promtool: { args: ['--version'], pattern: /promtool,\s+version\s+v?(\d+\.\d+\.\d+\S*)/ },
  opa: { args: ['version'], pattern: /^Version:\s*v?(\d+\.\d+\.\d+\S*)/m },
};

/** `vX.Y.Z[-suffix]` from a tool's version output, or null when the output has no version. */
export function parseToolVersion(name: ToolName, output: string): string | null {
  const probe = VERSION_PROBES[name];
  if (!probe) return null;
  const m = probe.pattern.exec(output);
  return m ? `v${m[1]}` : null;
}

export const versionMatches = (name: ToolName, found: string | null): boolean => found === TOOL_VERSIONS[name];

// ---- version memo -------------------------------------------------------------------------------

type VersionMemo = Record<string, { size: number; mtimeMs: number; version: string | null }>;
let diskMemo: VersionMemo | undefined;

function loadDiskMemo(): VersionMemo {
  if (diskMemo) return diskMemo;
  try {
    diskMemo = JSON.parse(readFileSync(pathVersionsFile(), 'utf8')) as VersionMemo;
  } catch {
    diskMemo = {};
  }
  return diskMemo;
}

function saveDiskMemo(memo: VersionMemo): void {
  try {
    mkdirSync(toolchainDir(), { recursive: true });
    writeFileSync(pathVersionsFile(), `${JSON.stringify(memo, null, 2)}\n`);
  } catch {
    // Only an optimisation: a read-only cache dir just means we exec again next time.
  }
}

/** The version a binary reports (memoized by path+size+mtime); null when it does not say. */
export function binaryVersion(name: ToolName, file: string): string | null {
  const probe = VERSION_PROBES[name];
  if (!probe) return null;
  let st;
  try {
    st = statSync(file);
  } catch {
    return null;
  }
  const memo = loadDiskMemo();
  const key = `${name}\t${file}`;
  const hit = memo[key];
  const mtimeMs = Math.round(st.mtimeMs); // whole ms (as in stat.mtime): what a utimes round-trip keeps
  if (hit && hit.size === st.size && hit.mtimeMs === mtimeMs) return hit.version;
  let output = '';
  try {
    output = execFileSync(file, probe.args, { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    // Some tools print the version on stderr or exit non-zero; take what they said.
    const err = e as { stdout?: string; stderr?: string };
    output = `${err.stdout ?? ''}\n${err.stderr ?? ''}`;
  }
  const version = parseToolVersion(name, output);
  memo[key] = { size: st.size, mtimeMs, version };
  saveDiskMemo(memo);
  return version;
}

// ---- PATH ---------------------------------------------------------------------------------------

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The first executable named `name` on PATH that is not one of our own cache copies. */
export function findOnPath(name: string, pathVar = process.env.PATH ?? '', cacheRoot = toolchainDir()): string | null {
  const root = resolve(cacheRoot);
  for (const dir of pathVar.split(delimiter)) {
    if (!dir) continue;
    const candidate = resolve(dir, name);
    if (!isExecutable(candidate)) continue;
    let real = candidate;
    try {
      real = realpathSync(candidate);
    } catch {
      // keep the PATH spelling
    }
    if (real.startsWith(`${root}/`)) continue;
    return candidate;
  }
  return null;
}

// ---- status ---------------------------------------------------------------------------------------

const statusMemo = new Map<string, ToolStatus>();

/** Where `name` comes from right now (memoized per process and cache root; `fresh` re-checks). */
export function toolStatus(name: ToolName, opts: { fresh?: boolean } = {}): ToolStatus {
  const memoKey = `${toolchainDir()}\t${process.env.PATH ?? ''}\t${name}`;
  const memoized = statusMemo.get(memoKey);
  if (memoized && !opts.fresh) return memoized;
  const version = TOOL_VERSIONS[name];
  let status: ToolStatus;
  let ignoredOnPath: ToolStatus['ignoredOnPath'];
  const onPath = VERSION_PROBES[name] ? findOnPath(name) : null;
  if (onPath) {
    const found = binaryVersion(name, onPath);
    if (versionMatches(name, found)) status = { name, version, path: onPath, source: 'path' };
    else ignoredOnPath = { path: onPath, version: found };
  }
  const cached = cachedToolPath(name);
  status ??= isExecutable(cached)
    ? { name, version, path: cached, source: 'cache', ...(ignoredOnPath ? { ignoredOnPath } : {}) }
    : { name, version, path: null, source: 'missing', ...(ignoredOnPath ? { ignoredOnPath } : {}) };
  // Only remember answers that will not change under us within this process.
  if (status.source !== 'missing') statusMemo.set(memoKey, status);
  return status;
}

/** Forget in-process answers (after an install, or in tests that switch PLATFORM_TOOLCHAIN_DIR). */
export function forgetResolvedTools(): void {
  statusMemo.clear();
  diskMemo = undefined;
}
