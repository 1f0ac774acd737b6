import { Flags } from '@oclif/core';
import { stackFlags, StackCommand } from '../cli/stack-command.js';
import { info } from '../cli/ui.js';
import { UsageError } from '../errors.js';
import { prepareOperation } from '../operations.js';
import { exitCodeOf } from '../orchestrate/run.js';

export default class Apply extends StackCommand {
  static override description = 'Apply stacks in dependency order. In a terminal it shows the plan and asks; otherwise it needs --yes.';
  static override examples = ['<%= config.bin %> apply --all', '<%= config.bin %> apply --stack tenant/eu/payments --yes --json'];
  static override flags = {
    ...stackFlags,
    yes: Flags.boolean({ char: 'y', description: 'Apply without asking.', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Apply);
    const interactive = process.stdin.isTTY && process.stderr.isTTY && !flags.json;
    if (!flags.yes && !interactive) throw new UsageError('apply needs --yes when it cannot ask (no terminal, or --json)', [], 'Review with `platform plan` first, then apply with --yes.');
    const controller = this.interruptible();
    const op = prepareOperation({ operation: 'apply', configFile: flags.config, stackIds: flags.stack, all: flags.all, affectedBase: flags.affected ? flags.base : undefined, parallel: flags.parallel, force: flags.force, skipDrCheck: flags['skip-dr-check'], signal: controller.signal });
    const ids = op.stacks.map((s) => s.id);

    if (!flags.yes) {
      const preview = await this.renderer(ids, { diff: true, operation: 'plan', json: false });
      const planned = await op.run('plan', this.events(preview));
      await this.show(planned, preview, false);
      if (exitCodeOf(planned, false) !== 0) {
        this.setExitCode(exitCodeOf(planned, false));
        return;
      }
      if (!planned.stacks.some((s) => s.status === 'changes')) {
        info('nothing to apply');
        return;
      }
      const { confirm } = await import('@inquirer/prompts');
      if (!(await confirm({ message: `Apply these changes to ${ids.length} stack(s)?`, default: false }, { output: process.stderr }))) {
        info('not applied');
        return;
      }
    }
    const renderer = await this.renderer(ids, { diff: flags.diff, operation: 'apply', json: flags.json });
    const report = await op.run('apply', this.events(renderer));
    await this.show(report, renderer, flags.json);
    this.setExitCode(exitCodeOf(report, false));
  }
}
