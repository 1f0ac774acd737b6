import { Flags } from '@oclif/core';
import { stackRunFlags, StackCommand } from '../cli/stack-command.js';
import type { RunReport } from '../orchestrate/run.js';

export default class Destroy extends StackCommand {
  static override description =
    'Delete every object of the named stacks, dependents first. Needs --yes and --confirm <stack id> (or --confirm all with --all). A stack no longer in platform.yaml whose state holds resources can be named too; --all includes them.';
  static override examples = [
    '<%= config.bin %> destroy --stack app/eu/payments/checkout --yes --confirm app/eu/payments/checkout',
    '<%= config.bin %> destroy --all --yes --confirm all',
  ];
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
