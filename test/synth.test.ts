/** `synthesize` (src/synth.ts): what a second synth into the same folder writes. */
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthesize } from '../src/synth.js';

const repoRoot = join(import.meta.dirname, '..');

function terraformExample(): string {
  const dir = mkdtempSync(join(tmpdir(), 'platform-resynth-'));
  const file = join(dir, 'platform.yaml');
  writeFileSync(file, readFileSync(join(repoRoot, 'examples', 'local', 'platform.yaml'), 'utf8').replace(/^engine: \w+$/m, 'engine: terraform'));
  return file;
}

/** Modification time of every synthesized file, by path under the output folder. */
function mtimes(outDir: string): Map<string, number> {
  const files = readdirSync(outDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('main.tf.json'));
  return new Map(files.map((f) => [relative(outDir, join(outDir, f)), statSync(join(outDir, f)).mtimeMs]));
}

describe('synthesize with Terraform, twice into the same folder', () => {
  it('rewrites only the stacks whose JSON changed', async () => {
    const configFile = terraformExample();
    const first = await synthesize({ configFile });
    const before = mtimes(first.outDir!);
    expect(before.size).toBe(first.stacks.length);

    writeFileSync(configFile, readFileSync(configFile, 'utf8').replace(/(name: checkout[\s\S]*?replicas: )2/, '$13'));
    await new Promise((resolve) => setTimeout(resolve, 20)); // a rewrite gets a later mtime
    const second = await synthesize({ configFile });
    const after = mtimes(second.outDir!);

    const rewritten = [...after].filter(([f, t]) => t !== before.get(f)).map(([f]) => f.replaceAll('\\', '/'));
    expect(rewritten.sort()).toEqual(['app/eu/payments/checkout/main.tf.json', 'app/us/payments/checkout/main.tf.json']);
  }, 60_000);
});
