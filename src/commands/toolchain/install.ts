import { Flags } from '@oclif/core';
import { PlatformCommand } from '../../cli/base.js';
import { info } from '../../cli/ui.js';
import type { ToolStatus } from '../../toolchain/discover.js';
import { installToolchain, planInstall } from '../../toolchain/install.js';
import { COMMAND_HELP } from '../../cli/help.js';

export default class ToolchainInstall extends PlatformCommand<{ tools: ToolStatus[] }> {
  static override description = COMMAND_HELP['toolchain install'].description;
  static override examples = COMMAND_HELP['toolchain install'].examples;
  static override flags = {
    only: Flags.string({
      description: 'Run only this step (repeatable): a build (etcd, kwok, kubernetes, tofu, …), crds, pulumi-nodejs-shim or tofu-mirror.',
      multiple: true,
    }),
    'test-servers': Flags.boolean({
      description: "Also install the object stores this project's own tests run state against: moto (S3, a Python venv), fake-gcs-server (Go), Azurite (npm).",
    }),
  };

  private started = Date.now();
  private built = 0;

  async run(): Promise<{ tools: ToolStatus[] }> {
    const { flags } = await this.parse(ToolchainInstall);
    const testServers = flags['test-servers'];
    const needed = planInstall(flags.only, testServers).filter((s) => s.needed);
    this.built = needed.length;
    if (needed.length === 0) return { tools: await installToolchain({ only: flags.only, testServers }) };
    const abort = new AbortController();
    const onSigint = () => abort.abort();
    process.once('SIGINT', onSigint);
    try {
      // listr2 is loaded only when there is something to show progress for.
      const { withStepProgress } = await import('../../cli/render/progress.js');
      const tools = await withStepProgress(needed, (report) =>
        installToolchain({
          only: flags.only,
          testServers,
          signal: abort.signal,
          onProgress: (e) => {
            if (e.type === 'step-started') report.started(e.step);
            else if (e.type === 'step-output') report.output(e.step, e.line);
            else if (e.type === 'step-finished') report.finished(e.step, `${e.title} (${(e.durationMs / 1000).toFixed(1)} s)`);
            else if (e.type === 'step-skipped') report.skipped(e.step, 'already done');
            else if (e.type === 'step-failed') report.failed(e.step, e.error);
            else if (e.type === 'waiting-for-lock') info(`waiting for another toolchain install (${e.holder}) to finish…`);
          },
        }),
      );
      return { tools };
    } finally {
      process.off('SIGINT', onSigint);
    }
  }

  protected override render({ tools }: { tools: ToolStatus[] }): void {
    const fromPath = tools.filter((t) => t.source === 'path').length;
    info(
      this.built
        ? `toolchain ready in ${((Date.now() - this.started) / 1000).toFixed(1)} s (${tools.length} tools, ${fromPath} from PATH)`
        : `toolchain up to date (${tools.length} tools, ${fromPath} from PATH); \`platform toolchain status\` shows where each comes from`,
    );
  }
}
