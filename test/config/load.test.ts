import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, MAX_CONFIG_BYTES, parseConfig } from '../../src/config/load.js';
import { UsageError } from '../../src/errors.js';

describe('loadConfig', () => {
  it('loads the examples', () => {
    for (const f of ['examples/local/platform.yaml', 'examples/multicloud/platform.yaml']) {
      const { config } = loadConfig(f);
      expect(config.apiVersion).toBe('platform.dev/v1');
    }
  });

  it('reports unknown keys with file:line and a suggestion', () => {
    const text = 'apiVersion: platform.dev/v1\nname: acme\nregions:\n  - name: eu\n    cloud: local\n    locaton: x\n    role: primary\n';
    try {
      parseConfig(text, 'p.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      const p = (e as UsageError).problems;
      expect(p.map((x) => x.where)).toContain('p.yaml:6:5');
      expect(p.find((x) => x.where === 'p.yaml:6:5')?.message).toContain('did you mean "location"');
    }
  });

  it("the yaml library's limits are usage errors with file:line, in platform.yaml and the service folders", () => {
    const dir = mkdtempSync(join(tmpdir(), 'platform-load-'));
    const file = join(dir, 'platform.yaml');
    const name = (f: string) => (relative(process.cwd(), f).startsWith('..') ? f : relative(process.cwd(), f));
    const base = readFileSync('examples/local/platform.yaml', 'utf8');
    const problemsOf = (): Array<{ where?: string; message: string }> => {
      try {
        loadConfig(file);
      } catch (e) {
        expect(e).toBeInstanceOf(UsageError);
        return (e as UsageError).problems;
      }
      throw new Error('expected a UsageError');
    };
    // Oversized: refused before it is read.
    writeFileSync(file, `${base}# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
    expect(problemsOf()).toEqual([{ where: `${name(file)}:1:1`, message: expect.stringContaining('at most 4 MB') }]);
    // An alias bomb in a service's overrides.yaml.
    writeFileSync(file, base);
    mkdirSync(join(dir, 'services', 'checkout'), { recursive: true });
    const overrides = join(dir, 'services', 'checkout', 'overrides.yaml');
    writeFileSync(overrides, 'replicas: 2\nx: &a [1,1,1,1,1,1,1,1,1,1]\ny: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nz: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n');
    expect(problemsOf()).toEqual([{ where: `${name(overrides)}:4:8`, message: expect.stringContaining('alias bomb') }]);
    // A duplicate key and an alias without an anchor in services/common.yaml.
    writeFileSync(overrides, 'replicas: 2\n');
    writeFileSync(join(dir, 'services', 'common.yaml'), 'env: {A: "1"}\nenv: {B: "2"}\nreplicas: *n\n');
    expect(problemsOf().map((p) => `${p.where} ${p.message}`)).toEqual([`${name(join(dir, 'services', 'common.yaml'))}:2:1 YAML: Map keys must be unique`]);
    writeFileSync(join(dir, 'services', 'common.yaml'), 'replicas: *n\n');
    expect(problemsOf().map((p) => `${p.where} ${p.message}`)).toEqual([
      `${name(join(dir, 'services', 'common.yaml'))}:1:11 YAML: alias *n has no anchor &n before it`,
    ]);
  });
});
