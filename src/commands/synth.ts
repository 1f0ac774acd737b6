import { Flags } from '@oclif/core';
import { PlatformCommand } from '../cli/base.js';
import { color, info } from '../cli/ui.js';
import { synthesize } from '../synth.js';

export default class Synth extends PlatformCommand {
  static override description = 'Synthesize every stack for its engine (Terraform JSON through CDKTF, or the Pulumi program under mocks) without running an engine.';
  static override examples = ['<%= config.bin %> synth', '<%= config.bin %> synth --stack app/eu/payments/checkout --json'];
  static override flags = {
    config: Flags.string({ char: 'c', description: 'Path to platform.yaml.', default: 'platform.yaml' }),
    stack: Flags.string({ description: 'Only this stack ID (repeatable).', multiple: true }),
    out: Flags.string({ description: 'Where Terraform JSON goes (default .platform/synth next to platform.yaml).' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Synth);
    const result = await synthesize({ configFile: flags.config, stackIds: flags.stack, outDir: flags.out, onWarning: (m) => info(`${color.yellow('warning')} ${m}`) });
    if (flags.json) {
      this.json({ version: 1, stacks: result.stacks.map(({ file: _file, ...s }) => s) });
      return;
    }
    for (const s of result.stacks) {
      info(`${color.bold(s.id)} ${color.dim(`(${s.engine}, ${s.resources.length} resources${s.dependsOn.length ? `, after ${s.dependsOn.join(', ')}` : ''})`)}`);
    }
    const total = result.stacks.reduce((n, s) => n + s.resources.length, 0);
    info(`${result.stacks.length} stacks, ${total} resources${result.outDir ? ` → ${result.outDir}` : ''}`);
  }
}
