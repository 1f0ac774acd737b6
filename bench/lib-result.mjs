// The benches' one result format, and what bench/all.sh and bench/scale.sh do with it. Node ESM, no
// dependencies (runs without `npm run build`).
//
//   node bench/lib-result.mjs emit --bench NAME --ours LABEL --ours-samples "S S S" --target "<= 2.5x"
//        [--baseline LABEL --baseline-samples "S S S"] [--value N] [--load "1.0 0.9 0.8"] [--note TEXT]
//        [--extra JSON]
//     → one human verdict line, then `BENCH {json}` (samples are wall seconds, whitespace-separated)
//   node bench/lib-result.mjs summary [--json] NAME:EXIT:FILE ...
//     → the table of every BENCH line in the FILEs (a bench that exited non-zero or printed no result
//       is a row that misses), or with --json one document; exit 0 when every row passes, else 1
//   node bench/lib-result.mjs fit [--at X0] "X Y" "X Y" ...
//     → "EXPONENT R2 [Y0]" of the least-squares fit log Y = a + EXPONENT · log X (Y0: the fit at X0)
//
// A target is `<op> <number><unit>`, op one of <= < >= >, unit:
//   x   the ratio median(ours) / median(baseline)          e.g. "<= 2.5x"
//   s   median(ours) in seconds                            e.g. "<= 2 s"
//   %   a percentage the script computes (--value)         e.g. "<= 5 %"
//   (none) a plain number the script computes (--value)    e.g. "<= 1.1" (a fitted exponent)
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { pathToFileURL } from 'node:url';

/** Min, median and max of a non-empty list of numbers. */
export function stats(samples) {
  if (samples.length === 0) throw new Error('no samples');
  const s = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return { min: s[0], median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, max: s[s.length - 1] };
}

/** "<=2.5x" → { op: '<=', limit: 2.5, unit: 'x', text: '<= 2.5x' }. */
export function parseTarget(text) {
  const m = /^\s*(<=|>=|<|>)\s*(\d+(?:\.\d+)?)\s*(x|s|%)?\s*$/.exec(text);
  if (!m) throw new Error(`target "${text}": expected <op> <number><unit>, op one of <= < >= >, unit x, s, % or none`);
  const unit = m[3] ?? '';
  // The text keeps the number as written ("1.0x" stays 1.0x), normalizes the spacing.
  return { op: m[1], limit: Number(m[2]), unit, text: `${m[1]} ${m[2]}${unit === 's' || unit === '%' ? ` ${unit}` : unit}` };
}

/** Whether `value` meets the target. */
export function meets(value, { op, limit }) {
  if (op === '<=') return value <= limit;
  if (op === '<') return value < limit;
  if (op === '>=') return value >= limit;
  return value > limit;
}

const round = (n, digits = 4) => (n === null || n === undefined ? n : Number(n.toFixed(digits)));
const roundStats = (s) => ({ min: round(s.min), median: round(s.median), max: round(s.max) });

