import { ProjectCommand } from '../../cli/base.js';
import { color, info, printResult } from '../../cli/ui.js';
import { ExitCode } from '../../errors.js';
import type { TestCase } from '../../policy/opa.js';
import { COMMAND_HELP } from '../../cli/help.js';

interface PolicyTestResult {
  tests: TestCase[];
  passed: number;
  failed: number;
}

export default class PolicyTest extends ProjectCommand<PolicyTestResult> {
  static override description = COMMAND_HELP['policy test'].description;
  static override examples = COMMAND_HELP['policy test'].examples;

  async run(): Promise<PolicyTestResult> {
    const { flags } = await this.parse(PolicyTest);
    const { runPolicyTests } = await import('../../policy/check.js');
    return runPolicyTests({ configFile: flags.config });
  }

  protected override render(r: PolicyTestResult): void {
    for (const t of r.tests.filter((x) => x.outcome !== 'pass')) {
      info(`${color.red(t.outcome.toUpperCase())} ${t.package}.${t.name} ${color.dim(`${t.file}:${t.line}`)}${t.message ? `\n  ${t.message}` : ''}`);
    }
    printResult(`${r.passed} passed, ${r.failed} failed (${r.tests.length} tests)`);
  }

  protected override exitCode(r: PolicyTestResult): number {
    return r.failed > 0 ? ExitCode.failure : ExitCode.ok;
  }
}
