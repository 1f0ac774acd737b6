import { basename, dirname, resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { PlatformCommand } from '../cli/base.js';
import { configFlag } from '../cli/flags.js';
import { info } from '../cli/ui.js';
import { DNS1123_LABEL, ENGINES } from '../config/schema.js';
import { UsageError } from '../errors.js';
import { initProject, type InitAnswers, type InitResult } from '../init.js';

export default class Init extends PlatformCommand<InitResult> {
  static override description = 'Write a starter platform.yaml (asks in a terminal; takes flags otherwise).';
  static override examples = ['<%= config.bin %> init', '<%= config.bin %> init --yes --local --engine terraform --region eu --region us'];
  static override flags = {
    config: configFlag('File to write.'),
    yes: Flags.boolean({ char: 'y', description: 'Take flags and defaults without asking.', default: false }),
    name: Flags.string({ description: 'Project name (DNS-1123 label; default: the folder name).' }),
    engine: Flags.string({ description: 'Engine.', options: [...ENGINES] }),
    local: Flags.boolean({ description: 'Regions on the local control plane (no cloud account needed).', allowNo: true }),
    cloud: Flags.string({ description: 'Cloud of the regions when not --local.', options: ['aws', 'gcp', 'azure'] }),
    region: Flags.string({ description: 'Region name (repeatable; the first is primary, the rest DR).', multiple: true }),
    tenant: Flags.string({ description: 'First tenant.' }),
    owner: Flags.string({ description: "First tenant's owner (email)." }),
    force: Flags.boolean({ description: 'Replace an existing file.', default: false }),
  };

  private local = true;

  async run(): Promise<InitResult> {
    const { flags } = await this.parse(Init);
    const folder = basename(dirname(resolve(flags.config))).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'platform';
    const defaults: InitAnswers = {
      name: flags.name ?? folder,
      engine: (flags.engine as InitAnswers['engine']) ?? 'pulumi',
      local: flags.local ?? true,
      regions: flags.region ?? ['eu', 'us'],
      cloud: flags.cloud as InitAnswers['cloud'],
      tenant: flags.tenant ?? 'team-a',
      owner: flags.owner ?? 'owner@example.com',
    };
    const interactive = !flags.yes && process.stdin.isTTY && process.stderr.isTTY && !flags.json;
    const answers = interactive ? await ask(defaults) : defaults;
    for (const [what, value] of [['name', answers.name], ['tenant', answers.tenant], ...answers.regions.map((r) => ['region', r])] as const) {
      if (!DNS1123_LABEL.test(value)) throw new UsageError(`--${what} "${value}" is not a DNS-1123 label`, [], 'Use lower-case letters, digits and "-".');
    }
    this.local = answers.local;
    return initProject(flags.config, answers, { force: flags.force });
  }

  protected override render(result: InitResult): void {
    info(`wrote ${result.file} (${result.engine}, regions ${result.regions.join(', ')})`);
    if (result.gitignore) info('added .platform/ to .gitignore');
    if (result.passphrase === 'env') info('secrets and state: encrypted with the passphrase from PLATFORM_PASSPHRASE / PULUMI_CONFIG_PASSPHRASE');
    else info('secrets and state: no PLATFORM_PASSPHRASE set, so a passphrase is generated once into .platform/passphrase (0600, gitignored) on the first plan — back it up');
    info(`next: ${this.local ? 'platform local up, then ' : ''}platform plan --all`);
  }
}

async function ask(d: InitAnswers): Promise<InitAnswers> {
  const { input, select, confirm } = await import('@inquirer/prompts');
  const opts = { output: process.stderr };
  const name = await input({ message: 'Project name', default: d.name, validate: (v) => DNS1123_LABEL.test(v) || 'a DNS-1123 label' }, opts);
  const engine = await select({ message: 'Engine', default: d.engine, choices: ENGINES.map((e) => ({ value: e })) }, opts);
  const local = await confirm({ message: 'Run regions on the local control plane (no cloud)?', default: d.local }, opts);
  const cloud = local ? undefined : await select({ message: 'Cloud', choices: [{ value: 'aws' as const }, { value: 'gcp' as const }, { value: 'azure' as const }] }, opts);
  const regions = (await input({ message: 'Regions (first is primary, comma-separated)', default: d.regions.join(',') }, opts)).split(',').map((s) => s.trim()).filter(Boolean);
  const tenant = await input({ message: 'First tenant', default: d.tenant }, opts);
  const owner = await input({ message: "Tenant owner's email", default: d.owner }, opts);
  return { name, engine, local, cloud, regions, tenant, owner };
}
