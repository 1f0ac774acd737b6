import { PlatformCommand } from '../cli/base.js';
import { printJson } from '../cli/ui.js';
import { platformJsonSchema } from '../config/json-schema.js';

export default class Schema extends PlatformCommand {
  static override description = 'Print the JSON Schema of platform.yaml (for editors and CI validators).';
  static override examples = ['<%= config.bin %> schema > schema/platform.schema.json'];

  async run(): Promise<void> {
    await this.parse(Schema);
    printJson(platformJsonSchema());
  }
}
