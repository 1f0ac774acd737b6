import { Flags } from '@oclif/core';
import { planBaseFlag } from '../cli/flags.js';
import { stackRunFlags, StackCommand } from '../cli/stack-command.js';
import type { RunReport } from '../orchestrate/run.js';
import { COMMAND_HELP } from '../cli/help.js';

export default class Plan extends StackCommand {
  static override description = COMMAND_HELP['plan'].description;
  static override examples = COMMAND_HELP['plan'].examples;
  static override flags = {
    ...stackRunFlags,
    base: planBaseFlag,
    cost: Flags.boolean({ description: "Price each stack's change against --base (offline, from the shipped price tables).", default: true, allowNo: true }),
    'detailed-exitcode': Flags.boolean({
      description: 'Exit 3 when anything would change, a stack no longer in platform.yaml included (0 none, 1 failure).',
      default: false,
    }),
  };

  async run(): Promise<RunReport> {
    const { flags } = await this.parse(Plan);
    this.detailedExitCode = flags['detailed-exitcode'];
    const op = await this.prepareRun('plan', flags, { skipDrCheck: flags['skip-dr-check'] });
    await this.showPolicy(op.policy);
    const stackIds = op.stacks.map((s) => s.id);
    const cost = flags.cost ? (await import('../cost/plan.js')).planCost({ configFile: flags.config, base: flags.base, stackIds }) : undefined;
    return this.withDisplay(stackIds, { operation: 'plan' }, async (onEvent) => ({ ...(await op.run('plan', onEvent)), ...(cost ? { cost } : {}) }));
  }
}
