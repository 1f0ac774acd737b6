/**
 * What plan/apply/destroy and drift write besides their JSON: the HTML report (--report) and the
 * Markdown summary (--format markdown), from the command's result and the stacks it ran.
 */
import type { DriftReport } from '../drift/types.js';
import { loadConfigAtRef } from '../git/index.js';
import type { RunReport } from '../orchestrate/run.js';
import { planStacks } from '../stacks/plan.js';
import type { StackInstance } from '../stacks/types.js';
import { costCommentMarkdown } from '../cost/render.js';
import { writeWhole } from './files.js';
import { htmlReport } from './html.js';
import { reportMarkdown } from './markdown.js';
import { driftReportModel, runReportModel } from './model.js';

export { checkReportTarget } from './files.js';

export interface RunOutputMeta {
  project?: string;
  exitCode: number;
}

export async function writeRunOutputs(file: string, report: RunReport, stacks: StackInstance[], meta: RunOutputMeta): Promise<void> {
  writeWhole(file, await htmlReport(runReportModel(report, stacks, meta)));
}

/** The stacks of platform.yaml at the ref a drift check compared with: their layers, regions and edges. */
export function driftStacks(configFile: string, report: DriftReport): { stacks: StackInstance[]; project: string } {
  const { config } = loadConfigAtRef(configFile, report.ref);
  return { stacks: planStacks(config), project: config.name };
}

export async function writeDriftReport(file: string, report: DriftReport, at: { stacks: StackInstance[]; project: string }): Promise<void> {
  writeWhole(file, await htmlReport(driftReportModel(report, at.stacks, { project: at.project })));
}

/** Where the full report is, for the note in a shortened Markdown summary. */
export function fullReportNote(file: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!file) return undefined;
  const run =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? ` (if uploaded as an artifact: [this workflow run](${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}))`
      : '';
  return `the HTML report \`${file}\`${run}`;
}

export function runMarkdown(report: RunReport, stacks: StackInstance[], meta: RunOutputMeta & { report?: string }): string {
  const cost = report.cost?.delta && costCommentMarkdown(report.cost.delta);
  return reportMarkdown(runReportModel(report, stacks, meta), { fullReport: fullReportNote(meta.report), ...(cost ? { cost } : {}) });
}
