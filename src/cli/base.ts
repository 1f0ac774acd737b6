/**
 * The base of every command. A command's `run()` parses its flags, calls one function in src/ and
 * returns that function's typed result; this class prints it — `{ "version": 1, ...result }` with
 * `--json` (exactly one document on stdout), else the command's `render()` — sets the exit code from
 * `exitCode()`, and turns every error into a kind, a message and an exit code (README "Exit codes").
 */
import { Command, Flags } from '@oclif/core';
import { Bug, ExitCode, isPlatformError, PolicyError, UsageError, type ExternalError } from '../errors.js';
import type { PolicyReport } from '../policy/types.js';
import { configFlag, formatIsJson } from './flags.js';
import { color, info, printJson } from './ui.js';

export abstract class PlatformCommand<Result extends object = object> extends Command {
  static override enableJsonFlag = true;
  static override baseFlags = {
    json: Flags.boolean({ description: 'Print exactly one JSON document on stdout (progress stays on stderr).', default: false }),
    debug: Flags.boolean({ description: 'Show stack traces for errors.', default: false }),
  };

  abstract override run(): Promise<Result>;

  /** The human rendering of a result (results on stdout, notes on stderr); may load its renderer lazily. */
  protected render(_result: Result): void | Promise<void> {}

  /** The exit code a result stands for (0 unless the command says otherwise). */
  protected exitCode(_result: Result): number {
    return ExitCode.ok;
  }

  protected get debugMode(): boolean {
    return this.argv.includes('--debug') || process.env.PLATFORM_DEBUG === '1';
  }

  override async _run<T>(): Promise<T> {
    // oclif runs `run()`, routes errors to `catch()` and prints the JSON document (toSuccessJson).
    const result = await super._run<Result | undefined>();
    if (result !== undefined) {
      if (!this.jsonEnabled()) await this.render(result);
      const code = this.exitCode(result);
      if (code !== ExitCode.ok) process.exitCode = code;
    }
    return result as T;
  }

  /** `--json`, or `--format json` where a command has --format: the result and any error are one JSON document. */
  override jsonEnabled(): boolean {
    return super.jsonEnabled() || formatIsJson(this.argv);
  }

  override toSuccessJson(result: unknown): object {
    return { version: 1, ...(result as object) };
  }

  override logJson(json: unknown): void {
    printJson(json);
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
    if (this.jsonEnabled()) {
      printJson({
        version: 1,
        error: {
          kind: known.kind,
          message: known.message,
          ...(known instanceof UsageError && known.problems.length ? { problems: known.problems } : {}),
          ...('hint' in known && known.hint ? { hint: known.hint } : {}),
        },
        // A policy refusal carries the violations document (docs/policy.md) beside the error.
        ...(known instanceof PolicyError ? known.report : {}),
      });
    }
    // The violations of a policy refusal first (loaded only then: other commands never load the policy code).
    if (known instanceof PolicyError) info((await import('./render/policy.js')).policyText(known.report as unknown as PolicyReport));
    renderError(known, this.debugMode, err);
    process.exitCode = known.exitCode;
  }
}

/**
 * The base of every command that works on a project's platform.yaml: `-c/--config` is declared here,
 * once. A command that reads the file differently says so by redeclaring `config` in its own `flags`
 * (drift: read from Git); oclif lets a command's flags override its base flags by name.
 */
export abstract class ProjectCommand<Result extends object = object> extends PlatformCommand<Result> {
  static override baseFlags = { ...PlatformCommand.baseFlags, config: configFlag() };
}

function renderError(e: UsageError | ExternalError | Bug | PolicyError, debug: boolean, original: Error): void {
  info(`${color.red('error')} ${e.message}`);
  if (e instanceof UsageError) {
    for (const p of e.problems) {
      info(`  ${p.where ? `${color.bold(p.where)} ` : ''}${p.path ? `${color.cyan(p.path)}: ` : ''}${p.message}`);
    }
  }
  if ('hint' in e && e.hint) info(`  ${color.dim(e.hint)}`);
  if (e.kind === 'bug' && !debug) info(color.dim('  This is a bug in platform; run again with --debug for the stack trace and report it.'));
  if (debug) info(color.dim(original.stack ?? e.stack ?? ''));
}
