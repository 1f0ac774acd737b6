import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The installed package's root (holding package.json, src/templates, dist/), wherever this code was built or bundled to. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'platform') return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the platform package root above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}
