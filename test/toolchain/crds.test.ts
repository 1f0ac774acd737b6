import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExternalError } from '../../src/errors.js';
import { loadCrdBundle, parseCrdYaml } from '../../src/toolchain/crds.js';
import { bundleFiles } from '../../src/toolchain/install.js';
import { crdBundleDir } from '../../src/toolchain/layout.js';

const crd = (name: string) => `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: ${name}\nspec:\n  group: x.io\n`;

describe('CRD bundles', () => {
  const saved = process.env.PLATFORM_TOOLCHAIN_DIR;
  let dir: string | undefined;
  afterEach(() => {
    if (saved === undefined) delete process.env.PLATFORM_TOOLCHAIN_DIR;
    else process.env.PLATFORM_TOOLCHAIN_DIR = saved;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps only CustomResourceDefinition documents', () => {
    const text = `${crd('a.x.io')}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n---\n${crd('b.x.io')}---\n`;
    expect(parseCrdYaml(text, 'f.yaml').map((c) => c.metadata.name)).toEqual(['a.x.io', 'b.x.io']);
  });

  it('reads every YAML file of the cached bundle, in name order, as fresh objects', () => {
    dir = mkdtempSync(join(tmpdir(), 'platform-crds-'));
    process.env.PLATFORM_TOOLCHAIN_DIR = dir;
    const bundle = crdBundleDir('velero');
    mkdirSync(bundle, { recursive: true });
    writeFileSync(join(bundle, 'velero.io_b.yaml'), crd('b.velero.io'));
    writeFileSync(join(bundle, 'velero.io_a.yaml'), crd('a.velero.io'));
    writeFileSync(join(bundle, 'README.md'), 'not yaml');
    const first = loadCrdBundle('velero');
    expect(first.map((c) => c.metadata.name)).toEqual(['a.velero.io', 'b.velero.io']);
    first[0].metadata.name = 'mutated';
    expect(loadCrdBundle('velero')[0].metadata.name).toBe('a.velero.io');
  });

  it('says to run install when the bundle is not cached', () => {
    dir = mkdtempSync(join(tmpdir(), 'platform-crds-'));
    process.env.PLATFORM_TOOLCHAIN_DIR = dir;
    expect(() => loadCrdBundle('istio')).toThrow(ExternalError);
  });

  it('expands folder/*.yaml patterns inside a module', () => {
    dir = mkdtempSync(join(tmpdir(), 'platform-crds-'));
    mkdirSync(join(dir, 'config/crd/v1/bases'), { recursive: true });
    writeFileSync(join(dir, 'config/crd/v1/bases/z.yaml'), '');
    writeFileSync(join(dir, 'config/crd/v1/bases/a.yaml'), '');
    writeFileSync(join(dir, 'config/crd/v1/bases/kustomization.yml'), '');
    expect(bundleFiles(dir, ['config/crd/v1/bases/*.yaml', 'one.yaml'])).toEqual([
      join(dir, 'config/crd/v1/bases/a.yaml'),
      join(dir, 'config/crd/v1/bases/z.yaml'),
      join(dir, 'one.yaml'),
    ]);
  });
});
