/** Flags several commands share, defined once so their names, letters and help read the same everywhere. */
import { availableParallelism } from 'node:os';
import { Flags } from '@oclif/core';

/** `-c/--config`; commands that read the file differently (drift: from Git) say so in `description`. */
export const configFlag = (description = 'Path to platform.yaml.') => Flags.string({ char: 'c', description, default: 'platform.yaml' });

/** One or more stack IDs; see `platform stacks list`. */
export const stackFlag = Flags.string({ description: 'A stack ID (repeatable); see `platform stacks list`.', multiple: true });

export const affectedFlags = {
  affected: Flags.boolean({ description: 'Only the stacks whose synthesized output changed since the merge base with --base (apply/destroy: and their dependents).', default: false }),
  base: Flags.string({ description: 'The ref --affected compares with.', default: 'origin/main', dependsOn: ['affected'] }),
};

/** What plan, apply and destroy take: one way to select stacks and run them. */
export const stackRunFlags = {
  config: configFlag(),
  stack: stackFlag,
  all: Flags.boolean({ description: 'Every stack.', default: false }),
  ...affectedFlags,
  parallel: Flags.integer({ description: 'Stacks run at once (independent ones only).', default: availableParallelism(), min: 1 }),
  diff: Flags.boolean({ description: 'Show per-field changes.', default: false }),
  'skip-dr-check': Flags.boolean({ description: 'Plan/apply even when `platform dr check` fails.', default: false }),
  force: Flags.boolean({ description: 'Take over fields another field manager owns (server-side apply conflicts).', default: false }),
};

/** `--format`: a table, Markdown (PR comment / job summary) or JSON (same as --json: the base class treats it so). */
export const formatFlag = () =>
  Flags.string({ description: 'Output on stdout: a table, Markdown (PR comment / job summary) or JSON (same as --json).', options: ['table', 'markdown', 'json'], default: 'table' });
