import { ProjectCommand } from '../../cli/base.js';
import { formatFlag, stackFlag } from '../../cli/flags.js';
import { printResult } from '../../cli/ui.js';
import { ExitCode } from '../../errors.js';
import type { PolicyReport } from '../../policy/types.js';

export default class PolicyCheck extends ProjectCommand<PolicyReport> {
  static override description =
    'Check the stacks against the built-in policy pack and policies/*.rego beside platform.yaml (OPA), as plan and apply do before any engine starts. Every violation names its stack, object, policy, level and the platform.yaml line behind it. Exit 4 when a mandatory policy is violated, 2 for invalid config or policies.';
  static override examples = [
    '<%= config.bin %> policy check',
    '<%= config.bin %> policy check --stack app/eu/payments/checkout --json',
    '<%= config.bin %> policy check --format markdown >> "$GITHUB_STEP_SUMMARY"',
  ];
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
