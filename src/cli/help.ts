/**
 * What `platform <command> --help` says of each command: its description and examples, in one place so the
 * CLI speaks in one voice (exit codes, CI recipes) and can be read and reviewed as the manual it is. The
 * flags, and their descriptions, stay on the command classes that parse them; test/cli/help.test.ts checks
 * that every example parses against its command's flags. `<%= config.bin %>` is oclif's name for `platform`.
 */
export const COMMAND_HELP = {
  apply: {
    description:
      'Apply stacks in dependency order. In a terminal it shows the plan and asks; otherwise it needs --yes. Stacks no longer in platform.yaml (their state still holds resources) are left in place unless --prune (or, with --all in a terminal, you say so when asked).',
    examples: [
      '<%= config.bin %> apply --all',
      '<%= config.bin %> apply --stack tenant/eu/payments --yes --json',
      '<%= config.bin %> apply --all --prune --yes',
    ],
  },
  cost: {
    description:
      'Monthly cost per stack, region and tenant and in total, from the price tables that ship with platform (offline, both engines, Kubernetes workloads included). With --base: before, after and the difference per stack and line. Exit 0, or 2 for usage errors and invalid config, usage or price files.',
    examples: [
      '<%= config.bin %> cost',
      '<%= config.bin %> cost --base origin/main --format markdown >> "$GITHUB_STEP_SUMMARY"',
      '<%= config.bin %> cost --stack cluster/eu --json',
      '<%= config.bin %> cost --prices my-prices/azure.json',
    ],
  },
  destroy: {
    description:
      'Delete every object of the named stacks, dependents first. Needs --yes and --confirm <stack id> (or --confirm all with --all). A stack no longer in platform.yaml whose state holds resources can be named too; --all includes them.',
    examples: [
      '<%= config.bin %> destroy --stack app/eu/payments/checkout --yes --confirm app/eu/payments/checkout',
      '<%= config.bin %> destroy --all --yes --confirm all',
    ],
  },
  'dr check': {
    description: 'Check the disaster-recovery invariants: each rule passes or fails with the reason (exit 2 when one fails).',
    examples: ['<%= config.bin %> dr check', '<%= config.bin %> dr check --json'],
  },
  'dr drill': {
    description:
      'Rehearse a failover on local regions: snapshot the primary, stop it, restore into the DR region, make it primary, and measure RTO/RPO. --revert undoes it.',
    examples: ['<%= config.bin %> dr drill --from eu --to us', '<%= config.bin %> dr drill --revert'],
  },
  drift: {
    description:
      'Compare Git (platform.yaml at a ref), engine state and the live clusters: pending, drifted, missing and unmanaged objects. Exit 0 clean, 3 drift, 1 a stack could not be checked, 2 usage.',
    examples: [
      '<%= config.bin %> drift',
      '<%= config.bin %> drift --ref origin/main --json',
      '<%= config.bin %> drift --format markdown >> "$GITHUB_STEP_SUMMARY"',
    ],
  },
  'generate service': {
    description: 'Add a service to platform.yaml (keeping comments) and scaffold services/NAME/ with a README, an overrides file and a test.',
    examples: [
      '<%= config.bin %> generate service checkout --tenant payments',
      '<%= config.bin %> generate service search-api --tenant search --image ghcr.io/acme/search:1.0.0 --port 9000 --dry-run',
    ],
  },
  graph: {
    description:
      'Draw the stack graph: every stack and dependency edge (cross-region ones too), grouped by region, shaped and coloured by layer — or, with --status, coloured by the status in a saved plan/apply/drift --json file.',
    examples: [
      '<%= config.bin %> graph > graph.mmd',
      '<%= config.bin %> graph --format svg > stacks.svg',
      '<%= config.bin %> plan --json > plan.json; <%= config.bin %> graph --status plan.json --format svg > plan.svg',
      '<%= config.bin %> graph --affected --base origin/main --format json',
    ],
  },
  init: {
    description:
      'Write a starter platform.yaml, and a package.json (this CLI, vitest, a test script) when the folder has none (asks in a terminal; takes flags otherwise).',
    examples: [
      '<%= config.bin %> init',
      '<%= config.bin %> init --yes --local --engine terraform --region eu --region us',
      '<%= config.bin %> init --yes --no-local --cloud aws --region eu --region us --location eu=eu-west-1 --location us=us-east-1',
    ],
  },
  'local down': {
    description: "Stop this project's local clusters (their data is kept for the next `local up`; --purge deletes it).",
    examples: ['<%= config.bin %> local down', '<%= config.bin %> local down --purge'],
  },
  'local status': {
    description: 'Show each local region: running, stopped or absent, its API server and kubeconfig context.',
    examples: ['<%= config.bin %> local status', '<%= config.bin %> local status --json'],
  },
  'local up': {
    description: 'Start the local control plane: one kwok cluster (real API server, fake nodes) per local region. Idempotent.',
    examples: ['<%= config.bin %> local up', '<%= config.bin %> local up -c examples/local/platform.yaml --json'],
  },
  plan: {
    description:
      "Show what apply would change, per stack, in dependency order (default: every stack), with each stack's monthly cost difference against --base. Over every stack it also lists the stacks no longer in platform.yaml whose state still holds resources (`apply --all --prune` destroys them); they count as changes for --detailed-exitcode.",
    examples: [
      '<%= config.bin %> plan',
      '<%= config.bin %> plan --stack app/eu/payments/checkout --diff',
      '<%= config.bin %> plan --all --json --detailed-exitcode',
      '<%= config.bin %> plan --affected --base origin/main --format markdown >> "$GITHUB_STEP_SUMMARY"',
    ],
  },
  'policy check': {
    description:
      'Check the stacks against the built-in policy pack and policies/*.rego beside platform.yaml (OPA), as plan and apply do before any engine starts. Every violation names its stack, object, policy, level and the platform.yaml line behind it. Exit 4 when a mandatory policy is violated, 2 for invalid config or policies.',
    examples: [
      '<%= config.bin %> policy check',
      '<%= config.bin %> policy check --stack app/eu/payments/checkout --json',
      '<%= config.bin %> policy check --format markdown >> "$GITHUB_STEP_SUMMARY"',
    ],
  },
  'policy test': {
    description:
      "Run the policies' unit tests (`opa test`) — the built-in pack's and those of policies/ beside platform.yaml (*_test.rego; they may use the pack's fixtures, data.platform.lib.fixtures). Exit 1 when a test fails.",
    examples: ['<%= config.bin %> policy test', '<%= config.bin %> policy test --json'],
  },
  schema: {
    description: 'Print the JSON Schema of platform.yaml (for editors and CI validators); with --json, inside { "version": 1, "schema": … }.',
    examples: ['<%= config.bin %> schema > schema/platform.schema.json'],
  },
  'stacks list': {
    description: 'List the stack instances: engine, region and dependencies (with --affected: only the changed ones, and why).',
    examples: ['<%= config.bin %> stacks list', '<%= config.bin %> stacks list --affected --base origin/main --json'],
  },
  'stacks matrix': {
    description: 'Print a GitHub Actions matrix ({"include":[{"stack","region","engine"}]}) for one job per stack.',
    examples: ['echo "matrix=$(<%= config.bin %> stacks matrix --affected)" >> "$GITHUB_OUTPUT"'],
  },
  'state list': {
    description: 'List every stack that has state at the state location: its engine, key, last update, resource count and who holds its lock.',
    examples: ['<%= config.bin %> state list', '<%= config.bin %> state list --json'],
  },
  'state migrate': {
    description:
      "Move every stack's state (both engines) to another location, verify every copy, then switch state: in platform.yaml. The old state is left in place; stopped halfway, nothing is lost and running it again finishes the job.",
    examples: ['<%= config.bin %> state migrate --to s3://acme-platform-state/prod', '<%= config.bin %> state migrate --to gs://acme-state/prod --json'],
  },
  'state unlock': {
    description:
      "Remove the locks of stacks whose operation is gone for good (killed, a lost CI runner): platform's stack lock and each engine's own lock. Needs --yes.",
    examples: ['<%= config.bin %> state unlock app/eu/payments/checkout --yes', '<%= config.bin %> state unlock --all --yes'],
  },
  synth: {
    description: 'Synthesize every stack for its engine (Terraform JSON through CDKTF, or the Pulumi program under mocks) without running an engine.',
    examples: ['<%= config.bin %> synth', '<%= config.bin %> synth --stack app/eu/payments/checkout --json'],
  },
  'toolchain install': {
    description: 'Build the pinned engines and control-plane binaries from the Go module proxy into the cache (once), unless PATH already has them.',
    examples: [
      '<%= config.bin %> toolchain install',
      '<%= config.bin %> toolchain install --only tofu --only tofu-mirror',
      '<%= config.bin %> toolchain install --test-servers',
    ],
  },
  'toolchain status': {
    description: 'Show each pinned tool: its version and whether it comes from PATH, the cache, or is missing (exit 1 when one is missing).',
    examples: ['<%= config.bin %> toolchain status', '<%= config.bin %> toolchain status --json'],
  },
  validate: {
    description: 'Check platform.yaml: every problem with file:line, exit 2 if invalid.',
    examples: ['<%= config.bin %> validate', '<%= config.bin %> validate -c examples/local/platform.yaml --json'],
  },
} satisfies Record<string, { description: string; examples: string[] }>;
