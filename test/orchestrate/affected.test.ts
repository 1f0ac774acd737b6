import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { affectedStacks } from '../../src/orchestrate/affected.js';
import { repoRoot, runCli } from '../helpers/cli.js';

/** A Git repo holding examples/local on `main`, with a feature branch checked out. */
function repo(): { dir: string; config: string; commit: (msg: string) => void; edit: (f: (text: string) => string) => void } {
  const dir = mkdtempSync(join(tmpdir(), 'platform-affected-'));
  const config = join(dir, 'platform.yaml');
  cpSync(join(repoRoot, 'examples', 'local', 'platform.yaml'), config);
  const g = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  g('init', '-q', '-b', 'main');
  g('config', 'user.email', 't@example.com');
  g('config', 'user.name', 't');
  g('add', '-A');
  g('commit', '-qm', 'base');
  g('checkout', '-qb', 'feature');
  return {
    dir,
    config,
    commit: (msg) => {
      g('add', '-A');
      g('commit', '-qm', msg);
    },
    edit: (f) => writeFileSync(config, f(readFileSync(config, 'utf8'))),
  };
}

const ids = (r: ReturnType<typeof affectedStacks>) => r.stacks.map((s) => s.stack.id).sort();

describe('--affected', () => {
  it('nothing changed: nothing affected', () => {
    const r = repo();
    expect(ids(affectedStacks(loadConfig(r.config), 'main'))).toEqual([]);
  });

  it('changing one service marks only its app stacks (committed or not)', () => {
    const r = repo();
    r.edit((t) => t.replace('image: ghcr.io/acme/ledger:2.0.0', 'image: ghcr.io/acme/ledger:2.1.0'));
    expect(ids(affectedStacks(loadConfig(r.config), 'main'))).toEqual(['app/eu/payments/ledger', 'app/us/payments/ledger']);
    r.commit('ledger 2.1.0');
    expect(ids(affectedStacks(loadConfig(r.config), 'main', 'apply'))).toEqual(['app/eu/payments/ledger', 'app/us/payments/ledger']);
  });

  it('changing the settings every service shares (services/common.yaml) marks every app stack', () => {
    const r = repo();
    mkdirSync(join(r.dir, 'services'));
    writeFileSync(join(r.dir, 'services', 'common.yaml'), 'env:\n  OTEL_EXPORTER: otlp\n');
    const affected = affectedStacks(loadConfig(r.config), 'main');
    expect(ids(affected)).toEqual([
      'app/eu/payments/checkout',
      'app/eu/payments/ledger',
      'app/eu/search/indexer',
      'app/us/payments/checkout',
      'app/us/payments/ledger',
    ]);
    expect(affected.stacks[0].reason).toMatch(/synthesized output changed since [0-9a-f]{12}/);
  });

  it("changing a tenant's plan marks that tenant's stacks; for apply also its app stacks", () => {
    const r = repo();
    r.edit((t) => t.replace('plan: starter', 'plan: professional'));
    expect(ids(affectedStacks(loadConfig(r.config), 'main', 'plan'))).toEqual(['tenant/eu/search', 'tenant/us/search']);
    const apply = affectedStacks(loadConfig(r.config), 'main', 'apply');
    expect(ids(apply)).toEqual(['app/eu/search/indexer', 'tenant/eu/search', 'tenant/us/search']);
    expect(apply.stacks.find((s) => s.stack.id === 'app/eu/search/indexer')?.reason).toBe('depends on tenant/eu/search');
  });

  it('stacks list --affected --json and stacks matrix --affected through the CLI', async () => {
    const r = repo();
    r.edit((t) => t.replace('image: ghcr.io/acme/ledger:2.0.0', 'image: ghcr.io/acme/ledger:2.1.0'));
    const list = await runCli(['stacks', 'list', '--affected', '--base', 'main', '--json', '-c', r.config], { cwd: r.dir });
    expect(list.exitCode, list.stderr).toBe(0);
    const doc = JSON.parse(list.stdout);
    expect(doc.version).toBe(1);
    expect(doc.stacks).toEqual([
      { id: 'app/eu/payments/ledger', engine: 'pulumi', region: 'eu', dependsOn: ['tenant/eu/payments'], reason: expect.stringMatching(/changed/) },
      { id: 'app/us/payments/ledger', engine: 'pulumi', region: 'us', dependsOn: ['tenant/us/payments'], reason: expect.stringMatching(/changed/) },
    ]);
    const matrix = await runCli(['stacks', 'matrix', '--affected', '--base', 'main', '-c', r.config], { cwd: r.dir });
    expect(JSON.parse(matrix.stdout)).toEqual({
      include: [
        { stack: 'app/eu/payments/ledger', region: 'eu', engine: 'pulumi' },
        { stack: 'app/us/payments/ledger', region: 'us', engine: 'pulumi' },
      ],
    });
    const bad = await runCli(['stacks', 'list', '--affected', '--base', 'no-such-branch', '-c', r.config], { cwd: r.dir });
    expect(bad.exitCode).toBe(2);
  }, 60_000);
});
