import { ProjectCommand } from '../../cli/base.js';
import { formatFlag, stackFlag } from '../../cli/flags.js';
import { printResult } from '../../cli/ui.js';
import { ExitCode } from '../../errors.js';
import type { PolicyReport } from '../../policy/types.js';
import { COMMAND_HELP } from '../../cli/help.js';

export default class PolicyCheck extends ProjectCommand<PolicyReport> {
  static override description = COMMAND_HELP['policy check'].description;
  static override examples = COMMAND_HELP['policy check'].examples;
  static override flags = { stack: stackFlag, format: formatFlag() };

  private format = 'table';

  async run(): Promise<PolicyReport> {
    const { flags } = await this.parse(PolicyCheck);
    this.format = flags.format;
    const { runPolicyCheck } = await import('../../policy/check.js');
    return runPolicyCheck({ configFile: flags.config, stackIds: flags.stack });
  }

  protected override async render(report: PolicyReport): Promise<void> {
    const { policyMarkdown, policyText } = await import('../../cli/render/policy.js');
    printResult(this.format === 'markdown' ? policyMarkdown(report) : policyText(report));
  }

  protected override exitCode(report: PolicyReport): number {
    return report.violations.some((v) => v.level === 'mandatory') ? ExitCode.policy : ExitCode.ok;
  }
}
