import { Flags } from '@oclif/core';
import { PlatformCommand } from '../../cli/base.js';
import { info } from '../../cli/ui.js';
import { installToolchain, planInstall } from '../../toolchain/install.js';

export default class ToolchainInstall extends PlatformCommand {
  static override description =
    'Build the pinned engines and control-plane binaries from the Go module proxy into the cache (once), unless PATH already has them.';
  static override examples = ['<%= config.bin %> toolchain install', '<%= config.bin %> toolchain install --only tofu --only tofu-mirror'];
  static override flags = {
    only: Flags.string({ description: 'Run only this step (repeatable): a build (etcd, kwok, kubernetes, tofu, …), crds, pulumi-nodejs-shim or tofu-mirror.', multiple: true }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ToolchainInstall);
    const plan = planInstall(flags.only);
    const needed = plan.filter((s) => s.needed);
    const abort = new AbortController();
    const onSigint = () => abort.abort();
    process.once('SIGINT', onSigint);
    const started = Date.now();
    try {
      // listr2 is loaded only when there is something to show progress for.
      const withStepProgress = needed.length ? (await import('../../toolchain/progress.js')).withStepProgress : undefined;
      const tools = withStepProgress
        ? await withStepProgress(needed, (report) =>
            installToolchain({
              only: flags.only,
              signal: abort.signal,
              onProgress: (e) => {
                if (e.type === 'step-started') report.started(e.step);
                else if (e.type === 'step-output') report.output(e.step, e.line);
                else if (e.type === 'step-finished') report.finished(e.step, `${e.title} (${(e.durationMs / 1000).toFixed(1)} s)`);
                else if (e.type === 'step-skipped') report.skipped(e.step, 'already done');
                else if (e.type === 'step-failed') report.failed(e.step, e.error);
                else if (e.type === 'waiting-for-lock') info(`waiting for another toolchain install (pid ${e.holderPid}) to finish…`);
              },
            }),
          )
        : await installToolchain({ only: flags.only });
      if (flags.json) this.json({ tools });
      else {
        const fromPath = tools.filter((t) => t.source === 'path').length;
        info(
          needed.length
            ? `toolchain ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${tools.length} tools, ${fromPath} from PATH)`
            : `toolchain up to date (${tools.length} tools, ${fromPath} from PATH); \`platform toolchain status\` shows where each comes from`,
        );
      }
    } finally {
      process.off('SIGINT', onSigint);
    }
  }
}
