import { Flags } from '@oclif/core';
import { planBaseFlag } from '../cli/flags.js';
import { stackRunFlags, StackCommand } from '../cli/stack-command.js';
import type { RunReport } from '../orchestrate/run.js';

export default class Plan extends StackCommand {
  static override description =
    "Show what apply would change, per stack, in dependency order (default: every stack), with each stack's monthly cost difference against --base. Over every stack it also lists the stacks no longer in platform.yaml whose state still holds resources (`apply --all --prune` destroys them); they count as changes for --detailed-exitcode.";
  static override examples = [
    '<%= config.bin %> plan',
    '<%= config.bin %> plan --stack app/eu/payments/checkout --diff',
    '<%= config.bin %> plan --all --json --detailed-exitcode',
    '<%= config.bin %> plan --affected --base origin/main --format markdown >> "$GITHUB_STEP_SUMMARY"',
  ];
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
