import { ProjectCommand } from '../../cli/base.js';
import { color, info } from '../../cli/ui.js';
import { loadConfig } from '../../config/load.js';
import { checkDr, type DrReport } from '../../dr/check.js';
import { ExitCode } from '../../errors.js';
import { planStacks } from '../../stacks/plan.js';
import { COMMAND_HELP } from '../../cli/help.js';

export default class DrCheck extends ProjectCommand<DrReport> {
  static override description = COMMAND_HELP['dr check'].description;
  static override examples = COMMAND_HELP['dr check'].examples;

  async run(): Promise<DrReport> {
    const { flags } = await this.parse(DrCheck);
    const { config } = loadConfig(flags.config);
    return checkDr(config, planStacks(config));
  }

  protected override render(report: DrReport): void {
    for (const r of report.rules) info(`${r.ok ? color.green('pass') : color.red('FAIL')} ${r.name}: ${r.why}`);
  }

  protected override exitCode(report: DrReport): number {
    return report.rules.some((r) => !r.ok) ? ExitCode.usage : ExitCode.ok;
  }
}
