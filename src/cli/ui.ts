/** Everything a human sees goes to stderr; stdout is only for results (and exactly one JSON doc with --json). */
import { Chalk } from 'chalk';

const noColor = 'NO_COLOR' in process.env && process.env.NO_COLOR !== '';
export const color = new Chalk({ level: noColor || !process.stderr.isTTY ? 0 : 1 });

export function info(line: string): void {
  process.stderr.write(`${line}\n`);
}

export function printJson(doc: unknown): void {
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
}

export function printResult(line: string): void {
  process.stdout.write(`${line}\n`);
}
