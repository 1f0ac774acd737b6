/**
 * The CRDs a stack installs (src/engines/crds.ts), memoized as JSON under `.platform/cache/`: parsing
 * the pinned YAML bundles (~5 MB, Istio and prometheus-operator) costs ~0.5–1.5 s, reading the JSON
 * tens of milliseconds, and drift runs every night. The key covers the bundle files (name, size, mtime),
 * so a new toolchain version or a re-installed bundle is parsed again.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crdsForStack } from '../engines/crds.js';
import type { KubeObject, StackInstance } from '../stacks/types.js';
import { crdBundleDir } from '../toolchain/layout.js';
import { CRD_BUNDLE_NAMES } from '../toolchain/versions.js';

let signature: string | undefined;

function bundlesSignature(): string {
  if (signature !== undefined) return signature;
  const parts: string[] = [];
  for (const bundle of CRD_BUNDLE_NAMES) {
    const dir = crdBundleDir(bundle);
    parts.push(dir);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) {
      const s = statSync(join(dir, f));
      parts.push(`${f}:${s.size}:${s.mtimeMs}`);
    }
  }
  signature = createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);
  return signature;
}

export function cachedCrdsForStack(stack: StackInstance, projectDir: string): KubeObject[] {
  if (stack.region.cloud !== 'local') return crdsForStack(stack);
  const dir = join(projectDir, '.platform', 'cache');
  const file = join(dir, `drift-crds-${stack.layer}-${bundlesSignature()}.json`);
  if (existsSync(file)) {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as KubeObject[];
    } catch {
      // a torn or foreign file: parse the bundles again below
    }
  }
  const crds = crdsForStack(stack);
  try {
    mkdirSync(dir, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(crds));
    renameSync(temp, file);
  } catch {
    // the cache is an optimization only
  }
  return crds;
}
