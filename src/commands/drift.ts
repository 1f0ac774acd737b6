import { writeFileSync } from 'node:fs';
import { Flags } from '@oclif/core';
import { ProjectCommand } from '../cli/base.js';
import { configFlag, formatFlag, reportFlag, stackFlag } from '../cli/flags.js';
import { renderMarkdown, renderTable, summaryText } from '../cli/render/drift.js';
import { info, printResult } from '../cli/ui.js';
import { checkDrift } from '../drift/run.js';
import type { DriftReport } from '../drift/types.js';
import { checkReportTarget, driftStacks, fullReportNote, writeDriftReport } from '../report/run-outputs.js';
import { COMMAND_HELP } from '../cli/help.js';

export default class Drift extends ProjectCommand<DriftReport> {
  static override description = COMMAND_HELP['drift'].description;
  static override examples = COMMAND_HELP['drift'].examples;
  static override flags = {
    config: configFlag('Path to platform.yaml (read from Git at --ref, not from the working tree).'),
    ref: Flags.string({ description: 'Git ref holding the desired state (default: the upstream of the current branch, else HEAD).' }),
    stack: stackFlag,
    format: formatFlag(),
    concurrency: Flags.integer({ description: 'List calls in flight per region.', default: 8, min: 1 }),
    'json-file': Flags.string({ description: 'Also write the JSON report to this file (e.g. as a CI artifact next to a Markdown summary).' }),
    report: reportFlag,
    timings: Flags.boolean({ description: 'Print per-phase timings on stderr.', default: false, hidden: true }),
  };

  private format = 'table';
  private atRef?: ReturnType<typeof driftStacks>;
  private reportFile?: string;

  async run(): Promise<DriftReport> {
    const { flags } = await this.parse(Drift);
    this.format = flags.format;
    if (flags.report) checkReportTarget(flags.report);
    const { report, timings, live } = await checkDrift({ configFile: flags.config, ref: flags.ref, stackIds: flags.stack, concurrency: flags.concurrency });
    if (flags['json-file']) writeFileSync(flags['json-file'], `${JSON.stringify(report, null, 2)}\n`);
    if (flags.report || this.format === 'markdown') this.atRef = driftStacks(flags.config, report);
    if (flags.report) {
      await writeDriftReport(flags.report, report, this.atRef!);
      info(`report: ${flags.report}`);
    }
    this.reportFile = flags.report;
    if (this.jsonEnabled()) info(summaryText(report));
    if (flags.timings) info(`timings ${JSON.stringify({ ...timings, live })}`);
    return report;
  }

  protected override render(report: DriftReport): void {
    if (this.format === 'markdown') {
      printResult(renderMarkdown(report, this.atRef?.stacks, { project: this.atRef?.project, fullReport: fullReportNote(this.reportFile) }));
      info(summaryText(report));
    } else printResult(renderTable(report));
  }

  protected override exitCode(report: DriftReport): number {
    return report.exitCode;
  }
}
