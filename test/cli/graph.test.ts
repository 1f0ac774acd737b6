/**
 * `platform graph` through the built CLI: the pinned JSON shape, edges equal to the planner's DAG,
 * --status colouring from a saved result, every format, clear usage errors, and the layout library
 * loaded only for SVG (never by `platform --help`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planStacks } from '../../src/stacks/plan.js';
import { repoRoot, runCli } from '../helpers/cli.js';
import { loadExample } from '../stacks/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'graph-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const example = (name: string) => join(repoRoot, 'examples', name, 'platform.yaml');
const dagEdges = (name: string) =>
  planStacks(loadExample(example(name)))
    .flatMap((s) => s.dependsOn.map((d) => `${d} -> ${s.id}`))
    .sort();

describe('platform graph', { timeout: 60_000 }, () => {
  it('--format json: { version, nodes: [{ id, layer, region }], edges: [{ from, to }] } equal to the DAG', async () => {
    for (const name of ['local', 'multicloud']) {
      const r = await runCli(['graph', '-c', example(name), '--format', 'json']);
      expect(r.exitCode, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout) as { version: number; nodes: Array<Record<string, unknown>>; edges: Array<{ from: string; to: string }> };
      expect(Object.keys(doc)).toEqual(['version', 'nodes', 'edges']);
      expect(doc.version).toBe(1);
      const stacks = planStacks(loadExample(example(name)));
      expect(doc.nodes).toEqual(stacks.map((s) => ({ id: s.id, layer: s.layer, region: s.region.name })));
      for (const e of doc.edges) expect(Object.keys(e)).toEqual(['from', 'to']);
      expect(doc.edges.map((e) => `${e.from} -> ${e.to}`).sort()).toEqual(dagEdges(name));
    }
    expect((await runCli(['graph', '-c', example('local'), '--json'])).stdout).toBe(
      (await runCli(['graph', '-c', example('local'), '--format', 'json'])).stdout,
    );
  });

  it('--status: nodes carry the status of a saved plan or drift result', async () => {
    const plan = join(dir, 'plan.json');
    writeFileSync(
      plan,
      JSON.stringify({
        version: 1,
        operation: 'plan',
        stacks: [
          { id: 'cluster/eu', status: 'ok' },
          { id: 'tenant/eu/search', status: 'failed' },
          { id: 'app/eu/search/indexer', status: 'skipped' },
          { id: 'app/eu/gone/x', status: 'changes' },
        ],
      }),
    );
    const r = await runCli(['graph', '-c', example('local'), '--status', plan, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { nodes: Array<{ id: string; status?: string }> };
    const status = Object.fromEntries(doc.nodes.map((n) => [n.id, n.status]));
    expect(status).toMatchObject({ 'cluster/eu': 'ok', 'tenant/eu/search': 'failed', 'app/eu/search/indexer': 'skipped', 'mesh/eu': undefined });
    expect(doc.nodes.find((n) => n.id === 'mesh/eu')).not.toHaveProperty('status');
    expect(r.stderr).toContain('1 stack(s) in');
    expect(r.stderr).toContain('app/eu/gone/x');

    const drift = join(dir, 'drift.json');
    writeFileSync(
      drift,
      JSON.stringify({
        version: 1,
        ref: 'HEAD',
        exitCode: 3,
        stacks: [
          { id: 'app/eu/payments/checkout', status: 'drift', findings: [] },
          { id: 'cluster/us', status: 'error', error: 'x', findings: [] },
          { id: 'cluster/eu', status: 'clean', findings: [] },
        ],
      }),
    );
    const d = JSON.parse((await runCli(['graph', '-c', example('local'), '--status', drift, '--format', 'json'])).stdout) as {
      nodes: Array<{ id: string; status?: string }>;
    };
    expect(Object.fromEntries(d.nodes.filter((n) => n.status).map((n) => [n.id, n.status]))).toEqual({
      'app/eu/payments/checkout': 'drifted',
      'cluster/us': 'failed',
      'cluster/eu': 'ok',
    });

    const mermaid = await runCli(['graph', '-c', example('local'), '--status', plan]);
    expect(mermaid.stdout).toContain('classDef status_failed fill:#fee2e2');
  });

  it('--affected: only the stacks a change touches (with --for apply, their dependents too), and the edges between them', async () => {
    const repo = join(dir, 'repo');
    mkdirSync(repo);
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd: repo });
    const text = readFileSync(example('local'), 'utf8');
    writeFileSync(join(repo, 'platform.yaml'), text);
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-qm', 'estate');
    writeFileSync(join(repo, 'platform.yaml'), text.replace('plan: starter', 'plan: professional')); // tenant search
    const graph = async (...extra: string[]) =>
      JSON.parse((await runCli(['graph', '-c', join(repo, 'platform.yaml'), '--affected', '--base', 'HEAD', '--json', ...extra], { cwd: repo })).stdout) as {
        nodes: Array<{ id: string }>;
        edges: Array<{ from: string; to: string }>;
      };
    const plan = await graph();
    expect(plan.nodes.map((n) => n.id)).toEqual(['tenant/eu/search', 'tenant/us/search']);
    expect(plan.edges).toEqual([]);
    const apply = await graph('--for', 'apply');
    expect(apply.nodes.map((n) => n.id)).toEqual(['tenant/eu/search', 'app/eu/search/indexer', 'tenant/us/search']);
    expect(apply.edges).toEqual([{ from: 'tenant/eu/search', to: 'app/eu/search/indexer' }]);
  });

  it('mermaid (default), dot and svg', async () => {
    const mermaid = await runCli(['graph', '-c', example('local')]);
    expect(mermaid.exitCode, mermaid.stderr).toBe(0);
    expect(mermaid.stdout.startsWith('flowchart LR\n  subgraph region0["eu"]')).toBe(true);
    const dot = await runCli(['graph', '-c', example('multicloud'), '--format', 'dot']);
    expect(dot.stdout).toContain('"cluster/us" -> "cluster/eu";');
    const svg = await runCli(['graph', '-c', example('local'), '--format', 'svg']);
    expect(svg.exitCode, svg.stderr).toBe(0);
    expect(svg.stdout).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*<title>app\/eu\/payments\/checkout<\/title>[\s\S]*<\/svg>$/);
    const grouped = await runCli(['graph', '-c', example('local'), '--grouped']);
    expect(grouped.stdout).toContain('"app ×2"');
  });

  it('bad input: usage errors (exit 2), as JSON with --json', async () => {
    const missing = await runCli(['graph', '-c', example('local'), '--status', join(dir, 'nope.json')]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('nope.json: no such file');
    const notRun = join(dir, 'other.json');
    writeFileSync(notRun, JSON.stringify({ version: 1, stacks: [{ id: 'x', engine: 'pulumi' }] }));
    const wrong = await runCli(['graph', '-c', example('local'), '--status', notRun, '--json']);
    expect(wrong.exitCode).toBe(2);
    expect(JSON.parse(wrong.stdout)).toMatchObject({
      version: 1,
      error: { kind: 'usage', message: expect.stringContaining('not a plan, apply, destroy or drift result') },
    });
    const failedRun = join(dir, 'error.json');
    writeFileSync(failedRun, JSON.stringify({ version: 1, error: { kind: 'usage', message: 'apply needs --yes' } }));
    expect((await runCli(['graph', '-c', example('local'), '--status', failedRun])).stderr).toContain(
      'that run failed before it had stack results (apply needs --yes)',
    );
    const grouped = await runCli(['graph', '-c', example('local'), '--grouped', '--format', 'json']);
    expect(grouped.exitCode).toBe(2);
    expect(JSON.parse(grouped.stdout).error.message).toContain('--grouped');
  });

  it('the README shows the current graph of examples/local and the report screenshot', async () => {
    const r = await runCli(['graph', '-c', example('local')]);
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    expect(readme).toContain(`\`\`\`mermaid\n${r.stdout}\n\`\`\``);
    expect(readme).toContain('](docs/images/report.png)');
    expect(existsSync(join(repoRoot, 'docs', 'images', 'report.png'))).toBe(true); // made by test/report/report.int.test.ts
  });

  it('loads the Graphviz library only for SVG; `platform --help` loads neither it nor playwright', async () => {
    const loaded = async (args: string[]) => {
      const trace = join(dir, `trace-${args.join('-').replace(/\W+/g, '_')}.txt`);
      const r = await runCli(args, { env: { TRACE_OUT: trace, NODE_OPTIONS: `--import=${join(repoRoot, 'test', 'clouds', 'trace-loads.mjs')}` } });
      expect(r.exitCode, r.stderr).toBe(0);
      return readFileSync(trace, 'utf8');
    };
    const heavy = /node_modules\/(@hpcc-js|playwright)/;
    expect(await loaded(['--help'])).not.toMatch(heavy);
    expect(await loaded(['graph', '-c', example('local')])).not.toMatch(heavy);
    expect(await loaded(['graph', '-c', example('local'), '--format', 'svg'])).toMatch(/node_modules\/@hpcc-js\/wasm-graphviz\//);
  });
});
