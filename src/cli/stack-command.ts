/** What plan / apply / destroy share: selecting stacks, showing a run as it goes, Ctrl-C, the result. */
import type { EngineEvent } from '../engines/types.js';
import { exitCodeOf, type RunReport } from '../orchestrate/run.js';
import { PlatformCommand } from './base.js';
import { plainRenderer, summaryLine, ttyRenderer, type RunRenderer } from './render/run.js';
import { info } from './ui.js';
import type { PolicyReport } from '../policy/types.js';

export { stackRunFlags } from './flags.js';

export abstract class StackCommand extends PlatformCommand<RunReport> {
  /** `plan --detailed-exitcode`: changes pending exit 3. */
  protected detailedExitCode = false;

  /** SIGINT once: stop starting stacks and cancel running ones cleanly; twice: leave at once. */
  protected interruptible(): AbortController {
    const controller = new AbortController();
    let count = 0;
    const onSignal = () => {
      count++;
      if (count === 1) {
        info('interrupted: cancelling running stacks (Ctrl-C again to leave at once)');
        controller.abort();
      } else process.exit(130);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    return controller;
  }

  /** Advisory violations (and what waivers let through) on stderr before the run starts. */
  protected async showPolicy(policy: PolicyReport | undefined): Promise<void> {
    if (!policy || (policy.violations.length === 0 && policy.waived.length === 0)) return;
    info((await import('./render/policy.js')).policyText(policy));
  }

  protected async renderer(stackIds: string[], opts: { diff: boolean; operation: string }): Promise<RunRenderer> {
    if (process.stderr.isTTY && !process.env.CI) return ttyRenderer(stackIds, opts);
    return plainRenderer(opts);
  }

  /** Runs one operation with a live display on stderr; resolves once the display has drawn its last frame. */
  protected async withDisplay(stackIds: string[], opts: { diff: boolean; operation: string }, run: (onEvent: (e: EngineEvent) => void) => Promise<RunReport>): Promise<RunReport> {
    const display = await this.renderer(stackIds, opts);
    try {
      return await run((e) => display.onEvent(e));
    } finally {
      await display.close();
    }
  }

  protected override render(report: RunReport): void {
    info(summaryLine(report));
  }

  protected override exitCode(report: RunReport): number {
    return exitCodeOf(report, this.detailedExitCode);
  }
}
