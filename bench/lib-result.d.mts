// Types of bench/lib-result.mjs (for its unit test, test/bench/lib-result.test.ts).
export interface Stats {
  min: number;
  median: number;
  max: number;
}
export interface Target {
  op: '<=' | '<' | '>=' | '>';
  limit: number;
  unit: 'x' | 's' | '%' | '';
  text: string;
}
export interface BenchResult {
  bench: string;
  ours: string;
  oursSeconds: Stats;
  baseline: string | null;
  baselineSeconds: Stats | null;
  ratio: number | null;
  measured: number;
  unit: Target['unit'];
  target: string;
  pass: boolean;
  runs: number;
  baselineRuns?: number;
  load: string | null;
  note?: string;
  [extra: string]: unknown;
}
export interface BenchError {
  bench: string;
  error: string;
  pass: false;
}
export type Row = BenchResult | BenchError;
export interface Machine {
  cores: number;
  memoryGiB: number;
  node: string;
  cpu: string | null;
}

export function stats(samples: number[]): Stats;
export function parseTarget(text: string): Target;
export function meets(value: number, target: Pick<Target, 'op' | 'limit'>): boolean;
export function parseSamples(text: string | undefined, what: string): number[];
export function makeResult(input: {
  bench: string;
  ours: string;
  oursSamples: number[];
  baseline?: string | null;
  baselineSamples?: number[] | null;
  target: string;
  value?: number;
  load?: string;
  note?: string;
  extra?: Record<string, unknown>;
}): BenchResult;
export function benchLine(result: BenchResult): string;
export function parseBenchLines(text: string): BenchResult[];
export function collect(runs: { script: string; exitCode: number; output: string }[]): Row[];
export function formatTable(results: Row[]): string;
export function benchDocument(
  results: Row[],
  opts?: { date?: Date; machine?: Machine },
): { version: 1; date: string; machine: Machine; pass: boolean; results: Row[] };
export function thisMachine(): Machine;
export function logLogFit(points: [number, number][]): { exponent: number; coefficient: number; r2: number };
export function verdictLine(result: BenchResult): string;
