import { Flags } from '@oclif/core';
import { ProjectCommand } from '../cli/base.js';
import { affectedFlags, affectedForFlag, formatFlag } from '../cli/flags.js';
import { info, printResult } from '../cli/ui.js';
import { UsageError } from '../errors.js';
import { drawGraph, type GraphFormat, type StackGraph } from '../report/graph.js';
import { projectGraph } from '../report/files.js';
import { COMMAND_HELP } from '../cli/help.js';

export default class Graph extends ProjectCommand<StackGraph> {
  static override description = COMMAND_HELP['graph'].description;
  static override examples = COMMAND_HELP['graph'].examples;
  static override flags = {
    format: formatFlag(
      ['mermaid', 'dot', 'svg', 'json'],
      'mermaid (renders in GitHub Markdown), dot (Graphviz), svg (laid out by Graphviz, no install needed) or json (same as --json).',
    ),
    status: Flags.string({ description: 'Colour stacks by their status in this saved `plan|apply|destroy|drift --json` file.', helpValue: 'FILE.json' }),
    grouped: Flags.boolean({
      description: 'One node per region and layer, with counts (large estates: GitHub draws at most 500 Mermaid edges).',
      default: false,
    }),
    ...affectedFlags,
    for: affectedForFlag,
  };

  private text = '';

  async run(): Promise<StackGraph> {
    const { flags } = await this.parse(Graph);
    if (flags.grouped && this.jsonEnabled())
      throw new UsageError('--grouped changes the drawing; the JSON graph always has every stack', [], 'Drop --grouped, or pick --format mermaid, dot or svg.');
    const { graph, notInGraph } = projectGraph({
      configFile: flags.config,
      affectedBase: flags.affected ? flags.base : undefined,
      affectedFor: flags.for as 'plan' | 'apply' | 'destroy',
      statusFile: flags.status,
    });
    if (notInGraph.length)
      info(`${notInGraph.length} stack(s) in ${flags.status} are not in this graph: ${notInGraph.slice(0, 5).join(', ')}${notInGraph.length > 5 ? ', …' : ''}`);
    if (!this.jsonEnabled()) this.text = await drawGraph(graph, flags.format as GraphFormat, { grouped: flags.grouped });
    return { nodes: graph.nodes, edges: graph.edges };
  }

  protected override render(): void {
    printResult(this.text.trimEnd());
  }
}
