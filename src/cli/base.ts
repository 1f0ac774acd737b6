/**
 * The base of every command: `--json` and `--debug`, and one place that turns errors into exit codes
 * (CONFIG.md) and messages. Commands stay thin: parse flags, call one function in src/, render.
 */
import { Command, Flags } from '@oclif/core';
import { Bug, ExitCode, isPlatformError, UsageError, type ExternalError } from '../errors.js';
import { color, info, printJson } from './ui.js';

export abstract class PlatformCommand extends Command {
  static override baseFlags = {
    json: Flags.boolean({ description: 'Print exactly one JSON document on stdout (progress stays on stderr).', default: false }),
    debug: Flags.boolean({ description: 'Show stack traces for errors.', default: false }),
  };

  protected get jsonMode(): boolean {
    return this.argv.includes('--json');
  }

  protected get debugMode(): boolean {
    return this.argv.includes('--debug') || process.env.PLATFORM_DEBUG === '1';
  }

  protected json(doc: unknown): void {
    printJson(doc);
  }

  /** Set the exit code without throwing (so stdout is flushed normally). */
  protected setExitCode(code: number): void {
    process.exitCode = code;
  }

  protected override async catch(err: Error & { oclif?: { exit?: number } }): Promise<void> {
    const known = isPlatformError(err)
      ? err
      : err.oclif?.exit !== undefined && err.oclif.exit !== 0
        ? new UsageError(err.message.replace(/\n\s*See more help with --help$/, ''), [], `See \`platform ${this.id?.replaceAll(':', ' ') ?? ''} --help\`.`)
        : err.oclif?.exit === 0
          ? undefined
          : new Bug(err.message, { cause: err });
    if (!known) return; // oclif's own clean exit (e.g. --help)
    if (this.jsonMode) {
      printJson({
        version: 1,
        error: {
          kind: known.kind,
          message: known.message,
          ...(known instanceof UsageError && known.problems.length ? { problems: known.problems } : {}),
          ...('hint' in known && known.hint ? { hint: known.hint } : {}),
        },
      });
    }
    renderError(known, this.debugMode, err);
    process.exitCode = known.exitCode;
  }
}

function renderError(e: UsageError | ExternalError | Bug, debug: boolean, original: Error): void {
  info(`${color.red('error')} ${e.message}`);
  if (e instanceof UsageError) {
    for (const p of e.problems) {
      info(`  ${p.where ? `${color.bold(p.where)} ` : ''}${p.path ? `${color.cyan(p.path)}: ` : ''}${p.message}`);
    }
  }
  if ('hint' in e && e.hint) info(`  ${color.dim(e.hint)}`);
  if (e.kind === 'bug' && !debug) info(color.dim('  This is a bug in platform; run again with --debug for the stack trace and report it.'));
  if (debug) info(color.dim((original.stack ?? e.stack ?? '').toString()));
}

export { ExitCode };
