import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  benchDocument,
  benchLine,
  collect,
  formatTable,
  logLogFit,
  makeResult,
  parseBenchLines,
  parseSamples,
  parseTarget,
  stats,
  type BenchResult,
} from '../../bench/lib-result.mjs';

const script = resolve(import.meta.dirname, '../../bench/lib-result.mjs');
const run = (args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });

describe('stats', () => {
  it('takes min, median and max, the median of an even count as the mean of the middle two', () => {
    expect(stats([3, 1, 2])).toEqual({ min: 1, median: 2, max: 3 });
    expect(stats([4, 1, 3, 2])).toEqual({ min: 1, median: 2.5, max: 4 });
    expect(() => stats([])).toThrow(/no samples/);
  });
});

describe('parseTarget and parseSamples', () => {
  it('reads op, limit and unit, and keeps the number as written', () => {
    expect(parseTarget('<= 2.5x')).toEqual({ op: '<=', limit: 2.5, unit: 'x', text: '<= 2.5x' });
    expect(parseTarget('<=1.0x').text).toBe('<= 1.0x');
    expect(parseTarget('<= 2 s')).toMatchObject({ limit: 2, unit: 's', text: '<= 2 s' });
    expect(parseTarget('<= 5 %')).toMatchObject({ unit: '%', text: '<= 5 %' });
    expect(parseTarget('>= 5')).toMatchObject({ op: '>=', unit: '' });
  });
  it('rejects what is not a target or not seconds', () => {
    expect(() => parseTarget('fast')).toThrow(/expected <op> <number><unit>/);
    expect(() => parseTarget('= 2x')).toThrow();
    expect(parseSamples(' 0.1\n0.2  0.3 ', 's')).toEqual([0.1, 0.2, 0.3]);
    expect(() => parseSamples('', '--ours-samples')).toThrow(/--ours-samples/);
    expect(() => parseSamples('0.1 abc', 's')).toThrow();
    expect(() => parseSamples('-1', 's')).toThrow();
  });
});

describe('makeResult', () => {
  it('checks a ratio target against median(ours) / median(baseline)', () => {
    const r = makeResult({
      bench: 'startup --help',
      ours: 'platform --help',
      oursSamples: [0.3, 0.2, 0.25],
      baseline: 'node -e 0',
      baselineSamples: [0.1, 0.12, 0.08],
      target: '<= 2.5x',
      load: '1 1 1',
    });
    expect(r).toMatchObject({ ratio: 2.5, measured: 2.5, unit: 'x', pass: true, runs: 3, baselineRuns: 3, load: '1 1 1' });
    expect(r.oursSeconds).toEqual({ min: 0.2, median: 0.25, max: 0.3 });
    expect(makeResult({ bench: 'b', ours: 'o', oursSamples: [0.26], baseline: 'n', baselineSamples: [0.1], target: '<= 2.5x' }).pass).toBe(false);
  });
  it('checks a seconds target against median(ours), a baseline being context only', () => {
    const r = makeResult({ bench: 'cost', ours: 'cost', oursSamples: [1.9, 2.1, 1.8], baseline: 'stacks list', baselineSamples: [1, 1, 1], target: '<= 2 s' });
    expect(r).toMatchObject({ measured: 1.9, ratio: 1.9, pass: true });
    expect(makeResult({ bench: 'synth', ours: 'synth', oursSamples: [1.2, 1.1, 1.3], target: '<= 1 s' })).toMatchObject({
      pass: false,
      baseline: null,
      ratio: null,
    });
  });
  it('takes % and plain targets from the value the script computed', () => {
    expect(makeResult({ bench: 'gate', ours: 'g', oursSamples: [1], target: '<= 5 %', value: 4.9 }).pass).toBe(true);
    expect(makeResult({ bench: 'scale', ours: 's', oursSamples: [1], target: '<= 1.1', value: 1.25 })).toMatchObject({ measured: 1.25, pass: false });
    expect(() => makeResult({ bench: 'gate', ours: 'g', oursSamples: [1], target: '<= 5 %' })).toThrow(/needs --value/);
  });
  it('refuses a ratio without a baseline, and a baseline without a name', () => {
    expect(() => makeResult({ bench: 'b', ours: 'o', oursSamples: [1], target: '<= 1x' })).toThrow(/is a ratio/);
    expect(() => makeResult({ bench: 'b', ours: 'o', oursSamples: [1], baselineSamples: [1], target: '<= 1x' })).toThrow(/needs --baseline/);
    expect(() => makeResult({ bench: '', ours: 'o', oursSamples: [1], target: '<= 1 s' })).toThrow(/--bench/);
  });
  it('keeps extra fields (scale.sh: the fitted points)', () => {
    const r = makeResult({ bench: 'scale', ours: 's', oursSamples: [1], target: '<= 1.1', value: 0.9, extra: { points: [[15, 1]] } });
    expect(r.points).toEqual([[15, 1]]);
  });
});

