import { Flags } from '@oclif/core';
import { ProjectCommand } from '../../cli/base.js';
import { color, info } from '../../cli/ui.js';
import { loadConfig } from '../../config/load.js';
import { drill, revertDrill, type DrillReport, type DrillRevert } from '../../dr/drill.js';
import { UsageError } from '../../errors.js';
import { COMMAND_HELP } from '../../cli/help.js';

type DrillResult = DrillReport | DrillRevert;

export default class DrDrill extends ProjectCommand<DrillResult> {
  static override description = COMMAND_HELP['dr drill'].description;
  static override examples = COMMAND_HELP['dr drill'].examples;
  static override flags = {
    from: Flags.string({ description: 'The primary region to fail.' }),
    to: Flags.string({ description: 'The DR region to take over.' }),
    revert: Flags.boolean({ description: 'Undo the last drill (restart the primary, remove restored objects).', default: false }),
  };

  async run(): Promise<DrillResult> {
    const { flags } = await this.parse(DrDrill);
    const { config, projectDir } = loadConfig(flags.config);
    const step = (line: string) => info(color.dim(line));
    if (flags.revert) return revertDrill(config, projectDir, step);
    if (!flags.from || !flags.to) throw new UsageError('dr drill needs --from REGION and --to REGION (or --revert)');
    return drill(config, projectDir, flags.from, flags.to, step);
  }

  protected override render(r: DrillResult): void {
    if ('removed' in r) {
      info(`reverted: ${r.from} is running again, ${r.removed} restored objects removed from ${r.to}`);
      return;
    }
    info(`backup: ${r.backup.objects} objects → ${r.backup.dir}`);
    info(`restored into ${r.to}: ${r.restored.created} created, ${r.restored.existing} already there`);
    info(`${r.rtoMet ? color.green('RTO met') : color.red('RTO missed')}: recovered in ${r.timeToRecoverySeconds} s (target ${r.rtoMinutes} min)`);
    info(
      `${r.rpoMet ? color.green('RPO met') : color.red('RPO missed')}: newest backup was ${r.backupAgeSeconds} s old at the disaster (target ${r.rpoMinutes} min)`,
    );
    info(`${r.to} is primary now${r.gatewayHosts.length ? ` for ${r.gatewayHosts.join(', ')}` : ''}; undo with \`platform dr drill --revert\``);
  }
}
