import { PlatformCommand } from '../cli/base.js';
import { printJson } from '../cli/ui.js';
import { platformJsonSchema } from '../config/json-schema.js';
import { COMMAND_HELP } from '../cli/help.js';

export default class Schema extends PlatformCommand<{ schema: object }> {
  static override description = COMMAND_HELP['schema'].description;
  static override examples = COMMAND_HELP['schema'].examples;

  async run(): Promise<{ schema: object }> {
    await this.parse(Schema);
    return { schema: platformJsonSchema() };
  }

  protected override render(result: { schema: object }): void {
    printJson(result.schema);
  }
}
