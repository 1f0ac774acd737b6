import { Flags } from '@oclif/core';
import { PlatformCommand } from '../../cli/base.js';
import { color, printResult } from '../../cli/ui.js';
import { loadConfig } from '../../config/load.js';
import { planStacks } from '../../stacks/plan.js';

export default class StacksList extends PlatformCommand {
  static override description = 'List the stack instances: engine, region and dependencies.';
  static override examples = ['<%= config.bin %> stacks list', '<%= config.bin %> stacks list --json'];
  static override flags = {
    config: Flags.string({ char: 'c', description: 'Path to platform.yaml.', default: 'platform.yaml' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(StacksList);
    const { config } = loadConfig(flags.config);
    const stacks = planStacks(config).map((s) => ({ id: s.id, engine: s.engine, region: s.region.name, dependsOn: s.dependsOn }));
    if (flags.json) {
      this.json({ version: 1, stacks });
      return;
    }
    const width = Math.max(...stacks.map((s) => s.id.length));
    for (const s of stacks) printResult(`${s.id.padEnd(width)}  ${s.engine.padEnd(9)} ${s.region.padEnd(6)} ${color.dim(s.dependsOn.join(', '))}`);
  }
}
