import { Flags } from '@oclif/core';
import { PlatformCommand } from '../../cli/base.js';
import { info } from '../../cli/ui.js';
import { loadConfig } from '../../config/load.js';
import { localDown } from '../../local/index.js';
import { renderLocalStatus } from '../../local/render.js';

export default class LocalDown extends PlatformCommand {
  static override description = "Stop this project's local clusters (their data is kept for the next `local up`; --purge deletes it).";
  static override examples = ['<%= config.bin %> local down', '<%= config.bin %> local down --purge'];
  static override flags = {
    config: Flags.string({ char: 'c', description: 'Path to platform.yaml.', default: 'platform.yaml' }),
    purge: Flags.boolean({ description: 'Delete the clusters and their data (etcd, certificates) too.', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(LocalDown);
    const { config, projectDir } = loadConfig(flags.config);
    const status = await localDown(config, projectDir, {
      purge: flags.purge,
      onProgress: (e) => {
        if (e.type === 'region-finished' && e.action !== 'none') info(`${e.action === 'delete' ? 'deleted' : 'stopped'} ${e.region} (${(e.durationMs / 1000).toFixed(1)} s)`);
      },
    });
    if (flags.json) this.json(status);
    else renderLocalStatus(status);
  }
}
