import { Flags } from '@oclif/core';
import { PlatformCommand } from '../../cli/base.js';
import { color, info } from '../../cli/ui.js';
import { loadConfig } from '../../config/load.js';
import { checkDr } from '../../dr/check.js';
import { ExitCode } from '../../errors.js';
import { planStacks } from '../../stacks/plan.js';

export default class DrCheck extends PlatformCommand {
  static override description = 'Check the disaster-recovery invariants: each rule passes or fails with the reason (exit 2 when one fails).';
  static override examples = ['<%= config.bin %> dr check', '<%= config.bin %> dr check --json'];
  static override flags = {
    config: Flags.string({ char: 'c', description: 'Path to platform.yaml.', default: 'platform.yaml' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(DrCheck);
    const { config } = loadConfig(flags.config);
    const report = checkDr(config, planStacks(config));
    if (flags.json) this.json(report);
    else for (const r of report.rules) info(`${r.ok ? color.green('pass') : color.red('FAIL')} ${r.name}: ${r.why}`);
    if (report.rules.some((r) => !r.ok)) this.setExitCode(ExitCode.usage);
  }
}