const passing: BenchResult = makeResult({
  bench: 'startup --help',
  ours: 'platform --help',
  oursSamples: [0.2],
  baseline: 'node -e 0',
  baselineSamples: [0.1],
  target: '<= 2.5x',
});
const missing: BenchResult = makeResult({ bench: 'synth 100x3 pulumi', ours: 'platform synth', oursSamples: [2.5, 2.4, 2.6], target: '<= 2 s' });

describe('BENCH lines', () => {
  it('round-trips through a script output, skipping the human lines', () => {
    const output = ['start-up, 30 runs', '  => a verdict', benchLine(passing), 'BENCHMARK is not a result line', benchLine(missing), ''].join('\n');
    expect(parseBenchLines(output)).toEqual([passing, missing]);
  });
  it('rejects a BENCH line that is not a result', () => {
    expect(() => parseBenchLines('BENCH {"bench":"x"}')).toThrow(/not a bench result/);
    expect(() => parseBenchLines('BENCH {oops')).toThrow();
  });
  it('turns a bench that failed or printed nothing into a row that misses', () => {
    const rows = collect([
      { script: 'startup', exitCode: 0, output: benchLine(passing) },
      { script: 'drift', exitCode: 1, output: `${benchLine(missing)}\napplied 1000 ConfigMaps\nbench: \`drift\` exited 2:` },
      { script: 'cost', exitCode: 0, output: 'nothing measured\n' },
      { script: 'report', exitCode: 0, output: 'BENCH {broken' },
    ]);
    expect(rows.map((r) => [r.bench, r.pass])).toEqual([
      ['startup --help', true],
      ['synth 100x3 pulumi', false],
      ['drift', false],
      ['cost', false],
      ['report', false],
      ['report', false],
    ]);
    expect(rows[2]).toMatchObject({ error: expect.stringMatching(/^bench\/drift.sh exited 1: applied 1000 ConfigMaps \| bench: `drift` exited 2:$/) });
    expect(rows[3]).toMatchObject({ error: 'bench/cost.sh printed no result' });
  });
});

describe('formatTable and benchDocument', () => {
  it('prints one aligned row per result, pass or MISS, errors, and the count', () => {
    const table = formatTable([passing, missing, { bench: 'drift', error: 'bench/drift.sh exited 1', pass: false }]);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^bench\s+baseline\s+baseline s\s+ours s \(min–max\)\s+ratio\s+measured\s+target\s+result$/);
    expect(lines[1]).toMatch(/^startup --help\s+node -e 0\s+0\.10 s\s+0\.20 s \(0\.20–0\.20\)\s+2\.00x\s+2\.00x\s+<= 2\.5x\s+pass$/);
    expect(lines[2]).toMatch(/^synth 100x3 pulumi\s+—\s+—\s+2\.50 s \(2\.40–2\.60\)\s+—\s+2\.50 s\s+<= 2 s\s+MISS$/);
    expect(lines[3]).toMatch(/^drift\s+ERROR bench\/drift.sh exited 1$/);
    expect(lines[1].indexOf('node -e 0')).toBe(lines[0].indexOf('baseline'));
    expect(lines.at(-1)).toBe('1 of 3 pass; 2 miss');
  });
  it('wraps the results in a version 1 document with the machine', () => {
    const doc = benchDocument([passing], { date: new Date('2026-11-29T10:00:00Z'), machine: { cores: 2, memoryGiB: 24, node: 'v24.0.0', cpu: null } });
    expect(doc).toEqual({
      version: 1,
      date: '2026-11-29T10:00:00.000Z',
      machine: { cores: 2, memoryGiB: 24, node: 'v24.0.0', cpu: null },
      pass: true,
      results: [passing],
    });
    expect(benchDocument([passing, missing]).pass).toBe(false);
  });
});

