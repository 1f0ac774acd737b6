/**
 * Error kinds and exit codes (docs/config.md "Exit codes"). Every failure a user can see is one of
 * these; anything else is a bug and prints a stack trace only with --debug.
 */
export const ExitCode = { ok: 0, failure: 1, usage: 2, changes: 3, policy: 4 } as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface Problem {
  /** `file:line:col` when the problem has a place in a file. */
  where?: string;
  /** JSON-pointer-ish field path, e.g. `services[0].tenant`. */
  path?: string;
  message: string;
}

abstract class PlatformError extends Error {
  abstract readonly kind: 'usage' | 'external' | 'bug' | 'policy';
  abstract readonly exitCode: ExitCodeValue;
}

/** Bad flags, invalid platform.yaml, refused input. Exit 2. Nothing has been written. */
export class UsageError extends PlatformError {
  readonly kind = 'usage' as const;
  readonly exitCode = ExitCode.usage;
  constructor(
    message: string,
    readonly problems: Problem[] = [],
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** An engine, cluster, network or tool failed. Exit 1. `hint` says what to try next. */
export class ExternalError extends PlatformError {
  readonly kind = 'external' as const;
  readonly exitCode = ExitCode.failure;
  constructor(
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ExternalError';
  }
}

/** Our own defect. Exit 1, stack trace with --debug. */
export class Bug extends PlatformError {
  readonly kind = 'bug' as const;
  readonly exitCode = ExitCode.failure;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'Bug';
  }
}

/**
 * A mandatory policy is violated (docs/policy.md). Exit 4; nothing was applied — no engine started.
 * `report` is the violations document (`{ violations, waived, … }`): with --json it is printed beside
 * the error, and the terminal shows each violation with its platform.yaml line.
 */
export class PolicyError<Report extends { violations: readonly unknown[] } = { violations: readonly unknown[] }> extends PlatformError {
  readonly kind = 'policy' as const;
  readonly exitCode = ExitCode.policy;
  constructor(
    message: string,
    readonly report: Report,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'PolicyError';
  }
}

export function isPlatformError(e: unknown): e is UsageError | ExternalError | Bug | PolicyError {
  return e instanceof UsageError || e instanceof ExternalError || e instanceof Bug || e instanceof PolicyError;
}

export type ErrorKind = PlatformError['kind'];

/** An error as results carry it (a stack's failure in `--json`, a report): kind, message, what to try next. */
export interface ErrorInfo {
  kind: ErrorKind;
  message: string;
  hint?: string;
}

/** Any thrown value as an ErrorInfo: our errors keep their kind and hint; anything else is external. */
export function errorInfo(e: unknown): ErrorInfo {
  if (isPlatformError(e)) return { kind: e.kind, message: e.message, ...('hint' in e && e.hint ? { hint: e.hint } : {}) };
  return { kind: 'external', message: e instanceof Error ? e.message : String(e) };
}

/** The most severe of several exit codes: 2 over 1 over 4 over 3 over 0 (2 is decided before any stack runs). */
export function combineExitCodes(codes: number[]): number {
  for (const code of [ExitCode.usage, ExitCode.failure, ExitCode.policy, ExitCode.changes]) if (codes.includes(code)) return code;
  return ExitCode.ok;
}
