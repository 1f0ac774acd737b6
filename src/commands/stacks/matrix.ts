import { ProjectCommand } from '../../cli/base.js';
import { affectedFlags } from '../../cli/flags.js';
import { printResult } from '../../cli/ui.js';
import { loadConfig } from '../../config/load.js';
import { affectedStacks } from '../../orchestrate/affected.js';
import { planStacks } from '../../stacks/plan.js';
import { COMMAND_HELP } from '../../cli/help.js';

interface Matrix {
  include: Array<{ stack: string; region: string; engine: string }>;
}

export default class StacksMatrix extends ProjectCommand<Matrix> {
  static override description = COMMAND_HELP['stacks matrix'].description;
  static override examples = COMMAND_HELP['stacks matrix'].examples;
  static override flags = affectedFlags;

  async run(): Promise<Matrix> {
    const { flags } = await this.parse(StacksMatrix);
    const stacks = flags.affected
      ? affectedStacks(loadConfig(flags.config), flags.base).stacks.map((a) => a.stack)
      : planStacks(loadConfig(flags.config).config);
    return { include: stacks.map((s) => ({ stack: s.id, region: s.region.name, engine: s.engine })) };
  }

  /** Compact, on one line, the matrix alone: it goes straight into $GITHUB_OUTPUT. */
  protected override render(matrix: Matrix): void {
    printResult(JSON.stringify({ include: matrix.include }));
  }
}
