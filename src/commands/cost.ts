import { Flags } from '@oclif/core';
import { PlatformCommand } from '../cli/base.js';
import { info, printResult } from '../cli/ui.js';
import { renderCostMarkdown, renderCostTable, signedUsd, usd } from '../cost/render.js';
import { runCost } from '../cost/run.js';

export default class Cost extends PlatformCommand {
  static override description =
    'Monthly cost per stack, region and tenant and in total, from the price tables that ship with platform (offline, both engines, Kubernetes workloads included). With --base: before, after and the difference per stack and line. Exit 0, or 2 for usage errors and invalid config, usage or price files.';
  static override examples = [
    '<%= config.bin %> cost',
    '<%= config.bin %> cost --base origin/main --format markdown >> "$GITHUB_STEP_SUMMARY"',
    '<%= config.bin %> cost --stack cluster/eu --json',
    '<%= config.bin %> cost --prices my-prices/azure.json',
  ];
  static override flags = {
    config: Flags.string({ char: 'c', description: 'Path to platform.yaml.', default: 'platform.yaml' }),
    stack: Flags.string({ description: 'Only this stack ID (repeatable).', multiple: true }),
    base: Flags.string({ description: 'Also price platform.yaml at the merge base of this ref and HEAD (e.g. origin/main), and show the difference.' }),
    format: Flags.string({ description: 'Output on stdout: a table, Markdown (PR comment / job summary) or JSON (same as --json).', options: ['table', 'markdown', 'json'], default: 'table' }),
    prices: Flags.string({ description: 'A price table (the shape of prices/<cloud>.json) whose prices replace the shipped ones (repeatable; later files win).', multiple: true }),
  };

  /** `--format json` is `--json`: the report and any error are one JSON document. */
  protected override get jsonMode(): boolean {
    const i = this.argv.indexOf('--format');
    return super.jsonMode || this.argv.includes('--format=json') || (i !== -1 && this.argv[i + 1] === 'json');
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Cost);
    const report = runCost({ configFile: flags.config, stackIds: flags.stack, base: flags.base, priceFiles: flags.prices });
    if (this.jsonMode) this.json(report);
    else if (flags.format === 'markdown') printResult(renderCostMarkdown(report));
    else printResult(renderCostTable(report));
    if (this.jsonMode || flags.format !== 'table') {
      const change = report.delta ? `, ${signedUsd(report.delta.total.difference)} against ${report.delta.base.ref}` : '';
      info(`estimated ${usd(report.total.monthly)} USD per month${change}; ${report.notPriced.length} item(s) not priced`);
    }
  }
}
