import { ProjectCommand } from '../../cli/base.js';
import { renderStateList } from '../../cli/render/state.js';
import { listState, type StateListResult } from '../../state-admin.js';

export default class StateList extends ProjectCommand<StateListResult> {
  static override description = 'List every stack that has state at the state location: its engine, key, last update, resource count and who holds its lock.';
  static override examples = ['<%= config.bin %> state list', '<%= config.bin %> state list --json'];

  async run(): Promise<StateListResult> {
    const { flags } = await this.parse(StateList);
    return listState(flags.config);
  }

  protected override render(result: StateListResult): void {
    renderStateList(result);
  }
}
