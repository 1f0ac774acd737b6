import { existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
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

/**
 * Whether `path` stays inside `dir` once symlinks are followed, as far as the path exists (what is not
 * there yet is taken as written). A dangling symlink on the way counts as outside: where it would write
 * is not known.
 */
export function staysInside(dir: string, path: string): boolean {
  const real = (p: string): string | undefined => {
    try {
      return realpathSync(p);
    } catch {
      return undefined;
    }
  };
  const root = real(dir) ?? resolve(dir);
  let existing = resolve(path);
  const rest: string[] = [];
  let resolved = real(existing);
  while (resolved === undefined) {
    if (lstatSync(existing, { throwIfNoEntry: false })?.isSymbolicLink()) return false;
    const up = dirname(existing);
    if (up === existing) return false;
    rest.unshift(basename(existing));
    existing = up;
    resolved = real(existing);
  }
  const rel = relative(root, join(resolved, ...rest));
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}
