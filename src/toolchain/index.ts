/**
 * The toolchain seam the rest of the code uses: where binaries are, how engines run offline.
 * Everything here is cheap to call (stat calls, memoized version checks); building is install.ts.
 */
import { existsSync } from 'node:fs';
import { basename, delimiter, dirname, join } from 'node:path';
import { ExternalError } from '../errors.js';
import { toolStatus } from './discover.js';
import { ensurePulumiBinLink } from './install.js';
import { pulumiShimDir } from './layout.js';
import { TOOL_VERSIONS, type ToolName } from './versions.js';

export { toolchainDir, toolCacheDir, cachedToolPath, crdBundleDir, tfMirrorDir, mirroredProviderPath } from './layout.js';
export { toolStatus, parseToolVersion, forgetResolvedTools, findOnPath, type ToolStatus, type ToolSource } from './discover.js';
export { installToolchain, planInstall, toolchainStatus, type InstallEvent, type InstallOptions, type InstallStep } from './install.js';
export { tofuCliConfigFile, tofuCliConfigText, KUBECTL_PROVIDER_ADDRESS } from './tofu.js';
export { loadCrdBundle } from './crds.js';
export * from './versions.js';

/** Absolute path of a usable binary: a PATH binary in the accepted range, else the cached build of the pin. */
export function resolveTool(name: ToolName): string {
  const status = toolStatus(name);
  if (status.path) return status.path;
  const passedOver = status.ignoredOnPath
    ? ` (${status.ignoredOnPath.path} is ${status.ignoredOnPath.version ?? 'of unknown version'}${status.accepts ? `; accepted: ${status.accepts}` : ''})`
    : '';
  throw new ExternalError(
    `${name} ${TOOL_VERSIONS[name]} is not installed${passedOver}`,
    `Run \`platform toolchain install\` (builds it once from the Go module proxy)${status.accepts ? `, or put ${name} ${status.accepts} on PATH` : ''}.`,
  );
}

/**
 * The folder `PulumiCommand.get({ root })` of the Automation API wants: it runs `<root>/bin/pulumi`.
 * For a cached build that folder gets a `bin -> .` link.
 */
export function pulumiCommandRoot(): string {
  const binary = resolveTool('pulumi');
  const dir = dirname(binary);
  if (basename(dir) === 'bin' && basename(binary) === 'pulumi') return dirname(dir);
  ensurePulumiBinLink(dir);
  return dir;
}

/** Where pulumi keeps plugins and its own settings for a project. */
export const pulumiHome = (projectDir: string): string => join(projectDir, '.platform', 'pulumi-home');

/** Env for running pulumi offline with state and plugins under the project's `.platform/`. */
export function pulumiEnv(projectDir: string): Record<string, string> {
  const pulumiDir = dirname(resolveTool('pulumi'));
  const shim = pulumiShimDir();
  // The nodejs shim runs `node` from PATH: make that the Node running us (the machine's may be older).
  const path = [pulumiDir, ...(existsSync(shim) ? [shim] : []), dirname(process.execPath), process.env.PATH ?? ''].filter(Boolean).join(delimiter);
  return {
    PULUMI_HOME: pulumiHome(projectDir),
    PULUMI_SKIP_UPDATE_CHECK: '1',
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
    PATH: path,
  };
}
