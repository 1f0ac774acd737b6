import { Flags } from '@oclif/core';
import { ProjectCommand } from '../../cli/base.js';
import { renderLocalStatus } from '../../cli/render/local.js';
import { info } from '../../cli/ui.js';
import { loadConfig } from '../../config/load.js';
import { localDown, type LocalStatus } from '../../local/index.js';
import { COMMAND_HELP } from '../../cli/help.js';

export default class LocalDown extends ProjectCommand<LocalStatus> {
  static override description = COMMAND_HELP['local down'].description;
  static override examples = COMMAND_HELP['local down'].examples;
  static override flags = {
    purge: Flags.boolean({ description: 'Delete the clusters and their data (etcd, certificates) too.', default: false }),
  };

  async run(): Promise<LocalStatus> {
    const { flags } = await this.parse(LocalDown);
    const { config, projectDir } = loadConfig(flags.config);
    return localDown(config, projectDir, {
      purge: flags.purge,
      onProgress: (e) => {
        if (e.type === 'region-finished' && e.action !== 'none')
          info(`${e.action === 'delete' ? 'deleted' : 'stopped'} ${e.region} (${(e.durationMs / 1000).toFixed(1)} s)`);
      },
    });
  }

  protected override render(status: LocalStatus): void {
    renderLocalStatus(status);
  }
}
