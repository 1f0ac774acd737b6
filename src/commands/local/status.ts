import { Flags } from '@oclif/core';
import { PlatformCommand } from '../../cli/base.js';
import { loadConfig } from '../../config/load.js';
import { localStatus } from '../../local/index.js';
import { renderLocalStatus } from '../../local/render.js';

export default class LocalStatus extends PlatformCommand {
  static override description = 'Show each local region: running, stopped or absent, its API server and kubeconfig context.';
  static override examples = ['<%= config.bin %> local status', '<%= config.bin %> local status --json'];
  static override flags = {
    config: Flags.string({ char: 'c', description: 'Path to platform.yaml.', default: 'platform.yaml' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(LocalStatus);
    const { config, projectDir } = loadConfig(flags.config);
    const status = await localStatus(config, projectDir);
    if (flags.json) this.json(status);
    else renderLocalStatus(status);
  }
}
