import { Flags } from '@oclif/core';
import { stackRunFlags, StackCommand } from '../cli/stack-command.js';
import { info } from '../cli/ui.js';
import { UsageError } from '../errors.js';
import { PRUNE_HINT } from '../orchestrate/orphans.js';
import { exitCodeOf, type RunReport } from '../orchestrate/run.js';
import { COMMAND_HELP } from '../cli/help.js';

export default class Apply extends StackCommand {
  static override description = COMMAND_HELP['apply'].description;
  static override examples = COMMAND_HELP['apply'].examples;
  static override flags = {
    ...stackRunFlags,
    yes: Flags.boolean({ char: 'y', description: 'Apply without asking.', default: false }),
    prune: Flags.boolean({
      description: 'With --all: first destroy the stacks no longer in platform.yaml whose state still holds resources (dependents first).',
      default: false,
    }),
  };

  async run(): Promise<RunReport> {
    const { flags } = await this.parse(Apply);
    const interactive = process.stdin.isTTY && process.stderr.isTTY && !this.jsonEnabled();
    if (!flags.yes && !interactive)
      throw new UsageError('apply needs --yes when it cannot ask (no terminal, or --json)', [], 'Review with `platform plan` first, then apply with --yes.');
    const op = await this.prepareRun('apply', flags, { skipDrCheck: flags['skip-dr-check'], prune: flags.prune });
    await this.showPolicy(op.policy);
    const ids = op.stacks.map((s) => s.id);
    let prune = flags.prune;

    if (!flags.yes) {
      // Interactive: show the plan, then ask. What is returned when nothing is applied is that plan.
      const planned = await this.withDisplay(ids, { operation: 'plan' }, (onEvent) => op.run('plan', onEvent));
      if (exitCodeOf(planned, false) !== 0) return planned;
      const destroyable = op.orphans.filter((o) => !o.blocked);
      const changes = planned.stacks.some((s) => s.status === 'changes');
      if (!changes && !destroyable.length) {
        info('nothing to apply');
        return planned;
      }
      this.printRun(planned, true);
      const { confirm } = await import('@inquirer/prompts');
      const ask = (message: string) => confirm({ message, default: false }, { output: process.stderr });
      // Destroying is asked for on its own, and never assumed.
      if (destroyable.length && !prune)
        prune = await ask(`Also destroy ${destroyable.length} stack(s) no longer in platform.yaml (${destroyable.map((o) => o.id).join(', ')})?`);
      if (!changes && !prune) {
        info('nothing to apply');
        return planned;
      }
      if (!(await ask(`Apply these changes to ${ids.length} stack(s)${prune && destroyable.length ? ` and destroy ${destroyable.length}` : ''}?`))) {
        info('not applied');
        return planned;
      }
    }
    const report = await this.withDisplay(
      [...(prune ? op.orphans.filter((o) => !o.blocked).map((o) => o.id) : []), ...ids],
      { operation: 'apply' },
      (onEvent) => op.run('apply', onEvent, { prune }),
    );
    const left = report.orphans?.filter((o) => o.action === 'left') ?? [];
    if (left.length) info(`${left.length} stack(s) no longer in platform.yaml left in place: ${left.map((o) => o.id).join(', ')} (${PRUNE_HINT})`);
    return report;
  }
}
