import { ProjectCommand } from '../../cli/base.js';
import { renderLocalStatus } from '../../cli/render/local.js';
import { loadConfig } from '../../config/load.js';
import { localStatus, type LocalStatus } from '../../local/index.js';

export default class LocalStatusCommand extends ProjectCommand<LocalStatus> {
  static override description = 'Show each local region: running, stopped or absent, its API server and kubeconfig context.';
  static override examples = ['<%= config.bin %> local status', '<%= config.bin %> local status --json'];

  async run(): Promise<LocalStatus> {
    const { flags } = await this.parse(LocalStatusCommand);
    const { config, projectDir } = loadConfig(flags.config);
    return localStatus(config, projectDir);
  }

  protected override render(status: LocalStatus): void {
    renderLocalStatus(status);
  }
}
