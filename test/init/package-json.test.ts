/** `platform init` writes what the project's own commands need: package.json (issue 14 item 3). */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { initProject, type InitAnswers } from '../../src/init.js';
import { PACKAGE_NAME, packageManifest } from '../../src/paths.js';

const answers: InitAnswers = { name: 'shop', engine: 'pulumi', local: true, regions: ['eu'], locations: {}, tenant: 'team-a', owner: 'o@example.com' };
const tmp = (): string => mkdtempSync(join(tmpdir(), 'platform-init-pkg-'));
const read = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));

describe('init and package.json', () => {
  it('PACKAGE_NAME is the name in package.json', () => {
    expect(packageManifest().name).toBe(PACKAGE_NAME);
  });

  it('creates one in an empty folder: this CLI and vitest as devDependencies, a test script', () => {
    const dir = tmp();
    const result = initProject(join(dir, 'platform.yaml'), answers);
    expect(result.packageJson).toMatchObject({ action: 'created', added: ['scripts.test', `devDependencies.${PACKAGE_NAME}`, 'devDependencies.vitest'] });
    const pkg = read(join(dir, 'package.json'));
    expect(pkg).toEqual({
      name: 'shop',
      private: true,
      type: 'module',
      scripts: { test: 'vitest run' },
      devDependencies: { [PACKAGE_NAME]: `^${packageManifest().version}`, vitest: `^${packageManifest().devDependencies!.vitest}` },
    });
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toMatch(/^\.platform\/\nnode_modules\/$/m);
  });

  it("adds only what an existing one lacks, keeping the user's entries, order, indentation and own test script", () => {
    const dir = tmp();
    const before = '{\n    "name": "mine",\n    "scripts": { "test": "jest" },\n    "devDependencies": { "vitest": "^3.0.0" }\n}\n';
    writeFileSync(join(dir, 'package.json'), before);
    writeFileSync(join(dir, '.gitignore'), 'node_modules\n');
    const result = initProject(join(dir, 'platform.yaml'), answers);
    expect(result.packageJson).toMatchObject({ action: 'updated', added: [`devDependencies.${PACKAGE_NAME}`], keptTestScript: 'jest' });
    const after = readFileSync(join(dir, 'package.json'), 'utf8');
    expect(after).toBe(
      `{\n    "name": "mine",\n    "scripts": {\n        "test": "jest"\n    },\n    "devDependencies": {\n        "vitest": "^3.0.0",\n        "${PACKAGE_NAME}": "^${packageManifest().version}"\n    }\n}\n`,
    );
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).not.toMatch(/^node_modules\/$/m);
  });

  it('a package.json that is not JSON is a usage error, and nothing is written', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'package.json'), '{ nope');
    expect(() => initProject(join(dir, 'platform.yaml'), answers)).toThrow(UsageError);
    expect(() => readFileSync(join(dir, 'platform.yaml'))).toThrow();
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe('{ nope');
  });

  it('--no-package-json leaves the folder without one', () => {
    const dir = tmp();
    expect(initProject(join(dir, 'platform.yaml'), answers, { packageJson: false }).packageJson).toBeUndefined();
    expect(() => readFileSync(join(dir, 'package.json'))).toThrow();
  });
});
