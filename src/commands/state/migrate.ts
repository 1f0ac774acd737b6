import { Flags } from '@oclif/core';
import { ProjectCommand } from '../../cli/base.js';
import { migrateProgress, renderStateMigrate } from '../../cli/render/state.js';
import { migrateState, type StateMigrateResult } from '../../state-admin.js';

export default class StateMigrate extends ProjectCommand<StateMigrateResult> {
  static override description =
    "Move every stack's state (both engines) to another location, verify every copy, then switch state: in platform.yaml. The old state is left in place; stopped halfway, nothing is lost and running it again finishes the job.";
  static override examples = [
    '<%= config.bin %> state migrate --to s3://acme-platform-state/prod',
    '<%= config.bin %> state migrate --to gs://acme-state/prod --json',
  ];
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
