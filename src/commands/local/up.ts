import { Flags } from '@oclif/core';
import { ProjectCommand } from '../../cli/base.js';
import { renderLocalStatus, reportLocalEvent } from '../../cli/render/local.js';
import { info } from '../../cli/ui.js';
import { loadConfig } from '../../config/load.js';
import { UsageError } from '../../errors.js';
import { localRegions, localStatus, localUp, type LocalStatus } from '../../local/index.js';
import { COMMAND_HELP } from '../../cli/help.js';

export default class LocalUp extends ProjectCommand<LocalStatus> {
  static override description = COMMAND_HELP['local up'].description;
  static override examples = COMMAND_HELP['local up'].examples;
  static override flags = {
    nodes: Flags.integer({ description: 'Fake (kwok) nodes per new cluster.', default: 2, min: 1, max: 100 }),
  };

  private started = Date.now();

  async run(): Promise<LocalStatus> {
    const { flags } = await this.parse(LocalUp);
    const { config, projectDir } = loadConfig(flags.config);
    const regions = localRegions(config);
    if (regions.length === 0)
      throw new UsageError(
        `${flags.config} has no region with \`cloud: local\` (and no \`cluster:\` of its own)`,
        [],
        'Add one, e.g. `{ name: eu, cloud: local, location: local-eu, role: primary }`.',
      );
    this.started = Date.now();
    // Everything running: nothing to show progress for (and listr2 is not even loaded).
    const allRunning = (await localStatus(config, projectDir)).regions.every((r) => r.state === 'running');
    if (allRunning) return localUp(config, projectDir, { nodes: flags.nodes });
    const { withStepProgress } = await import('../../cli/render/progress.js');
    return withStepProgress(
      regions.map((r) => ({ id: r.name, title: `region ${r.name}` })),
      (report) => localUp(config, projectDir, { nodes: flags.nodes, onProgress: (e) => reportLocalEvent(report, e) }),
      { concurrent: true },
    );
  }

  protected override render(status: LocalStatus): void {
    renderLocalStatus(status);
    info(`local plane up in ${((Date.now() - this.started) / 1000).toFixed(1)} s; kubeconfig: ${status.kubeconfig}`);
  }
}
