import { Flags } from '@oclif/core';
import { ProjectCommand } from '../cli/base.js';
import { formatFlag, stackFlag } from '../cli/flags.js';
import { info, printResult } from '../cli/ui.js';
import { renderCostMarkdown, renderCostTable, signedUsd, unrenderedInstallsText, usd } from '../cost/render.js';
import { runCost } from '../cost/run.js';
import type { CostReport } from '../cost/types.js';
import { COMMAND_HELP } from '../cli/help.js';

export default class Cost extends ProjectCommand<CostReport> {
  static override description = COMMAND_HELP['cost'].description;
  static override examples = COMMAND_HELP['cost'].examples;
  static override flags = {
    stack: stackFlag,
    base: Flags.string({ description: 'Also price platform.yaml at the merge base of this ref and HEAD (e.g. origin/main), and show the difference.' }),
    format: formatFlag(),
    prices: Flags.string({
      description: 'A price table (the shape of prices/<cloud>.json) whose prices replace the shipped ones (repeatable; later files win).',
      multiple: true,
    }),
  };

  private format = 'table';

  async run(): Promise<CostReport> {
    const { flags } = await this.parse(Cost);
    this.format = flags.format;
    const report = runCost({ configFile: flags.config, stackIds: flags.stack, base: flags.base, priceFiles: flags.prices });
    if (this.jsonEnabled()) info(this.summary(report));
    return report;
  }

  protected override render(report: CostReport): void {
    printResult(this.format === 'markdown' ? renderCostMarkdown(report) : renderCostTable(report));
    if (this.format === 'markdown') info(this.summary(report));
  }

  private summary(report: CostReport): string {
    const change = report.delta ? `, ${signedUsd(report.delta.total.difference)} against ${report.delta.base.ref}` : '';
    const unrendered = unrenderedInstallsText(report);
    return `estimated ${usd(report.total.monthly)} USD per month${change}; ${report.notPriced.length} item(s) not priced${unrendered ? `\n${unrendered}` : ''}`;
  }
}
