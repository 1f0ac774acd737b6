/**
 * Running the OpenTofu (or Terraform) CLI through execa: offline settings, machine-readable `-json`
 * output streamed line by line, and a clean cancel (exactly one SIGINT, then wait: tofu releases its
 * lock and writes state before it exits).
 */
import { createInterface } from 'node:readline';
import { stripVTControlCharacters } from 'node:util';
import { execa } from 'execa';
import { ExternalError } from '../../errors.js';
import { findOnPath, resolveTool, tofuCliConfigFile } from '../../toolchain/index.js';
import { tofuEncryptionEnv } from './encryption.js';

export interface TofuBinary {
  /** The executable (tofu, or terraform via PLATFORM_TF_BIN). */
  file: string;
  /** OpenTofu CLI config pointing at the offline provider mirror. */
  cliConfig: string;
  /** Set for every run of this binary (state encryption). */
  env: Record<string, string>;
}

/**
 * Which binary and CLI config to use. `PLATFORM_TF_BIN` overrides the binary (the `--tf-bin terraform`
 * seam); otherwise the toolchain's pinned tofu.
 */
export function tofuBinary(projectDir: string, env: NodeJS.ProcessEnv = process.env): TofuBinary {
  return {
    file: env.PLATFORM_TF_BIN || resolveTool('tofu'),
    cliConfig: tofuCliConfigFile(),
    env: tofuEncryptionEnv(projectDir),
  };
}

/** One line of `tofu ... -json` (the machine-readable UI). Only the fields we read are typed. */
export interface TofuMessage {
  '@level'?: 'info' | 'warn' | 'error';
  '@message'?: string;
  type: string;
  diagnostic?: { severity: 'error' | 'warning'; summary: string; detail?: string; address?: string };
  hook?: { resource?: { addr: string }; action?: string; elapsed_seconds?: number };
  change?: { resource?: { addr: string }; action?: string };
  changes?: { add: number; change: number; remove: number; import?: number; operation: string };
}

export interface TofuRun {
  exitCode: number;
  cancelled: boolean;
  stdout: string;
  stderr: string;
  /** Parsed `-json` lines (when the command was run with -json). */
  messages: TofuMessage[];
}

export interface TofuRunOptions {
  cwd: string;
  env?: Record<string, string>;
  signal?: AbortSignal;
  /** Called for every `-json` line as it arrives. */
  onMessage?: (message: TofuMessage) => void;
  /** Keep stdout (for `show -json`); streamed -json runs do not need it. */
  keepStdout?: boolean;
}

let setprivPath: string | null | undefined;

/**
 * tofu runs in a process group of its own (below), so a kill -9 of ours does not reach it: it would run
 * on unsupervised, holding its state lock. On Linux, util-linux's `setpriv` gives it a parent-death
 * signal: when we die, it gets one SIGINT and stops as after a Ctrl-C, saving its state (if it already
 * had our SIGINT, this second one makes it leave at once, as a second Ctrl-C does). The prefix that
 * does so, or none (no setpriv: tofu then finishes its command alone).
 */
function parentDeathPrefix(): string[] {
  if (process.platform !== 'linux') return [];
  setprivPath ??= findOnPath('setpriv');
  return setprivPath ? [setprivPath, '--pdeathsig', 'INT', '--'] : [];
}

export async function runTofu(bin: TofuBinary, args: string[], options: TofuRunOptions): Promise<TofuRun> {
  const [file, ...prefix] = [...parentDeathPrefix(), bin.file];
  const subprocess = execa(file, [...prefix, ...args], {
    cwd: options.cwd,
    env: {
      TF_CLI_CONFIG_FILE: bin.cliConfig,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      // No shared plugin cache: providers come from the toolchain's read-only mirror. A cache shared by
      // parallel stacks raced (one stack's init relinked the provider another stack's tofu was starting).
      TF_PLUGIN_CACHE_DIR: '',
      CHECKPOINT_DISABLE: '1',
      ...bin.env,
      ...options.env,
    },
    extendEnv: true,
    stdin: 'ignore',
    reject: false,
    buffer: { stdout: options.keepStdout === true, stderr: true },
    // Own process group: a terminal Ctrl-C reaches only us, and we forward exactly one SIGINT. A second
    // SIGINT would make tofu exit at once without writing state.
    detached: true,
    maxBuffer: 1024 * 1024 * 1024,
  });

  // Set by onAbort; TypeScript's narrowing does not see assignments in callbacks.
  let cancelled = false as boolean;
  const onAbort = (): void => {
    if (cancelled) return;
    cancelled = true;
    subprocess.kill('SIGINT');
  };
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const messages: TofuMessage[] = [];
  const lines = options.keepStdout
    ? Promise.resolve()
    : (async () => {
        for await (const line of createInterface({ input: subprocess.stdout })) {
          if (!line.startsWith('{')) continue;
          let message: TofuMessage;
          try {
            message = JSON.parse(line) as TofuMessage;
          } catch {
            continue;
          }
          messages.push(message);
          options.onMessage?.(message);
        }
      })();

  const result = await subprocess;
  await lines;
  options.signal?.removeEventListener('abort', onAbort);
  if (result.failed && result.exitCode === undefined && !cancelled) {
    throw new ExternalError(
      `could not run ${bin.file}: ${result.shortMessage}`,
      'Run `platform toolchain install` (or set PLATFORM_TF_BIN to an OpenTofu/Terraform binary).',
    );
  }
  return {
    exitCode: result.exitCode ?? 1,
    cancelled,
    stdout: typeof result.stdout === 'string' ? result.stdout : '',
    stderr: typeof result.stderr === 'string' ? result.stderr : '',
    messages,
  };
}

/** The first error of a run as one line: a diagnostic's summary and detail, else the last stderr line. */
export function firstError(run: TofuRun): string {
  const diagnostic = run.messages.find((m) => m.type === 'diagnostic' && m.diagnostic?.severity === 'error')?.diagnostic;
  if (diagnostic) return oneLine(`${diagnostic.summary}${diagnostic.detail ? `: ${diagnostic.detail}` : ''}`);
  const text = run.stderr.trim() || run.stdout.trim();
  const errorLine = text.split('\n').find((l) => /^(│\s*)?Error:/.test(l.trim()));
  return oneLine(errorLine ?? text.split('\n').at(-1) ?? `exit code ${run.exitCode}`);
}

export const oneLine = (s: string): string => stripVTControlCharacters(s).replace(/[│╷╵]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 500);
