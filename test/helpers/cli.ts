/** Run the built CLI (`bin/run.js` → dist/) as a user would: a real process, real exit code. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type Options } from 'execa';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(repoRoot, 'bin', 'run.js');

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], options: Options = {}): Promise<CliResult> {
  if (!existsSync(join(repoRoot, 'dist', 'cli', 'main.js')) || !existsSync(join(repoRoot, 'oclif.manifest.json'))) {
    throw new Error('the CLI is not built: run `npm run build` first (npm test does it in pretest)');
  }
  const env: NodeJS.ProcessEnv = { NO_COLOR: '1', ...options.env };
  // FORCE_COLOR (set where CI wants coloured logs) would win over NO_COLOR, and Node warns on stderr about the pair.
  if (env.NO_COLOR !== undefined) env.FORCE_COLOR = undefined;
  const r = await execa(process.execPath, [bin, ...args], { reject: false, ...options, env, stdin: 'ignore' } as Options);
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}
