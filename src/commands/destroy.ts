import { Flags } from '@oclif/core';
import { stackRunFlags, StackCommand } from '../cli/stack-command.js';
import type { RunReport } from '../orchestrate/run.js';
import { COMMAND_HELP } from '../cli/help.js';

export default class Destroy extends StackCommand {
  static override description = COMMAND_HELP['destroy'].description;
  static override examples = COMMAND_HELP['destroy'].examples;
  static override flags = {
    ...stackRunFlags,
    yes: Flags.boolean({ char: 'y', description: 'Required: destroy does not ask.', default: false }),
    confirm: Flags.string({ description: 'Each stack ID being destroyed (repeatable), or `all` with --all.', multiple: true }),
  };

  async run(): Promise<RunReport> {
    const { flags } = await this.parse(Destroy);
    const op = await this.prepareRun('destroy', flags, { yes: flags.yes, confirm: flags.confirm });
    return this.withDisplay(
      op.stacks.map((s) => s.id),
      { operation: 'destroy' },
      (onEvent) => op.run('destroy', onEvent),
    );
  }
}
