/** Flags and rendering shared by plan / apply / destroy: one way to select stacks and show a run. */
import { availableParallelism } from 'node:os';
import { Flags } from '@oclif/core';
import type { EngineEvent } from '../engines/types.js';
import { plainRenderer, summaryLine, ttyRenderer, type RunRenderer } from '../orchestrate/render.js';
import type { RunReport } from '../orchestrate/run.js';
import { PlatformCommand } from './base.js';
import { info } from './ui.js';

export const stackFlags = {
  config: Flags.string({ char: 'c', description: 'Path to platform.yaml.', default: 'platform.yaml' }),
  stack: Flags.string({ description: 'A stack ID (repeatable); see `platform stacks list`.', multiple: true }),
  all: Flags.boolean({ description: 'Every stack.', default: false }),
  affected: Flags.boolean({ description: 'The stacks whose synthesized output changed since the merge base with --base (apply/destroy: and their dependents).', default: false }),
  base: Flags.string({ description: 'The ref --affected compares with.', default: 'origin/main', dependsOn: ['affected'] }),
  parallel: Flags.integer({ description: 'Stacks run at once (independent ones only).', default: availableParallelism(), min: 1 }),
  diff: Flags.boolean({ description: 'Show per-field changes.', default: false }),
  'skip-dr-check': Flags.boolean({ description: 'Plan/apply even when `platform dr check` fails.', default: false }),
  force: Flags.boolean({ description: 'Take over fields another field manager owns (server-side apply conflicts).', default: false }),
};

export abstract class StackCommand extends PlatformCommand {
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

  protected async renderer(stackIds: string[], opts: { diff: boolean; operation: string; json: boolean }): Promise<RunRenderer> {
    if (process.stderr.isTTY && !process.env.CI) return ttyRenderer(stackIds, opts);
    return plainRenderer(opts);
  }

  protected async show(report: RunReport, renderer: RunRenderer, json: boolean): Promise<void> {
    await renderer.close();
    if (json) this.json(report);
    info(summaryLine(report));
  }

  protected events(renderer: RunRenderer): (e: EngineEvent) => void {
    return (e) => renderer.onEvent(e);
  }
}
