import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';

const examples = ['local', 'multicloud', 'azure'];
const engines = ['pulumi', 'terraform'] as const;
/** No toolchain: synth must still work (CRD bundles are left out with a warning), and deterministically. */
const noToolchain = { PLATFORM_TOOLCHAIN_DIR: join(tmpdir(), 'platform-no-toolchain'), PATH: process.env.PATH ?? '' };

function copy(example: string, engine: string): string {
  const dir = mkdtempSync(join(tmpdir(), `platform-synth-${example}-`));
  const file = join(dir, 'platform.yaml');
  writeFileSync(file, readFileSync(join(repoRoot, 'examples', example, 'platform.yaml'), 'utf8').replace(/^engine: \w+$/m, `engine: ${engine}`));
  if (existsSync(join(repoRoot, 'examples', example, 'services')))
    cpSync(join(repoRoot, 'examples', example, 'services'), join(dir, 'services'), { recursive: true });
  return file;
}

describe('platform synth', () => {
  for (const example of examples) {
    for (const engine of engines) {
      it(`examples/${example} with ${engine}: one JSON document, the same resources every time`, async () => {
        const file = copy(example, engine);
        const r = await runCli(['synth', '--json', '-c', file], { env: { ...noToolchain, CHECKOUT_DB_PASSWORD: 'x' } });
        expect(r.exitCode, r.stderr).toBe(0);
        const doc = JSON.parse(r.stdout);
        expect(doc.version).toBe(1);
        for (const s of doc.stacks) {
          expect(Object.keys(s).sort()).toEqual(['dependsOn', 'engine', 'id', 'region', 'resources']);
          expect(s.engine).toBe(engine);
          for (const res of s.resources) expect(Object.keys(res).sort()).toEqual(['name', 'type']);
        }
        expect(doc.stacks.reduce((n: number, s: { resources: unknown[] }) => n + s.resources.length, 0)).toBeGreaterThan(10);
        expect(doc).toMatchSnapshot();
        if (example === 'local') expect(r.stderr).toMatch(/warning .*CRD bundle.*platform toolchain install/);
        if (engine === 'terraform')
          for (const s of doc.stacks) expect(existsSync(join(file, '..', '.platform', 'synth', ...s.id.split('/'), 'main.tf.json')), s.id).toBe(true);
      }, 120_000);
    }
  }

  it('--stack selects; an unknown stack is exit 2 with a suggestion', async () => {
    const file = copy('local', 'terraform');
    const one = await runCli(['synth', '--json', '--stack', 'tenant/eu/payments', '-c', file], { env: noToolchain });
    expect(JSON.parse(one.stdout).stacks.map((s: { id: string }) => s.id)).toEqual(['tenant/eu/payments']);
    const bad = await runCli(['synth', '--stack', 'tenant/eu/payment', '-c', file], { env: noToolchain });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('did you mean "tenant/eu/payments"');
  }, 120_000);
});
