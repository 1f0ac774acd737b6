import { Flags } from '@oclif/core';
import { ProjectCommand } from '../../cli/base.js';
import { migrateProgress, renderStateMigrate } from '../../cli/render/state.js';
import { migrateState, type StateMigrateResult } from '../../state-admin.js';
import { COMMAND_HELP } from '../../cli/help.js';

export default class StateMigrate extends ProjectCommand<StateMigrateResult> {
  static override description = COMMAND_HELP['state migrate'].description;
  static override examples = COMMAND_HELP['state migrate'].examples;
  static override flags = {
    to: Flags.string({ description: 'The new location: s3://bucket/prefix, gs://bucket/prefix, azblob://container/prefix or file://PATH.', required: true }),
  };

  async run(): Promise<StateMigrateResult> {
    const { flags } = await this.parse(StateMigrate);
    return migrateState({ configFile: flags.config, to: flags.to, onEvent: migrateProgress });
  }

  protected override render(result: StateMigrateResult): void {
    renderStateMigrate(result);
  }
}
