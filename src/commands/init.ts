import { basename, dirname, relative, resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { PlatformCommand } from '../cli/base.js';
import { configFlag } from '../cli/flags.js';
import { info } from '../cli/ui.js';
import { ENGINES } from '../config/schema.js';
import { UsageError } from '../errors.js';
import { askAnswers, initProject, parseLocationFlags, type InitAnswers, type InitResult } from '../init.js';
import { COMMAND_HELP } from '../cli/help.js';

export default class Init extends PlatformCommand<InitResult> {
  static override description = COMMAND_HELP['init'].description;
  static override examples = COMMAND_HELP['init'].examples;
  static override flags = {
    config: configFlag('File to write.'),
    yes: Flags.boolean({ char: 'y', description: 'Take flags and defaults without asking.', default: false }),
    name: Flags.string({ description: 'Project name (DNS-1123 label; default: the folder name).' }),
    engine: Flags.string({ description: 'Engine.', options: [...ENGINES] }),
    // No default: unset (undefined) means "decide from --cloud", which oclif's `boolean` type does not admit.
    local: Flags.boolean<boolean | undefined>({ description: 'Regions on the local control plane (no cloud account needed).', allowNo: true }),
    cloud: Flags.string({ description: 'Cloud of the regions when not --local.', options: ['aws', 'gcp', 'azure'] }),
    region: Flags.string({ description: 'Region name (repeatable; the first is primary, the rest DR).', multiple: true }),
    location: Flags.string({
      description: "A region's location id, REGION=ID (repeatable), e.g. eu=eu-west-1; default: a real id of the cloud per region.",
      multiple: true,
    }),
    tenant: Flags.string({ description: 'First tenant.' }),
    owner: Flags.string({ description: "First tenant's owner (email)." }),
    'package-json': Flags.boolean({
      description: 'Write (or add to) package.json: this CLI and vitest as devDependencies, a test script.',
      default: true,
      allowNo: true,
    }),
    force: Flags.boolean({ description: 'Replace an existing file.', default: false }),
  };

  private answers?: InitAnswers;

  async run(): Promise<InitResult> {
    const { flags } = await this.parse(Init);
    const folder =
      basename(dirname(resolve(flags.config)))
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-')
        .replace(/^-+|-+$/g, '') || 'platform';
    if (flags.local && flags.cloud)
      throw new UsageError('--local and --cloud contradict each other', [], 'Local regions run on the local control plane; pass --no-local with --cloud.');
    const regions = flags.region ?? ['eu', 'us'];
    const defaults: InitAnswers = {
      name: flags.name ?? folder,
      engine: (flags.engine as InitAnswers['engine'] | undefined) ?? 'pulumi',
      local: flags.local ?? !flags.cloud,
      regions,
      cloud: flags.cloud as InitAnswers['cloud'],
      locations: parseLocationFlags(flags.location ?? [], regions),
      tenant: flags.tenant ?? 'team-a',
      owner: flags.owner ?? 'owner@example.com',
    };
    const interactive = !flags.yes && process.stdin.isTTY && process.stderr.isTTY && !this.jsonEnabled();
    this.answers = interactive ? await askAnswers(defaults) : defaults;
    return initProject(flags.config, this.answers, { force: flags.force, packageJson: flags['package-json'] });
  }

  protected override render(result: InitResult): void {
    const answers = this.answers!;
    info(`wrote ${result.file} (${result.engine}; regions ${result.regions.map((r) => `${r} at ${result.locations[r]}`).join(', ')})`);
    const pkg = result.packageJson;
    if (pkg && pkg.action !== 'unchanged')
      info(`${pkg.action === 'created' ? 'wrote' : 'added to'} ${relative(process.cwd(), pkg.file) || pkg.file}: ${pkg.added.join(', ')}`);
    if (pkg?.keptTestScript) info(`kept your test script (${pkg.keptTestScript}); run the service tests with \`npx vitest run services/\``);
    if (result.gitignore) info('added .platform/ to .gitignore');
    if (result.passphrase === 'env') info('secrets and state: encrypted with the passphrase from PLATFORM_PASSPHRASE / PULUMI_CONFIG_PASSPHRASE');
    else
      info(
        'secrets and state: no PLATFORM_PASSPHRASE set, so a passphrase is generated once into .platform/passphrase (0600, gitignored) on the first plan — back it up',
      );
    const install = pkg?.added.some((a) => a.startsWith('devDependencies.')) ? 'npm install, then ' : '';
    info(`next: ${install}platform generate service NAME --tenant ${answers.tenant}; ${answers.local ? 'platform local up, then ' : ''}platform plan --all`);
  }
}
