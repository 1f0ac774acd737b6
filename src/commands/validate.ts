import { Flags } from '@oclif/core';
import { PlatformCommand } from '../cli/base.js';
import { info } from '../cli/ui.js';
import { validateProject } from '../config/validate.js';

export default class Validate extends PlatformCommand {
  static override description = 'Check platform.yaml: every problem with file:line, exit 2 if invalid.';
  static override examples = ['<%= config.bin %> validate', '<%= config.bin %> validate -c examples/local/platform.yaml --json'];
  static override flags = {
    config: Flags.string({ char: 'c', description: 'Path to platform.yaml.', default: 'platform.yaml' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Validate);
    const summary = validateProject(flags.config);
    if (flags.json) this.json({ version: 1, valid: true, ...summary });
    else info(`${summary.file}: valid — ${summary.regions} regions, ${summary.tenants} tenants, ${summary.services} services, ${summary.stacks} stacks (${summary.engine})`);
  }
}
