import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Our name on the npm registry (`platform` there is someone else's library). The command is still
 * `platform` (package.json `bin`); a project's own tests import `${PACKAGE_NAME}/testing`.
 */
export const PACKAGE_NAME = '@platform-iac/cli';

let root: string | undefined;

/** The installed package's root (holding package.json, src/templates, dist/), wherever this code was built or bundled to. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package root above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** Our package.json: the version a new project depends on, and the vitest its service tests run with. */
export function packageManifest(): { name: string; version: string; devDependencies?: Record<string, string> } {
  return JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { name: string; version: string; devDependencies?: Record<string, string> };
}