/** Whitespace-separated seconds → numbers (rejects anything that is not a non-negative number). */
export function parseSamples(text, what) {
  const xs = String(text ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map(Number);
  if (xs.length === 0 || xs.some((x) => !Number.isFinite(x) || x < 0)) throw new Error(`${what}: expected seconds separated by spaces, got "${text}"`);
  return xs;
}

/**
 * One result record. `ours` / `baseline` samples are wall seconds; `value` is required for % and plain
 * targets (what the script computed), and overrides nothing otherwise.
 */
export function makeResult({ bench, ours, oursSamples, baseline = null, baselineSamples = null, target, value, load, note, extra }) {
  if (!bench) throw new Error('--bench is required');
  if (!ours) throw new Error('--ours is required');
  const t = parseTarget(target);
  const o = stats(oursSamples);
  const b = baselineSamples ? stats(baselineSamples) : null;
  if (baselineSamples && !baseline) throw new Error('--baseline-samples needs --baseline (what the baseline is)');
  const ratio = b ? (b.median > 0 ? o.median / b.median : null) : null;
  let measured;
  if (t.unit === 'x') {
    if (!b) throw new Error(`target "${target}" is a ratio: give --baseline and --baseline-samples`);
    measured = ratio;
  } else if (t.unit === 's') measured = o.median;
  else {
    if (value === undefined || value === null || !Number.isFinite(value)) throw new Error(`target "${target}" needs --value (the number the script computed)`);
    measured = value;
  }
  return {
    bench,
    ours,
    oursSeconds: roundStats(o),
    baseline: b ? baseline : null,
    baselineSeconds: b ? roundStats(b) : null,
    ratio: round(ratio),
    measured: round(measured),
    unit: t.unit,
    target: t.text,
    pass: measured !== null && meets(measured, t),
    runs: oursSamples.length,
    ...(baselineSamples ? { baselineRuns: baselineSamples.length } : {}),
    load: load ?? null,
    ...(note ? { note } : {}),
    ...(extra ?? {}),
  };
}

const PREFIX = 'BENCH ';

/** The machine line of a result. */
export const benchLine = (result) => PREFIX + JSON.stringify(result);

/** Every result in a bench script's output (other lines are the human ones and are skipped). */
export function parseBenchLines(text) {
  const out = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(PREFIX)) continue;
    const r = JSON.parse(line.slice(PREFIX.length));
    if (typeof r.bench !== 'string' || typeof r.pass !== 'boolean') throw new Error(`not a bench result: ${line.slice(0, 200)}`);
    out.push(r);
  }
  return out;
}

/**
 * The results of bench script runs: their BENCH lines, plus one failing row for a script that exited
 * non-zero (it may have measured some targets before it failed) or printed no result at all.
 */
export function collect(runs) {
  const results = [];
  for (const { script, exitCode, output } of runs) {
    let found;
    try {
      found = parseBenchLines(output);
    } catch (e) {
      found = [];
      results.push({ bench: script, error: String(e.message), pass: false });
    }
    results.push(...found);
    if (exitCode !== 0) {
      const tail = output
        .trimEnd()
        .split('\n')
        .filter((l) => !l.startsWith(PREFIX))
        .slice(-3)
        .join(' | ');
      results.push({ bench: script, error: `bench/${script}.sh exited ${exitCode}${tail ? `: ${tail}` : ''}`, pass: false });
    } else if (found.length === 0) results.push({ bench: script, error: `bench/${script}.sh printed no result`, pass: false });
  }
  return results;
}

const fmtNumber = (n) => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));
const fmtSeconds = (s) => (s ? `${fmtNumber(s.median)} s` : '—');
const fmtMeasured = (r) =>
  r.unit === 'x' ? `${fmtNumber(r.measured)}x` : r.unit === 's' ? `${fmtNumber(r.measured)} s` : `${fmtNumber(r.measured)}${r.unit === '%' ? ' %' : ''}`;

/** The results as a text table: bench, baseline, ours (median [min–max]), ratio, measured, target, pass/miss. */
export function formatTable(results) {
  const header = ['bench', 'baseline', 'baseline s', 'ours s (min–max)', 'ratio', 'measured', 'target', 'result'];
  const rows = results.map((r) =>
    r.error
      ? [r.bench, '', '', '', '', '', '', `ERROR ${r.error}`]
      : [
          r.bench,
          r.baseline ?? '—',
          fmtSeconds(r.baselineSeconds),
          `${fmtSeconds(r.oursSeconds)} (${fmtNumber(r.oursSeconds.min)}–${fmtNumber(r.oursSeconds.max)})`,
          r.ratio === null || r.ratio === undefined ? '—' : `${fmtNumber(r.ratio)}x`,
          fmtMeasured(r),
          r.target,
          r.pass ? 'pass' : 'MISS',
        ],
  );
  // The result column is last and not padded, so a long error does not widen the table.
  const widths = header.slice(0, -1).map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] === undefined ? 0 : r[i].length))));
  const line = (cells) =>
    cells
      .map((c, i) => (i < widths.length ? c.padEnd(widths[i]) : c))
      .join('  ')
      .trimEnd();
  const passed = results.filter((r) => r.pass).length;
  return [
    line(header),
    ...rows.map(line),
    '',
    `${passed} of ${results.length} pass${passed === results.length ? '' : `; ${results.length - passed} miss`}`,
  ].join('\n');
}

