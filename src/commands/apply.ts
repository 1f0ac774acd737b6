import { Flags } from '@oclif/core';
import { stackRunFlags, StackCommand } from '../cli/stack-command.js';
import { info } from '../cli/ui.js';
import { UsageError } from '../errors.js';
import { exitCodeOf, type RunReport } from '../orchestrate/run.js';

export default class Apply extends StackCommand {
  static override description = 'Apply stacks in dependency order. In a terminal it shows the plan and asks; otherwise it needs --yes.';
  static override examples = ['<%= config.bin %> apply --all', '<%= config.bin %> apply --stack tenant/eu/payments --yes --json'];
  static override flags = {
    ...stackRunFlags,
    yes: Flags.boolean({ char: 'y', description: 'Apply without asking.', default: false }),
  };

  async run(): Promise<RunReport> {
    const { flags } = await this.parse(Apply);
    const interactive = process.stdin.isTTY && process.stderr.isTTY && !this.jsonEnabled();
    if (!flags.yes && !interactive)
      throw new UsageError('apply needs --yes when it cannot ask (no terminal, or --json)', [], 'Review with `platform plan` first, then apply with --yes.');
    const op = await this.prepareRun('apply', flags, { skipDrCheck: flags['skip-dr-check'] });
    await this.showPolicy(op.policy);
    const ids = op.stacks.map((s) => s.id);

    if (!flags.yes) {
      // Interactive: show the plan, then ask. What is returned when nothing is applied is that plan.
      const planned = await this.withDisplay(ids, { operation: 'plan' }, (onEvent) => op.run('plan', onEvent));
      if (exitCodeOf(planned, false) !== 0) return planned;
      if (!planned.stacks.some((s) => s.status === 'changes')) {
        info('nothing to apply');
        return planned;
      }
      this.printRun(planned, true);
      const { confirm } = await import('@inquirer/prompts');
      if (!(await confirm({ message: `Apply these changes to ${ids.length} stack(s)?`, default: false }, { output: process.stderr }))) {
        info('not applied');
        return planned;
      }
    }
    return this.withDisplay(ids, { operation: 'apply' }, (onEvent) => op.run('apply', onEvent));
  }
}
