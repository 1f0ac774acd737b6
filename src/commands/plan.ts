import { Flags } from '@oclif/core';
import { stackRunFlags, StackCommand } from '../cli/stack-command.js';
import type { RunReport } from '../orchestrate/run.js';

export default class Plan extends StackCommand {
  static override description = 'Show what apply would change, per stack, in dependency order (default: every stack).';
  static override examples = ['<%= config.bin %> plan', '<%= config.bin %> plan --stack app/eu/payments/checkout --diff', '<%= config.bin %> plan --all --json --detailed-exitcode'];
  static override flags = {
    ...stackRunFlags,
    'detailed-exitcode': Flags.boolean({ description: 'Exit 3 when anything would change (0 none, 1 failure).', default: false }),
  };

  async run(): Promise<RunReport> {
    const { flags } = await this.parse(Plan);
    this.detailedExitCode = flags['detailed-exitcode'];
    const controller = this.interruptible();
    const op = await this.prepare({ operation: 'plan', configFile: flags.config, stackIds: flags.stack, all: flags.all, affectedBase: flags.affected ? flags.base : undefined, parallel: flags.parallel, force: flags.force, skipDrCheck: flags['skip-dr-check'], signal: controller.signal }, flags);
    await this.showPolicy(op.policy);
    return this.withDisplay(op.stacks.map((s) => s.id), { operation: 'plan' }, (onEvent) => op.run('plan', onEvent));
  }
}
