// Helpers for the Pulumi benches (node, ESM, uses dist/): print a tenant stack of N ConfigMaps as a
// StackInstance JSON, or the same N objects as an OpenTofu kubectl_manifest configuration.
//   node bench/lib-pulumi.mjs stack <platform.yaml> <namespace> <N>          → StackInstance JSON
//   node bench/lib-pulumi.mjs tofu  <platform.yaml> <namespace> <N> <region> → main.tf.json
//   node bench/lib-pulumi.mjs planned <platform.yaml> <stack id>             → that StackInstance JSON
//   node bench/lib-pulumi.mjs tool  <name>                                   → binary path
//   node bench/lib-pulumi.mjs local up|down <platform.yaml>
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [what, ...args] = process.argv.slice(2);
const load = async (file) => (await import(`${repo}/dist/config/load.js`)).loadConfig(file);

function configMaps(project, stackId, namespace, n) {
  const labels = { 'platform.dev/project': project, 'platform.dev/stack': stackId.replaceAll('/', '.') };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels } },
    ...Array.from({ length: n - 1 }, (_, i) => ({
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace, labels }, data: { index: String(i), payload: 'x'.repeat(64) },
    })),
  ];
}

if (what === 'stack') {
  const [file, namespace, n] = args;
  const { config } = await load(file);
  const region = config.regions[0];
  const id = `tenant/${region.name}/${namespace}`;
  const objects = configMaps(config.name, id, namespace, Number(n)).map((manifest) => ({ manifest }));
  console.log(JSON.stringify({ id, layer: 'tenant', engine: 'pulumi', region, tenant: namespace, dependsOn: [], objects, cloud: [], installs: [], label: id.replaceAll('/', '.') }));
} else if (what === 'tofu') {
  const [file, namespace, n, region] = args;
  const { config, projectDir } = await load(file);
  const { KUBECTL_PROVIDER_ADDRESS, KUBECTL_PROVIDER } = await import(`${repo}/dist/toolchain/index.js`);
  const { localKubeconfigPath } = await import(`${repo}/dist/kube/access.js`);
  const manifests = configMaps(config.name, `tenant/${region}/${namespace}`, namespace, Number(n));
  const resource = Object.fromEntries(manifests.map((m, i) => [`o${i}`, {
    yaml_body: JSON.stringify(m), server_side_apply: true, force_conflicts: false, wait: false,
    ...(i > 0 ? { depends_on: ['kubectl_manifest.o0'] } : {}),
  }]));
  console.log(JSON.stringify({
    terraform: { required_providers: { kubectl: { source: KUBECTL_PROVIDER_ADDRESS, version: KUBECTL_PROVIDER.version } } },
    provider: { kubectl: { config_path: localKubeconfigPath(projectDir), config_context: region, load_config_file: true } },
    resource: { kubectl_manifest: resource },
  }, null, 1));
} else if (what === 'planned') {
  const [file, stackId] = args;
  const { config } = await load(file);
  const { planStacks } = await import(`${repo}/dist/stacks/plan.js`);
  const stack = planStacks(config).find((s) => s.id === stackId);
  if (!stack) throw new Error(`no stack ${stackId}`);
  console.log(JSON.stringify(stack));
} else if (what === 'tool') {
  const t = await import(`${repo}/dist/toolchain/index.js`);
  if (args[0] === 'tofurc') console.log(t.tofuCliConfigFile());
  else console.log(t.resolveTool(args[0]));
} else if (what === 'local') {
  const [op, file] = args;
  const { config, projectDir } = await load(file);
  const local = await import(`${repo}/dist/local/index.js`);
  if (op === 'up') await local.localUp(config, projectDir);
  else await local.localDown(config, projectDir, { purge: true });
} else {
  console.error('usage: see the header of bench/lib-pulumi.mjs');
  process.exit(2);
}
