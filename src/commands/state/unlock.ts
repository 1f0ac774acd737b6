import { Args, Flags } from '@oclif/core';
import { ProjectCommand } from '../../cli/base.js';
import { renderStateUnlock } from '../../cli/render/state.js';
import { unlockState, type StateUnlockResult } from '../../state-admin.js';
import { COMMAND_HELP } from '../../cli/help.js';

export default class StateUnlock extends ProjectCommand<StateUnlockResult> {
  static override description = COMMAND_HELP['state unlock'].description;
  static override examples = COMMAND_HELP['state unlock'].examples;
  static override strict = false;
  static override args = { stack: Args.string({ description: 'Stack ID(s) to unlock; see `platform state list`.' }) };
  static override flags = {
    all: Flags.boolean({ description: 'Every locked stack.', default: false }),
    yes: Flags.boolean({ description: 'Remove the locks whatever their holder (required).', default: false }),
  };

  async run(): Promise<StateUnlockResult> {
    const { flags, argv } = await this.parse(StateUnlock);
    return unlockState({ configFile: flags.config, stackIds: argv as string[], all: flags.all, yes: flags.yes });
  }

  protected override render(result: StateUnlockResult): void {
    renderStateUnlock(result);
  }
}
