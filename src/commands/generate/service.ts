import { Args, Flags } from '@oclif/core';
import { ProjectCommand } from '../../cli/base.js';
import { color, info } from '../../cli/ui.js';
import { generateService, type GenerateServiceResult } from '../../generate/service.js';
import { COMMAND_HELP } from '../../cli/help.js';

export default class GenerateService extends ProjectCommand<GenerateServiceResult> {
  static override description = COMMAND_HELP['generate service'].description;
  static override examples = COMMAND_HELP['generate service'].examples;
  static override args = { name: Args.string({ description: 'Service name (DNS-1123 label).', required: true }) };
  static override flags = {
    tenant: Flags.string({ description: 'The tenant that owns the service.', required: true }),
    image: Flags.string({ description: 'Container image (default ghcr.io/<project>/<name>:0.1.0).' }),
    port: Flags.integer({ description: 'Container port.', min: 1, max: 65535 }),
    'dry-run': Flags.boolean({ description: 'Print what would be written; write nothing.', default: false }),
    force: Flags.boolean({ description: 'Overwrite existing service files.', default: false }),
  };

  async run(): Promise<GenerateServiceResult> {
    const { args, flags } = await this.parse(GenerateService);
    return generateService({
      configFile: flags.config,
      name: args.name,
      tenant: flags.tenant,
      image: flags.image,
      port: flags.port,
      dryRun: flags['dry-run'],
      force: flags.force,
    });
  }

  protected override render(result: GenerateServiceResult): void {
    for (const f of result.files) info(`${result.dryRun ? color.dim('would ') : ''}${f.action.padEnd(9)} ${f.path}`);
    if (!result.dryRun)
      info(`service ${result.service} added to tenant ${result.tenant}; next: platform plan --stack app/<region>/${result.tenant}/${result.service}`);
  }
}
