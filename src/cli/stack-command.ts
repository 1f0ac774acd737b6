/** What plan / apply / destroy share: selecting stacks, showing a run as it goes, Ctrl-C, the result. */
import { stripVTControlCharacters } from 'node:util';
import type { EngineEvent } from '../engines/types.js';
import { prepareOperation, type OperationOptions, type PreparedOperation, type StackOperation } from '../operations.js';
import { exitCodeOf, type RunReport } from '../orchestrate/run.js';
import { checkReportTarget, runMarkdown, writeRunOutputs } from '../report/run-outputs.js';
import type { StackInstance } from '../stacks/types.js';
import { ProjectCommand } from './base.js';
import { plainRenderer, renderRun, summaryLine, ttyRenderer, type RunRenderer } from './render/run.js';
import { info, printResult } from './ui.js';
import type { PolicyReport } from '../policy/types.js';

export { stackRunFlags } from './flags.js';

/** 128 + SIGINT: what a shell and CI runners report for an interrupted command. */
const INTERRUPTED = 130;

/** The output flags every stack command has (src/cli/flags.ts `stackRunFlags`). */
export interface RunOutputFlags {
  diff: boolean;
  format: string;
  report?: string;
}

/** Every flag of src/cli/flags.ts `stackRunFlags`, parsed. */
export interface StackRunFlagValues extends RunOutputFlags {
  config: string;
  stack?: string[];
  all: boolean;
  affected: boolean;
  base: string;
  parallel: number;
  force: boolean;
}

export abstract class StackCommand extends ProjectCommand<RunReport> {
  /** `plan --detailed-exitcode`: changes pending exit 3. */
  protected detailedExitCode = false;
  private output: RunOutputFlags = { diff: false, format: 'text' };
  private prepared?: { stacks: StackInstance[]; project: string };
  /** What printRun already showed (apply's plan, when nothing was applied): not shown twice. */
  private printed?: RunReport;

  /**
   * Selects and checks the stacks the way every stack command's flags say (src/cli/flags.ts
   * `stackRunFlags`), with Ctrl-C wired to cancel the run; `extra` adds the command's own options.
   */
  protected prepareRun(
    operation: StackOperation,
    flags: StackRunFlagValues,
    extra: Pick<OperationOptions, 'skipDrCheck' | 'yes' | 'confirm' | 'prune'> = {},
  ): Promise<PreparedOperation> {
    const controller = this.interruptible();
    const selection = { configFile: flags.config, stackIds: flags.stack, all: flags.all, affectedBase: flags.affected ? flags.base : undefined };
    return this.prepare({ operation, ...selection, parallel: flags.parallel, force: flags.force, signal: controller.signal, ...extra }, flags);
  }

  /** Loads and checks everything (report path included) before any stack runs. */
  private async prepare(options: Omit<OperationOptions, 'onEvent'>, output: RunOutputFlags): Promise<PreparedOperation> {
    if (output.report) checkReportTarget(output.report);
    this.output = output;
    const op = await prepareOperation(options);
    this.prepared = { stacks: op.stacks, project: op.project };
    return op;
  }

  /** Set by the first SIGINT/SIGTERM: the run ends with exit 130 (the shell's code for an interrupt), whatever its stacks did. */
  private interrupted = false;

  /** SIGINT once: stop starting stacks and cancel running ones cleanly; twice: leave at once. */
  protected interruptible(): AbortController {
    const controller = new AbortController();
    let count = 0;
    const onSignal = () => {
      count++;
      if (count === 1) {
        this.interrupted = true;
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

  protected async renderer(stackIds: string[], opts: { operation: string }): Promise<RunRenderer> {
    if (process.stderr.isTTY && !process.env.CI) return ttyRenderer(stackIds);
    return plainRenderer(opts);
  }

  /**
   * Runs one operation with a live display on stderr; resolves once the display has drawn its last
   * frame and the --report file (if asked for) is written.
   */
  protected async withDisplay(
    stackIds: string[],
    opts: { operation: string },
    run: (onEvent: (e: EngineEvent) => void) => Promise<RunReport>,
  ): Promise<RunReport> {
    const display = await this.renderer(stackIds, opts);
    let report: RunReport;
    try {
      report = await run((e) => display.onEvent(e));
    } finally {
      await display.close();
    }
    if (this.output.report) {
      await writeRunOutputs(this.output.report, report, this.prepared?.stacks ?? [], { project: this.prepared?.project, exitCode: this.exitCode(report) });
      info(`report: ${this.output.report}`);
    }
    return report;
  }

  /** The plan grouped per stack with its field diffs (apply shows it before asking). */
  protected printRun(report: RunReport, diff: boolean): void {
    this.printed = report;
    const text = renderRun(report, { diff });
    printResult(process.stdout.isTTY ? text : stripVTControlCharacters(text));
  }

  protected override render(report: RunReport): void {
    if (this.output.format === 'markdown') {
      printResult(
        runMarkdown(report, this.prepared?.stacks ?? [], { project: this.prepared?.project, exitCode: this.exitCode(report), report: this.output.report }),
      );
      info(summaryLine(report));
    } else if (report !== this.printed) this.printRun(report, this.output.diff);
  }

  protected override exitCode(report: RunReport): number {
    return this.interrupted ? INTERRUPTED : exitCodeOf(report, this.detailedExitCode);
  }
}
