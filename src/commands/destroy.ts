import { Flags } from '@oclif/core';
import { stackFlags, StackCommand } from '../cli/stack-command.js';
import { prepareOperation } from '../operations.js';
import { exitCodeOf } from '../orchestrate/run.js';

export default class Destroy extends StackCommand {
  static override description = 'Delete every object of the named stacks, dependents first. Needs --yes and --confirm <stack id> (or --confirm all with --all).';
  static override examples = ['<%= config.bin %> destroy --stack app/eu/payments/checkout --yes --confirm app/eu/payments/checkout', '<%= config.bin %> destroy --all --yes --confirm all'];
  static override flags = {
    ...stackFlags,
    yes: Flags.boolean({ char: 'y', description: 'Required: destroy does not ask.', default: false }),
    confirm: Flags.string({ description: 'Each stack ID being destroyed (repeatable), or `all` with --all.', multiple: true }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Destroy);
    const controller = this.interruptible();
    const op = prepareOperation({ operation: 'destroy', configFile: flags.config, stackIds: flags.stack, all: flags.all, affectedBase: flags.affected ? flags.base : undefined, parallel: flags.parallel, force: flags.force, yes: flags.yes, confirm: flags.confirm, signal: controller.signal });
    const renderer = await this.renderer(op.stacks.map((s) => s.id), { diff: flags.diff, operation: 'destroy', json: flags.json });
    const report = await op.run('destroy', this.events(renderer));
    await this.show(report, renderer, flags.json);
    this.setExitCode(exitCodeOf(report, false));
  }
}
