import { ProjectCommand } from '../../cli/base.js';
import { renderStateList } from '../../cli/render/state.js';
import { listState, type StateListResult } from '../../state-admin.js';
import { COMMAND_HELP } from '../../cli/help.js';

export default class StateList extends ProjectCommand<StateListResult> {
  static override description = COMMAND_HELP['state list'].description;
  static override examples = COMMAND_HELP['state list'].examples;

  async run(): Promise<StateListResult> {
    const { flags } = await this.parse(StateList);
    return listState(flags.config);
  }

  protected override render(result: StateListResult): void {
    renderStateList(result);
  }
}