describe('logLogFit', () => {
  it('finds the exponent of a power law', () => {
    expect(
      logLogFit([
        [15, 3 * 15],
        [60, 3 * 60],
        [240, 3 * 240],
      ]).exponent,
    ).toBeCloseTo(1, 10);
    const quadratic = logLogFit([
      [15, 15 ** 2],
      [60, 60 ** 2],
      [240, 240 ** 2],
    ]);
    expect(quadratic.exponent).toBeCloseTo(2, 10);
    expect(quadratic.coefficient).toBeCloseTo(1, 10);
    expect(quadratic.r2).toBeCloseTo(1, 10);
  });
  it('reads a fixed cost plus linear work as sub-linear, and noise as a worse r2', () => {
    const fixedPlusLinear = logLogFit([
      [15, 10 + 0.1 * 15],
      [60, 10 + 0.1 * 60],
      [240, 10 + 0.1 * 240],
    ]);
    expect(fixedPlusLinear.exponent).toBeGreaterThan(0);
    expect(fixedPlusLinear.exponent).toBeLessThan(1);
    expect(
      logLogFit([
        [15, 1],
        [60, 3],
        [240, 2],
      ]).r2,
    ).toBeLessThan(0.9);
  });
  it('refuses what cannot be fitted', () => {
    expect(() => logLogFit([[15, 1]])).toThrow(/two points/);
    expect(() =>
      logLogFit([
        [15, 1],
        [15, 2],
      ]),
    ).toThrow(/two different x/);
    expect(() =>
      logLogFit([
        [0, 1],
        [15, 2],
      ]),
    ).toThrow(/positive/);
  });
});

describe('the command line the scripts call', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-result-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('emit prints a verdict line and one BENCH line', () => {
    const r = run([
      'emit',
      '--bench',
      'startup --help',
      '--ours',
      'platform --help',
      '--ours-samples',
      '0.3 0.2 0.25',
      '--baseline',
      'node -e 0',
      '--baseline-samples',
      '0.1 0.1 0.1',
      '--target',
      '<= 2.5x',
      '--load',
      '0.5 0.4 0.3',
    ]);
    expect(r.status).toBe(0);
    const [verdict, line] = r.stdout.trimEnd().split('\n');
    expect(verdict).toBe(
      '  => startup --help: platform --help 0.25 s (min 0.20, max 0.30, 3 runs); node -e 0 0.10 s; 2.50x against <= 2.5x: pass (load 0.5 0.4 0.3)',
    );
    expect(parseBenchLines(line)).toEqual([expect.objectContaining({ bench: 'startup --help', ratio: 2.5, pass: true })]);
  });
  it('emit fails with a message on bad input (exit 2)', () => {
    const r = run(['emit', '--bench', 'x', '--ours', 'y', '--ours-samples', '0.1', '--target', '<= 2.5x']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/is a ratio: give --baseline/);
    expect(r.stdout).toBe('');
  });
  it('summary exits 0 when every row passes, 1 when one misses or a bench failed, and --json is one document', () => {
    writeFileSync(join(dir, 'ok.out'), `human\n${benchLine(passing)}\n`);
    writeFileSync(join(dir, 'miss.out'), `${benchLine(missing)}\n`);
    const ok = run(['summary', `startup:0:${join(dir, 'ok.out')}`]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/1 of 1 pass\n$/);
    expect(run(['summary', `startup:0:${join(dir, 'ok.out')}`, `synth:0:${join(dir, 'miss.out')}`]).status).toBe(1);
    const failed = run(['summary', '--json', `startup:1:${join(dir, 'ok.out')}`]);
    expect(failed.status).toBe(1);
    const doc = JSON.parse(failed.stdout);
    expect(doc).toMatchObject({ version: 1, pass: false, machine: { cores: expect.any(Number), node: process.version } });
    expect(doc.results).toEqual([passing, expect.objectContaining({ bench: 'startup', pass: false, error: expect.stringMatching(/exited 1/) })]);
  });
  it('fit prints the exponent, r2 and the prediction at --at', () => {
    const r = run(['fit', '--at', '600', '15 30', '60 120 512000', '240 480']);
    expect(r.stdout).toBe('1.000 1.000 1200.00\n');
  });
});
