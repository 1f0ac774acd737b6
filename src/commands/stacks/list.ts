import { ProjectCommand } from '../../cli/base.js';
import { affectedFlags, affectedForFlag } from '../../cli/flags.js';
import { color, printResult } from '../../cli/ui.js';
import { loadConfig } from '../../config/load.js';
import { affectedStacks } from '../../orchestrate/affected.js';
import { planStacks } from '../../stacks/plan.js';
import { COMMAND_HELP } from '../../cli/help.js';

interface ListedStack {
  id: string;
  engine: string;
  region: string;
  dependsOn: string[];
  /** With --affected: why the stack is listed. */
  reason?: string;
}

export default class StacksList extends ProjectCommand<{ stacks: ListedStack[] }> {
  static override description = COMMAND_HELP['stacks list'].description;
  static override examples = COMMAND_HELP['stacks list'].examples;
  static override flags = {
    ...affectedFlags,
    for: affectedForFlag,
  };

  async run(): Promise<{ stacks: ListedStack[] }> {
    const { flags } = await this.parse(StacksList);
    const listed = flags.affected
      ? affectedStacks(loadConfig(flags.config), flags.base, flags.for as 'plan' | 'apply' | 'destroy').stacks
      : planStacks(loadConfig(flags.config).config).map((stack) => ({ stack, reason: undefined }));
    return {
      stacks: listed.map(({ stack: s, reason }) => ({
        id: s.id,
        engine: s.engine,
        region: s.region.name,
        dependsOn: s.dependsOn,
        ...(reason ? { reason } : {}),
      })),
    };
  }

  protected override render({ stacks }: { stacks: ListedStack[] }): void {
    if (stacks.length === 0) return;
    const width = Math.max(...stacks.map((s) => s.id.length));
    for (const s of stacks) printResult(`${s.id.padEnd(width)}  ${s.engine.padEnd(9)} ${s.region.padEnd(6)} ${color.dim(s.reason ?? s.dependsOn.join(', '))}`);
  }
}