/** The --json document of bench/all.sh. */
export function benchDocument(results, { date = new Date(), machine = thisMachine() } = {}) {
  return { version: 1, date: date.toISOString(), machine, pass: results.every((r) => r.pass), results };
}

export function thisMachine() {
  return { cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, cpu: cpus()[0]?.model ?? null };
}

/**
 * Least-squares fit of log y = a + k · log x over points [x, y] (all > 0): k is the growth exponent
 * (1 linear, 2 quadratic, below 1 a fixed cost that amortizes), r2 how well a power law fits.
 */
export function logLogFit(points) {
  if (points.length < 2) throw new Error('a fit needs at least two points');
  if (points.some(([x, y]) => !(x > 0) || !(y > 0))) throw new Error('a log-log fit needs positive x and y');
  const xs = points.map(([x]) => Math.log(x));
  const ys = points.map(([, y]) => Math.log(y));
  const n = points.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  if (sxx === 0) throw new Error('a fit needs at least two different x');
  const exponent = sxy / sxx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { exponent, coefficient: Math.exp(my - exponent * mx), r2 };
}

/** The human verdict line `emit` prints above the BENCH line. */
export function verdictLine(r) {
  const ours = `${r.ours} ${fmtNumber(r.oursSeconds.median)} s (min ${fmtNumber(r.oursSeconds.min)}, max ${fmtNumber(r.oursSeconds.max)}, ${r.runs} runs)`;
  const base = r.baseline ? `; ${r.baseline} ${fmtNumber(r.baselineSeconds.median)} s` : '';
  return `  => ${r.bench}: ${ours}${base}; ${fmtMeasured(r)} against ${r.target}: ${r.pass ? 'pass' : 'MISS'} (load ${r.load ?? '?'})`;
}

// ---- command line ----------------------------------------------------------------------------------

function options(args) {
  const o = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument "${a}"`);
    const key = a.slice(2);
    if (key === 'json') o.json = true;
    else {
      if (i + 1 >= args.length) throw new Error(`${a} needs a value`);
      o[key] = args[++i];
    }
  }
  return o;
}

function emit(args) {
  const o = options(args);
  const r = makeResult({
    bench: o.bench,
    ours: o.ours,
    oursSamples: parseSamples(o['ours-samples'], '--ours-samples'),
    baseline: o.baseline,
    baselineSamples: o['baseline-samples'] === undefined ? null : parseSamples(o['baseline-samples'], '--baseline-samples'),
    target: o.target ?? '',
    value: o.value === undefined ? undefined : Number(o.value),
    load: o.load ?? readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    note: o.note,
    extra: o.extra === undefined ? undefined : JSON.parse(o.extra),
  });
  console.log(verdictLine(r));
  console.log(benchLine(r));
}

function summary(args) {
  const json = args.includes('--json');
  const runs = args
    .filter((a) => a !== '--json')
    .map((spec) => {
      const [script, code, ...file] = spec.split(':');
      return { script, exitCode: Number(code), output: readFileSync(file.join(':'), 'utf8') };
    });
  const results = collect(runs);
  if (json) console.log(JSON.stringify(benchDocument(results), null, 2));
  else console.log(formatTable(results));
  return results.every((r) => r.pass) ? 0 : 1;
}

function fit(args) {
  let at;
  if (args[0] === '--at') {
    at = Number(args[1]);
    args = args.slice(2);
  }
  const points = args.map((a) => a.trim().split(/\s+/).slice(0, 2).map(Number));
  const { exponent, coefficient, r2 } = logLogFit(points);
  console.log(`${exponent.toFixed(3)} ${r2.toFixed(3)}${at === undefined ? '' : ` ${(coefficient * at ** exponent).toFixed(2)}`}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [command, ...args] = process.argv.slice(2);
  try {
    if (command === 'emit') emit(args);
    else if (command === 'summary') process.exitCode = summary(args);
    else if (command === 'fit') fit(args);
    else {
      console.error('usage: node bench/lib-result.mjs emit|summary|fit … (see the header of this file)');
      process.exitCode = 2;
    }
  } catch (e) {
    console.error(`lib-result: ${e.message}`);
    process.exitCode = 2;
  }
}
