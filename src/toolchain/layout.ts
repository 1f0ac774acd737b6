/**
 * Where the toolchain lives on disk. Pure path arithmetic (no I/O) so the layout is unit-testable:
 *   <root>/<name>-<version>/<binary>                     one folder per built tool version
 *   <root>/crds-<bundle>-<version>/*.yaml                 CRD bundles
 *   <root>/install-<source>-<version>/<module paths>       what the control-plane installs render from
 *   <root>/rendered/<digest>.json                          rendered installs (per tool, source and values)
 *   <root>/tf-mirror/registry.opentofu.org/...            OpenTofu filesystem mirror
 *   <root>/tofu.tfrc                                      OpenTofu CLI config pointing at that mirror
 *   <root>/pulumi-nodejs-shim-<version>/                   pulumi-resource-pulumi-nodejs, put on pulumi's PATH
 *   <root>/logs/<step>.log                                build logs (kept for the last attempt)
 *   <root>/moto-<version>/                                a Python venv with moto's S3 server (state tests)
 *   <root>/azurite-<version>/node_modules/azurite/         the Azure Blob emulator (state tests)
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  AZURITE_VERSION,
  CRD_BUNDLES,
  INSTALL_SOURCES,
  KUBECTL_PROVIDER,
  MOTO_VERSION,
  PULUMI_NODEJS_SHIM,
  TOOL_VERSIONS,
  type CrdBundle,
  type InstallSource,
  type ToolName,
} from './versions.js';

/** The cache root: $PLATFORM_TOOLCHAIN_DIR, else $XDG_CACHE_HOME/platform/toolchain, else ~/.cache/platform/toolchain. */
export function toolchainDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PLATFORM_TOOLCHAIN_DIR) return env.PLATFORM_TOOLCHAIN_DIR;
  const cacheHome = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(cacheHome, 'platform', 'toolchain');
}

/** `<root>/<name>-<version>`: the folder a tool's binary is renamed into once fully built. */
export function toolCacheDir(name: ToolName, root = toolchainDir()): string {
  return join(root, `${name}-${TOOL_VERSIONS[name]}`);
}

export function cachedToolPath(name: ToolName, root = toolchainDir()): string {
  return join(toolCacheDir(name, root), name);
}

export function crdBundleDir(bundle: CrdBundle, root = toolchainDir()): string {
  return join(root, `crds-${bundle}-${CRD_BUNDLES[bundle].version}`);
}

export function installSourceDir(source: InstallSource, root = toolchainDir()): string {
  return join(root, `install-${source}-${INSTALL_SOURCES[source].version}`);
}

export const renderedInstallsDir = (root = toolchainDir()): string => join(root, 'rendered');

export const tfMirrorDir = (root = toolchainDir()): string => join(root, 'tf-mirror');

/** The provider's place inside the mirror (OpenTofu's "unpacked" filesystem_mirror layout). */
export function mirroredProviderPath(root = toolchainDir(), platform = hostPlatform()): string {
  const p = KUBECTL_PROVIDER;
  return join(tfMirrorDir(root), p.hostname, p.namespace, p.type, p.version, platform, `terraform-provider-${p.type}_v${p.version}`);
}

export const tofuCliConfigPath = (root = toolchainDir()): string => join(root, 'tofu.tfrc');
export const pulumiShimDir = (root = toolchainDir()): string => join(root, `pulumi-nodejs-shim-${PULUMI_NODEJS_SHIM.version}`);
export const logsDir = (root = toolchainDir()): string => join(root, 'logs');
/** Remembered `--version` answers of PATH binaries, keyed by path+size+mtime (keeps resolve cheap across runs). */
export const pathVersionsFile = (root = toolchainDir()): string => join(root, 'path-versions.json');

/** OpenTofu's name for the host platform (`linux_amd64`): the provider is built for the host. */
export function hostPlatform(os: string = process.platform, arch: string = process.arch): string {
  const goArch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' };
  return `${os === 'win32' ? 'windows' : os}_${goArch[arch] ?? arch}`;
}

export const motoDir = (root = toolchainDir()): string => join(root, `moto-${MOTO_VERSION}`);
/** The venv's Python (runs `-m moto.server`). */
export const motoPython = (root = toolchainDir()): string => join(motoDir(root), 'bin', 'python');
export const azuriteDir = (root = toolchainDir()): string => join(root, `azurite-${AZURITE_VERSION}`);
/** Azurite's blob-only server entry point (run with the Node running us). */
export const AZURITE_BLOB_ENTRY = ['node_modules', 'azurite', 'dist', 'src', 'blob', 'main.js'] as const;
export const azuriteBlobMain = (root = toolchainDir()): string => join(azuriteDir(root), ...AZURITE_BLOB_ENTRY);
