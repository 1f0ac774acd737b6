import { ProjectCommand } from '../../cli/base.js';
import { renderLocalStatus } from '../../cli/render/local.js';
import { loadConfig } from '../../config/load.js';
import { localStatus, type LocalStatus } from '../../local/index.js';
import { COMMAND_HELP } from '../../cli/help.js';

export default class LocalStatusCommand extends ProjectCommand<LocalStatus> {
  static override description = COMMAND_HELP['local status'].description;
  static override examples = COMMAND_HELP['local status'].examples;

  async run(): Promise<LocalStatus> {
    const { flags } = await this.parse(LocalStatusCommand);
    const { config, projectDir } = loadConfig(flags.config);
    return localStatus(config, projectDir);
  }

  protected override render(status: LocalStatus): void {
    renderLocalStatus(status);
  }
}
