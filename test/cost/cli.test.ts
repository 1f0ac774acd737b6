/**
 * `platform cost` through the built CLI (`bin/run.js`): the --json shape, byte-identical output,
 * --base against a real Git repository, exit codes, Markdown, and no engine SDK loaded. Needs `npm run build`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { splitNodePrice } from '../../src/cost/workloads.js';
import { repoRoot, runCli } from '../helpers/cli.js';
import { exampleText, pairText } from './fixtures.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'cost-cli-'));
  dirs.push(d);
  return d;
};

const AWS = { cloud: 'aws', location: 'us-east-1' } as const;
const AWS_DR = { cloud: 'aws', location: 'us-west-2' } as const;

/** A Git repository whose `main` holds `text` as platform.yaml. */
function repo(text: string): { dir: string; file: string; git: (...args: string[]) => string } {
  const dir = tempDir();
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  const file = join(dir, 'platform.yaml');
  writeFileSync(file, text);
  git('add', '.');
  git('commit', '-qm', 'base');
  return { dir, file, git };
}

const json = (stdout: string) => JSON.parse(stdout) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('platform cost', { timeout: 120_000 }, () => {
  test('--json: one document of the documented shape, byte-identical on every run', async () => {
    const dir = tempDir();
    const file = join(dir, 'platform.yaml');
    writeFileSync(file, exampleText('multicloud', 'terraform'));
    const a = await runCli(['cost', '--json', '-c', file]);
    expect(a.exitCode, a.stderr).toBe(0);
    const b = await runCli(['cost', '-c', file, '--format', 'json']);
    expect(b.stdout).toBe(a.stdout);
    const doc = json(a.stdout);
    expect(Object.keys(doc)).toEqual(['version', 'currency', 'total', 'stacks', 'tenants', 'notPriced', 'regions', 'assumptions', 'prices']);
    expect(doc).toMatchObject({ version: 1, currency: 'USD' });
    expect(Object.keys(doc.total)).toEqual(['monthly', 'min', 'max']);
    for (const s of doc.stacks) {
      expect(Object.keys(s)).toEqual(['id', 'monthly', 'min', 'max', 'lines']);
      for (const l of s.lines)
        expect(Object.keys(l)).toEqual(expect.arrayContaining(['resource', 'type', 'quantity', 'unit', 'unitPrice', 'monthly', 'source']));
    }
    expect(doc.tenants).toEqual([expect.objectContaining({ name: 'payments', plan: 'enterprise', monthly: expect.any(Number) })]);
    for (const n of doc.notPriced) expect(Object.keys(n)).toEqual(['stack', 'type', 'name', 'component', 'reason']);
    expect(doc.stacks.find((s: { id: string }) => s.id === 'cluster/eu').lines).toContainEqual(
      expect.objectContaining({ type: 'aws_eks_cluster', monthly: 0.1 * 730 }),
    );
    expect(doc.assumptions).toMatchObject({ source: 'defaults', backupStorageGb: 100 });
    expect(a.stderr).toMatch(/estimated [\d,.]+ USD per month; \d+ item\(s\) not priced/);
  });

  test('--base: the merge base priced too; a replicas change moves exactly that service, by its size', async () => {
    const before = pairText('pulumi', AWS, AWS_DR);
    const { file, git } = repo(before);
    git('checkout', '-qb', 'feature');
    writeFileSync(file, before.replace('replicas: 2', 'replicas: 5'));
    git('commit', '-qam', 'more web');
    const r = await runCli(['cost', '--json', '--base', 'main', '-c', file]);
    expect(r.exitCode, r.stderr).toBe(0);
    const delta = json(r.stdout).delta;
    expect(delta.base).toEqual({ ref: 'main', commit: git('rev-parse', 'main').trim() });
    expect(delta.stacks.map((s: { id: string }) => s.id)).toEqual(['app/one/team/web', 'app/two/team/web']);
    // 3 more pods of 0.5 vCPU + 1 GiB, at the split of an m6i.xlarge: 0.192 USD/h in us-east-1 and us-west-2.
    const { cpu, memory } = splitNodePrice(0.192, 4, 16);
    for (const s of delta.stacks) {
      expect(s.difference).toBeCloseTo(3 * (0.5 * cpu + 1 * memory) * 730, 9);
      expect(s.difference).toBe(s.after - s.before);
      expect(s.lines.map((l: { component: string; change: string }) => `${l.component} ${l.change}`)).toEqual([
        'vCPU requests changed',
        'memory requests changed',
      ]);
    }
  });

  test('--base: removing the DR region lowers the total by what it cost (working-tree change against the branch)', async () => {
    const before = pairText('terraform', AWS, AWS_DR);
    const { file } = repo(before);
    const was = json((await runCli(['cost', '--json', '-c', file])).stdout);
    writeFileSync(file, before.replace(/ {2}- \{ name: two.*\n/, '').replace(/^dr: .*\n/m, ''));
    const r = await runCli(['cost', '--json', '--base', 'main', '-c', file]);
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = json(r.stdout);
    expect(doc.delta.total.before).toBe(was.total.monthly);
    expect(doc.delta.total.after).toBe(doc.total.monthly);
    expect(doc.delta.total.difference).toBe(doc.total.monthly - was.total.monthly);
    const two = was.stacks.find((s: { id: string }) => s.id === 'cluster/two').monthly;
    const regionTwo = was.regions.find((r: { name: string }) => r.name === 'two').monthly;
    expect(doc.delta.total.difference).toBeLessThan(-regionTwo); // the DR region, and the primary's replication and failover
    expect(doc.delta.stacks).toContainEqual(expect.objectContaining({ id: 'cluster/two', before: two, after: 0, difference: -two, partial: true })); // its EBS root volumes are not priced
    const md = await runCli(['cost', '--base', 'main', '--format', 'markdown', '-c', file]);
    expect(md.stdout).toMatch(/^### Cost: -[\d,.]+ USD\/month on the estimated bill \(-\d+(\.\d+)?%\)/);
    expect(md.stdout).toContain('| `cluster/two` |');
  });

  test('the control-plane installs: priced per line from the toolchain cache; without it (before `toolchain install`) listed as not priced, exit 0', async () => {
    const dir = tempDir();
    const file = join(dir, 'platform.yaml');
    writeFileSync(file, pairText('terraform', AWS, AWS_DR));
    const warm = await runCli(['cost', '--json', '-c', file]);
    expect(warm.exitCode, warm.stderr).toBe(0);
    const doc = json(warm.stdout);
    const mesh = doc.stacks.find((s: { id: string }) => s.id === 'mesh/one');
    expect(mesh.lines.map((l: { install: string; resource: string; component: string }) => `${l.install} ${l.resource} ${l.component}`)).toEqual([
      'istiod istio-system/istiod vCPU requests',
      'istiod istio-system/istiod memory requests',
      'istio-ingressgateway istio-system/istio-ingressgateway vCPU requests',
      'istio-ingressgateway istio-system/istio-ingressgateway memory requests',
    ]);
    expect(doc.notPriced.filter((n: { type: string }) => n.type === 'install')).toEqual([]);
    const table = await runCli(['cost', '-c', file]);
    expect(table.stdout).toMatch(/^ {2}istio-system\/istiod \(istiod install\) · vCPU requests: 730 vCPU-hour × [\d.]+ +[\d.]+$/m);

    // A toolchain cache with nothing in it: the installs cannot be rendered, and cost says which.
    const empty = tempDir();
    const cold = await runCli(['cost', '--json', '-c', file], { env: { PLATFORM_TOOLCHAIN_DIR: empty } });
    expect(cold.exitCode, cold.stderr).toBe(0);
    const colder = json(cold.stdout);
    expect(colder.notPriced.filter((n: { type: string }) => n.type === 'install').map((n: { stack: string; name: string }) => `${n.stack} ${n.name}`)).toEqual([
      'cluster/one velero',
      'mesh/one istiod',
      'mesh/one istio-ingressgateway',
      'cluster/two velero',
      'mesh/two istiod',
      'mesh/two istio-ingressgateway',
    ]);
    expect(colder.stacks.find((s: { id: string }) => s.id === 'mesh/one').lines).toEqual([]);
    expect(cold.stderr).toContain('Not in these amounts: the control-plane installs of cluster/one (velero), mesh/one (istiod, istio-ingressgateway)');
    const coldTable = await runCli(['cost', '-c', file], { env: { PLATFORM_TOOLCHAIN_DIR: empty } });
    expect(coldTable.exitCode, coldTable.stderr).toBe(0);
    expect(coldTable.stdout).toMatch(
      /^ {2}mesh\/one {2}install istiod · workloads: not rendered, so its workloads are not priced: the istio-charts install source is not in the toolchain cache/m,
    );
    expect(coldTable.stdout).toContain('Not in these amounts: the control-plane installs of cluster/one (velero), mesh/one (istiod, istio-ingressgateway)');
  });

  test('--base: enabling the monitoring stack adds the operator, Prometheus and Alertmanager, and Loki, line by line', async () => {
    const before = pairText('terraform', AWS, AWS_DR);
    const { file, git } = repo(before);
    git('checkout', '-qb', 'feature');
    writeFileSync(file, `${before}observability: { prometheus: { enabled: true }, loki: { enabled: true } }\n`);
    const r = await runCli(['cost', '--json', '--base', 'main', '-c', file]);
    expect(r.exitCode, r.stderr).toBe(0);
    const delta = json(r.stdout).delta;
    const obs = delta.stacks.find((s: { id: string }) => s.id === 'observability/one');
    expect(obs).toMatchObject({ before: 0, partial: false });
    expect(obs.lines.map((l: { change: string; resource: string; component: string }) => `${l.change} ${l.resource} ${l.component}`)).toEqual([
      'added monitoring/loki vCPU requests',
      'added monitoring/loki memory requests',
      'added monitoring/prometheus-platform vCPU requests',
      'added monitoring/prometheus-platform memory requests',
      'added monitoring/alertmanager-platform vCPU requests',
      'added monitoring/alertmanager-platform memory requests',
      'added monitoring/prometheus-operator vCPU requests',
      'added monitoring/prometheus-operator memory requests',
    ]);
    // The operator's bundle requests 100m and 100Mi; Prometheus 500m + 2Gi, Alertmanager 100m + 128Mi, each + the reloader's 10m + 50Mi; Loki 250m + 512Mi.
    const { cpu, memory } = splitNodePrice(0.192, 4, 16);
    const vcpu = 0.1 + 0.51 + 0.11 + 0.25;
    const gib = 100 / 1024 + 2 + 50 / 1024 + 0.125 + 50 / 1024 + 0.5;
    expect(obs.difference).toBeCloseTo((vcpu * cpu + gib * memory) * 730, 9);
  });

  test('exit 2 with one JSON error: unknown stack, bad usage file (file:line), unknown ref, no Git, unreadable --prices', async () => {
    const { dir, file } = repo(pairText('terraform', AWS, AWS_DR, 'cost: { usage: usage.yaml }\n'));
    writeFileSync(join(dir, 'usage.yaml'), 'backupStorageGb: 10\nreplicatedGbPerMonth: -1\n');
    const badUsage = await runCli(['cost', '--json', '-c', file]);
    expect(badUsage.exitCode).toBe(2);
    expect(json(badUsage.stdout).error).toMatchObject({
      kind: 'usage',
      problems: [expect.objectContaining({ where: expect.stringMatching(/usage\.yaml:2:23$/), path: 'replicatedGbPerMonth' })],
    });
    writeFileSync(join(dir, 'usage.yaml'), 'backupStorageGb: 10\n');

    const unknownStack = await runCli(['cost', '--json', '--stack', 'app/one/team/webb', '-c', file]);
    expect(unknownStack.exitCode).toBe(2);
    expect(json(unknownStack.stdout).error.problems[0].message).toMatch(/did you mean "app\/one\/team\/web"/);

    const asFormat = await runCli(['cost', '--format', 'json', '--stack', 'nope', '-c', file]);
    expect(asFormat.exitCode).toBe(2);
    expect(json(asFormat.stdout)).toMatchObject({ version: 1, error: { kind: 'usage' } });

    const unknownRef = await runCli(['cost', '--json', '--base', 'nope', '-c', file]);
    expect(unknownRef.exitCode).toBe(2);

    const noGit = tempDir();
    writeFileSync(join(noGit, 'platform.yaml'), pairText('terraform', AWS, AWS_DR));
    const outside = await runCli(['cost', '--json', '--base', 'main', '-c', join(noGit, 'platform.yaml')], { env: { GIT_CEILING_DIRECTORIES: tmpdir() } });
    expect(outside.exitCode).toBe(2);
    expect(json(outside.stdout).error.message).toMatch(/not inside a Git repository/);

    const prices = await runCli(['cost', '--json', '--prices', join(dir, 'nope.json'), '-c', file]);
    expect(prices.exitCode).toBe(2);
    const ok = await runCli(['cost', '--json', '-c', file]);
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(json(ok.stdout).assumptions).toMatchObject({ source: 'usage.yaml', backupStorageGb: 10 });
  });

  test('Markdown and the table name every stack that costs something, the tenants and the assumptions', async () => {
    const dir = tempDir();
    const file = join(dir, 'platform.yaml');
    writeFileSync(file, exampleText('local', 'pulumi'));
    const md = await runCli(['cost', '--format', 'markdown', '-c', file]);
    expect(md.exitCode, md.stderr).toBe(0);
    expect(md.stdout).toContain('| `app/eu/payments/checkout` |');
    expect(md.stdout).toContain('(reference prices, not a bill)');
    expect(md.stdout).toMatch(/\| payments \| professional \|/);
    const table = await runCli(['cost', '-c', file]);
    expect(table.stdout).toMatch(/^total \(local reference prices, not a bill\), USD per month\s+[\d,.]+/m);
    expect(table.stdout).toMatch(/Usage assumptions \(defaults; set cost\.usage/);
  });

  test('no engine or cloud SDK is loaded to price a multicloud estate', async () => {
    const dir = tempDir();
    const file = join(dir, 'platform.yaml');
    writeFileSync(file, exampleText('multicloud', 'pulumi'));
    const trace = join(dir, 'loaded.txt');
    const r = await runCli(['cost', '--json', '-c', file], {
      env: { TRACE_OUT: trace, NODE_OPTIONS: `--import=${join(repoRoot, 'test', 'clouds', 'trace-loads.mjs')}` },
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const urls = readFileSync(trace, 'utf8').trim().split('\n');
    expect(urls.length).toBeGreaterThan(20);
    expect(urls.filter((u) => /node_modules\/(@pulumi|@cdktf|cdktf|constructs)\//.test(u))).toEqual([]);
  });
});
