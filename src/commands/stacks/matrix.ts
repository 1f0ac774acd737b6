import { Flags } from '@oclif/core';
import { PlatformCommand } from '../../cli/base.js';
import { printJson } from '../../cli/ui.js';
import { loadConfig } from '../../config/load.js';
import { affectedStacks } from '../../orchestrate/affected.js';
import { planStacks } from '../../stacks/plan.js';

export default class StacksMatrix extends PlatformCommand {
  static override description = 'Print a GitHub Actions matrix ({"include":[{"stack","region","engine"}]}) for one job per stack.';
  static override examples = ['echo "matrix=$(<%= config.bin %> stacks matrix)" >> "$GITHUB_OUTPUT"'];
  static override flags = {
    config: Flags.string({ char: 'c', description: 'Path to platform.yaml.', default: 'platform.yaml' }),
    affected: Flags.boolean({ description: 'Only stacks whose synthesized output changed since the merge base with --base.', default: false }),
    base: Flags.string({ description: 'The ref --affected compares with.', default: 'origin/main', dependsOn: ['affected'] }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(StacksMatrix);
    const stacks = flags.affected ? affectedStacks(loadConfig(flags.config), flags.base).stacks.map((a) => a.stack) : planStacks(loadConfig(flags.config).config);
    const include = stacks.map((s) => ({ stack: s.id, region: s.region.name, engine: s.engine }));
    // Always compact and on one line: it goes straight into $GITHUB_OUTPUT.
    if (flags.json) printJson({ include });
    else process.stdout.write(`${JSON.stringify({ include })}\n`);
  }
}
