import { ProjectCommand } from '../cli/base.js';
import { info } from '../cli/ui.js';
import { plural } from '../text.js';
import { validateProject, type ValidationSummary } from '../validate.js';
import { COMMAND_HELP } from '../cli/help.js';

export default class Validate extends ProjectCommand<ValidationSummary & { valid: true }> {
  static override description = COMMAND_HELP['validate'].description;
  static override examples = COMMAND_HELP['validate'].examples;

  async run(): Promise<ValidationSummary & { valid: true }> {
    const { flags } = await this.parse(Validate);
    return { valid: true, ...validateProject(flags.config) };
  }

  protected override render(s: ValidationSummary): void {
    info(
      `${s.file}: valid — ${plural(s.regions, 'region')}, ${plural(s.tenants, 'tenant')}, ${plural(s.services, 'service')}, ${plural(s.stacks, 'stack')} (${s.engine})`,
    );
  }
}
