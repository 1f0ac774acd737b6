/** Flags several commands share, defined once so their names, letters and help read the same everywhere. */
import { availableParallelism } from 'node:os';
import { Flags } from '@oclif/core';

/** `-c/--config`, declared once by ProjectCommand (src/cli/base.ts); drift (reads it from Git) and init (writes it) pass their own `description`. */
export const configFlag = (description = 'Path to platform.yaml.') => Flags.string({ char: 'c', description, default: 'platform.yaml' });

/** One or more stack IDs; see `platform stacks list`. */
export const stackFlag = Flags.string({ description: 'A stack ID (repeatable); see `platform stacks list`.', multiple: true });

const baseDescription = 'The ref --affected compares with.';
export const affectedFlags = {
  affected: Flags.boolean({
    description: 'Only the stacks whose synthesized output changed since the merge base with --base (apply/destroy: and their dependents).',
    default: false,
  }),
  base: Flags.string({ description: baseDescription, default: 'origin/main', dependsOn: ['affected'] }),
};

/** plan's --base: also what each stack's monthly cost difference is priced against, so it stands alone. */
export const planBaseFlag = Flags.string({
  description: `${baseDescription} Each stack's monthly cost difference is priced against platform.yaml at the same merge base (\`platform cost --base\`).`,
  default: 'origin/main',
});

/** With --affected, for commands that only list stacks: which operation's selection (apply/destroy add dependents). */
export const affectedForFlag = Flags.string({
  description: 'With --affected: the operation (apply/destroy add dependents).',
  options: ['plan', 'apply', 'destroy'],
  default: 'plan',
  dependsOn: ['affected'],
});

/** `--report FILE.html`: the self-contained HTML report of the run, written whatever goes to stdout. */
export const reportFlag = Flags.string({
  description: 'Also write a self-contained HTML report (summary, graph, per-field diffs; opens offline) to this file.',
  helpValue: 'FILE.html',
});

/** `--format json` is `--json` (the result and any error are one JSON document), for commands with a --format flag. */
export function formatIsJson(argv: string[]): boolean {
  const i = argv.indexOf('--format');
  return argv.includes('--format=json') || (i !== -1 && argv[i + 1] === 'json');
}

/** `--format`, the first option the default; `json` among the options means `--json` (src/cli/base.ts treats it so). */
export function formatFlag(
  options: string[] = ['table', 'markdown', 'json'],
  description = 'Output on stdout: a table, Markdown (PR comment / job summary) or JSON (same as --json).',
) {
  return Flags.string({ description, options, default: options[0] });
}

/** What plan, apply and destroy take (with --config from ProjectCommand): one way to select stacks and run them. */
export const stackRunFlags = {
  stack: stackFlag,
  all: Flags.boolean({ description: 'Every stack.', default: false }),
  ...affectedFlags,
  parallel: Flags.integer({ description: 'Stacks run at once (independent ones only).', default: availableParallelism(), min: 1 }),
  diff: Flags.boolean({ description: 'Show per-field changes.', default: false }),
  format: formatFlag(
    ['text', 'markdown', 'json'],
    "Output on stdout: text (grouped per stack, in dependency order), Markdown (PR comment / job summary, fits GitHub's 65,536-character limit) or JSON (same as --json).",
  ),
  report: reportFlag,
  'skip-dr-check': Flags.boolean({ description: 'Plan/apply even when `platform dr check` fails.', default: false }),
  force: Flags.boolean({ description: 'Take over fields another field manager owns (server-side apply conflicts).', default: false }),
};
