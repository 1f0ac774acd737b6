/** Reading platform.yaml and service overrides at a Git ref (real git, temp repositories). */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { defaultRef, loadConfigAtRef } from '../../src/git/index.js';

const config = (replicas: number) => `apiVersion: platform.dev/v1
name: acme
regions:
  - { name: eu, cloud: local, location: local-eu, role: primary }
tenants:
  - { name: payments, plan: starter, owners: [ana@example.com] }
services:
  - { name: checkout, tenant: payments, image: "ghcr.io/acme/checkout:1", port: 8080, replicas: ${replicas} }
`;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function repo(subdir = ''): { root: string; project: string; git: (...args: string[]) => string } {
  const root = mkdtempSync(join(tmpdir(), 'platform-git-'));
  dirs.push(root);
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd: root, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  const project = join(root, subdir);
  mkdirSync(project, { recursive: true });
  return { root, project, git };
}

describe('loadConfigAtRef', () => {
  it('reads the committed config; a dirty working tree does not change the answer', () => {
    const { project, git } = repo();
    writeFileSync(join(project, 'platform.yaml'), config(2));
    git('add', '.');
    git('commit', '-qm', 'one');
    writeFileSync(join(project, 'platform.yaml'), config(7)); // uncommitted
    const loaded = loadConfigAtRef(join(project, 'platform.yaml'), 'HEAD');
    expect(loaded.config.services[0].replicas).toBe(2);
    expect(loaded.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(loaded.ref).toBe('HEAD');
  });

  it('reads an older ref and merges service overrides from that ref (project in a subfolder)', () => {
    const { project, git } = repo('infra');
    writeFileSync(join(project, 'platform.yaml'), config(2));
    mkdirSync(join(project, 'services', 'checkout'), { recursive: true });
    writeFileSync(join(project, 'services', 'checkout', 'overrides.yaml'), 'replicas: 4\n');
    git('add', '.');
    git('commit', '-qm', 'one');
    writeFileSync(join(project, 'services', 'checkout', 'overrides.yaml'), 'replicas: 5\n');
    git('commit', '-qam', 'two');
    writeFileSync(join(project, 'services', 'checkout', 'overrides.yaml'), 'replicas: 9\n'); // dirty
    expect(loadConfigAtRef(join(project, 'platform.yaml'), 'HEAD~1').config.services[0].replicas).toBe(4);
    expect(loadConfigAtRef(join(project, 'platform.yaml'), 'HEAD').config.services[0].replicas).toBe(5);
  });

  it('an override file that exists only in the working tree is not used', () => {
    const { project, git } = repo();
    writeFileSync(join(project, 'platform.yaml'), config(2));
    git('add', '.');
    git('commit', '-qm', 'one');
    mkdirSync(join(project, 'services', 'checkout'), { recursive: true });
    writeFileSync(join(project, 'services', 'checkout', 'overrides.yaml'), 'replicas: 4\n');
    expect(loadConfigAtRef(join(project, 'platform.yaml'), 'HEAD').config.services[0].replicas).toBe(2);
  });

  it('an invalid config at the ref names the ref and the line', () => {
    const { project, git } = repo();
    writeFileSync(join(project, 'platform.yaml'), config(2).replace('plan: starter', 'plan: gold'));
    git('add', '.');
    git('commit', '-qm', 'bad');
    try {
      loadConfigAtRef(join(project, 'platform.yaml'), 'HEAD');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      expect((e as UsageError).problems[0].where).toMatch(/^HEAD:platform\.yaml:6:/);
    }
  });

  it('unknown refs, missing files and non-repositories are usage errors', () => {
    const { project, git } = repo();
    writeFileSync(join(project, 'other.txt'), 'x');
    git('add', '.');
    git('commit', '-qm', 'one');
    expect(() => loadConfigAtRef(join(project, 'platform.yaml'), 'HEAD')).toThrow(/does not exist at HEAD/);
    expect(() => loadConfigAtRef(join(project, 'platform.yaml'), 'nope')).toThrow(UsageError);
    const plain = mkdtempSync(join(tmpdir(), 'platform-nogit-'));
    dirs.push(plain);
    expect(() => loadConfigAtRef(join(plain, 'platform.yaml'), 'HEAD')).toThrow(/not inside a Git repository/);
  });
});

describe('defaultRef', () => {
  it('is HEAD without an upstream and the upstream with one', () => {
    const { root, project, git } = repo();
    writeFileSync(join(project, 'platform.yaml'), config(2));
    git('add', '.');
    git('commit', '-qm', 'one');
    expect(defaultRef(root)).toBe('HEAD');
    const clone = mkdtempSync(join(tmpdir(), 'platform-clone-'));
    dirs.push(clone);
    execFileSync('git', ['clone', '-q', root, clone]);
    expect(defaultRef(clone)).toBe('origin/main');
  });

  it('library errors at a ref (alias bomb in services/common.yaml, an oversized config) are usage errors naming ref:path:line', () => {
    const { project, git } = repo();
    writeFileSync(join(project, 'platform.yaml'), config(2));
    mkdirSync(join(project, 'services'));
    writeFileSync(
      join(project, 'services', 'common.yaml'),
      'x: &a [1,1,1,1,1,1,1,1,1,1]\ny: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nz: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nenv: {}\n',
    );
    git('add', '.');
    git('commit', '-qm', 'bomb');
    const error = (() => {
      try {
        loadConfigAtRef(join(project, 'platform.yaml'), 'HEAD');
      } catch (e) {
        return e;
      }
    })() as UsageError;
    expect(error).toBeInstanceOf(UsageError);
    expect(error.problems[0]).toMatchObject({ where: 'HEAD:services/common.yaml:3:8', message: expect.stringContaining('alias bomb') });

    writeFileSync(join(project, 'platform.yaml'), `${config(2)}# ${'x'.repeat(5 * 1024 * 1024)}\n`);
    rmSync(join(project, 'services'), { recursive: true });
    git('add', '-A');
    git('commit', '-qm', 'huge');
    expect(() => loadConfigAtRef(join(project, 'platform.yaml'), 'HEAD')).toThrow(
      expect.objectContaining({ problems: [expect.objectContaining({ where: 'HEAD:platform.yaml:1:1', message: expect.stringContaining('at most 4 MB') })] }),
    );
  });
});
