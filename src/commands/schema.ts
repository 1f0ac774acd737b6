import { PlatformCommand } from '../cli/base.js';
import { printJson } from '../cli/ui.js';
import { platformJsonSchema } from '../config/json-schema.js';

export default class Schema extends PlatformCommand<{ schema: object }> {
  static override description = 'Print the JSON Schema of platform.yaml (for editors and CI validators); with --json, inside { "version": 1, "schema": … }.';
  static override examples = ['<%= config.bin %> schema > schema/platform.schema.json'];

  async run(): Promise<{ schema: object }> {
    await this.parse(Schema);
    return { schema: platformJsonSchema() };
  }

  protected override render(result: { schema: object }): void {
    printJson(result.schema);
  }
}
