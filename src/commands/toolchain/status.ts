import { PlatformCommand } from '../../cli/base.js';
import { color, info, printResult } from '../../cli/ui.js';
import type { ToolStatus } from '../../toolchain/discover.js';
import { toolchainDir } from '../../toolchain/layout.js';
import { toolchainStatus } from '../../toolchain/install.js';
import { COMMAND_HELP } from '../../cli/help.js';

export default class ToolchainStatus extends PlatformCommand<{ tools: ToolStatus[] }> {
  static override description = COMMAND_HELP['toolchain status'].description;
  static override examples = COMMAND_HELP['toolchain status'].examples;

  async run(): Promise<{ tools: ToolStatus[] }> {
    await this.parse(ToolchainStatus);
    return { tools: toolchainStatus() };
  }

  protected override render({ tools }: { tools: ToolStatus[] }): void {
    const width = Math.max(...tools.map((t) => t.name.length));
    for (const t of tools) {
      const source = t.source === 'missing' ? color.red('missing') : t.source === 'path' ? color.cyan('path') : color.green('cache');
      // Why this copy: a PATH version in range, the pinned cache build, or what to do when it is missing.
      const note = t.source !== 'cache' || t.ignoredOnPath ? color.dim(`  (${t.reason})`) : '';
      printResult(`${t.name.padEnd(width)}  ${t.version.padEnd(9)}  ${source.padEnd(7)}  ${t.path ?? ''}${note}`);
    }
    info(color.dim(`cache: ${toolchainDir()}`));
    if (tools.some((t) => t.source === 'missing')) info('some tools are missing: run `platform toolchain install`');
  }

  /** Missing tools are a failed check (scripts can gate on it), but the answer is still printed. */
  protected override exitCode({ tools }: { tools: ToolStatus[] }): number {
    return tools.some((t) => t.source === 'missing') ? 1 : 0;
  }
}
