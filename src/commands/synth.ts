import { Flags } from '@oclif/core';
import { ProjectCommand } from '../cli/base.js';
import { stackFlag } from '../cli/flags.js';
import { color, info } from '../cli/ui.js';
import { plural } from '../text.js';
import { synthesize, type SynthStack } from '../synth.js';
import { COMMAND_HELP } from '../cli/help.js';

interface SynthResult {
  stacks: Array<Omit<SynthStack, 'file'>>;
}

export default class Synth extends ProjectCommand<SynthResult> {
  static override description = COMMAND_HELP['synth'].description;
  static override examples = COMMAND_HELP['synth'].examples;
  static override flags = {
    stack: stackFlag,
    out: Flags.string({ description: 'Where Terraform JSON goes (default .platform/synth next to platform.yaml).' }),
  };

  async run(): Promise<SynthResult> {
    const { flags } = await this.parse(Synth);
    const result = await synthesize({
      configFile: flags.config,
      stackIds: flags.stack,
      outDir: flags.out,
      onWarning: (m) => info(`${color.yellow('warning')} ${m}`),
    });
    this.outDir = result.outDir;
    return { stacks: result.stacks.map(({ file: _file, ...s }) => s) };
  }

  /** Where Terraform JSON was written (terraform engine), for the human summary. */
  private outDir: string | undefined;

  protected override render(result: SynthResult): void {
    for (const s of result.stacks) {
      info(
        `${color.bold(s.id)} ${color.dim(`(${s.engine}, ${plural(s.resources.length, 'resource')}${s.dependsOn.length ? `, after ${s.dependsOn.join(', ')}` : ''})`)}`,
      );
    }
    const total = result.stacks.reduce((n, s) => n + s.resources.length, 0);
    info(`${plural(result.stacks.length, 'stack')}, ${plural(total, 'resource')}${this.outDir ? ` → ${this.outDir}` : ''}`);
  }
}
