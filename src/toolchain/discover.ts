/**
 * Finding a usable binary: a PATH binary whose version is in the tool's accepted range (versions.ts
 * ACCEPTED_RANGES) wins, else our cache of the pinned build. Version checks exec the binary once;
 * answers are memoized in-process and remembered on disk by path+size+mtime, so resolving a tool is a
 * few stat calls in every later run.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, resolve } from 'node:path';
import { cachedToolPath, pathVersionsFile, toolchainDir } from './layout.js';
import { ACCEPTED_RANGES, kubectlRange, TOOL_VERSIONS, type AcceptedRange, type ToolName } from './versions.js';

export type ToolSource = 'path' | 'cache' | 'missing';

export interface ToolStatus {
  name: ToolName;
  /** The version that will be used: the PATH binary's, else the pinned one (cache or missing). */
  version: string;
  /** The version the cache builds. */
  pinned: string;
  /** PATH versions that are used instead of building the pin, e.g. `>=v1.10.0 <v2.0.0`; null: never from PATH. */
  accepts: string | null;
  /** Absolute path of the binary that will be used; null when missing. */
  path: string | null;
  source: ToolSource;
  /** Why this source: the PATH version against the range, the cache, or what to do when missing. */
  reason: string;
  /** A PATH binary that was passed over because its version is outside the range (or unknown). */
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
  actionlint: { args: ['--version'], pattern: /^\s*v?(\d+\.\d+\.\d+\S*)/ },
  helm: { args: ['version', '--short'], pattern: /^\s*v?(\d+\.\d+\.\d+[^+\s]*)/ },
  'velero-manifests': null,
  'prometheus-operator': { args: ['--version'], pattern: /prometheus-operator,\s+version\s+v?(\d+\.\d+\.\d+\S*)/ },
  // A test server (state tests): always the cached build.
  'fake-gcs-server': null,
};

/** `vX.Y.Z[-suffix]` from a tool's version output, or null when the output has no version. */
export function parseToolVersion(name: ToolName, output: string): string | null {
  const probe = VERSION_PROBES[name];
  if (!probe) return null;
  const m = probe.pattern.exec(output);
  return m ? `v${m[1]}` : null;
}

/** `v1.10.3-eks-1` → [1, 10, 3] and whether it is a pre-release (alpha, beta, rc, dev…); null when not a version. */
export function parseVersion(version: string): { parts: [number, number, number]; prerelease: boolean } | null {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(.*)$/.exec(version);
  if (!m) return null;
  return { parts: [Number(m[1]), Number(m[2]), Number(m[3])], prerelease: /^[-+.]?(alpha|beta|rc|dev|pre|snapshot|nightly)/i.test(m[4]) };
}

function compare(a: [number, number, number], b: [number, number, number]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

export const formatRange = (r: AcceptedRange): string => `>=${r.min} <${r.below}`;

/** The range a PATH copy of `name` must be in (kubectl: relative to the API server that will be used). */
export function acceptedRange(name: ToolName): AcceptedRange | null {
  if (name !== 'kubectl') return ACCEPTED_RANGES[name];
  return kubectlRange(toolStatus('kube-apiserver').version);
}

/** Is `found` (a PATH binary's version) usable instead of the pin? Vendor suffixes (`-eks-…`) are fine; pre-releases are not. */
export function versionAccepted(found: string | null, range: AcceptedRange | null): boolean {
  if (!found || !range) return false;
  const v = parseVersion(found);
  const min = parseVersion(range.min);
  const below = parseVersion(range.below);
  if (!v || !min || !below || v.prerelease) return false;
  return compare(v.parts, min.parts) >= 0 && compare(v.parts, below.parts) < 0;
}

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
  const hit = memo[key] as (typeof memo)[string] | undefined;
  const mtimeMs = Math.round(st.mtimeMs); // whole ms (as in stat.mtime): what a utimes round-trip keeps
  if (hit && hit.size === st.size && hit.mtimeMs === mtimeMs) return hit.version;
  let output: string;
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

/** Where `name` comes from right now, and why (memoized per process, PATH and cache root; `fresh` re-checks). */
export function toolStatus(name: ToolName, opts: { fresh?: boolean } = {}): ToolStatus {
  const memoKey = `${toolchainDir()}\t${process.env.PATH ?? ''}\t${name}`;
  const memoized = statusMemo.get(memoKey);
  if (memoized && !opts.fresh) return memoized;
  const pinned = TOOL_VERSIONS[name];
  const range = VERSION_PROBES[name] ? acceptedRange(name) : null;
  const accepts = range ? formatRange(range) : null;
  const base = { name, pinned, accepts };
  let status: ToolStatus | undefined;
  let ignoredOnPath: ToolStatus['ignoredOnPath'];
  const onPath = range ? findOnPath(name) : null;
  if (onPath) {
    const found = binaryVersion(name, onPath);
    if (range && found && versionAccepted(found, range)) {
      status = { ...base, version: found, path: onPath, source: 'path', reason: `${found} on PATH is in ${accepts}: ${range.why}` };
    } else ignoredOnPath = { path: onPath, version: found };
  }
  if (!status) {
    const passedOver = ignoredOnPath
      ? `${ignoredOnPath.path} is ${ignoredOnPath.version ? `${ignoredOnPath.version}, ${parseVersion(ignoredOnPath.version)?.prerelease ? 'a pre-release' : `outside ${accepts}`}` : 'of unknown version'}`
      : undefined;
    const cached = cachedToolPath(name);
    status = isExecutable(cached)
      ? {
          ...base,
          version: pinned,
          path: cached,
          source: 'cache',
          reason: `the pinned build from the cache${passedOver ? ` (${passedOver})` : range ? '' : ' (a PATH copy cannot be version-checked)'}`,
        }
      : {
          ...base,
          version: pinned,
          path: null,
          source: 'missing',
          reason: `${passedOver ? `${passedOver}; ` : range ? `no ${name} on PATH; ` : ''}not built yet: \`platform toolchain install\` builds ${pinned}${range ? `, or put ${name} ${accepts} on PATH` : ''}`,
        };
    if (ignoredOnPath) status.ignoredOnPath = ignoredOnPath;
  }
  // Only remember answers that will not change under us within this process.
  if (status.source !== 'missing') statusMemo.set(memoKey, status);
  return status;
}

/** Forget in-process answers (after an install, or in tests that switch PLATFORM_TOOLCHAIN_DIR). */
export function forgetResolvedTools(): void {
  statusMemo.clear();
  diskMemo = undefined;
}
