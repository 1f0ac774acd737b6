// Helpers for bench/drift.sh (node, ESM, uses dist/).
//   node bench/lib-drift.mjs apply     <platform.yaml> <N>          apply every stack; the tenant stack gets N ConfigMaps
//   node bench/lib-drift.mjs manifests <platform.yaml> <stack id>   the stack's applied manifests (from state) as a kubectl List
//   node bench/lib-drift.mjs refresh   <platform.yaml> <N>          Pulumi: refresh --preview-only of the tenant stack → change summary JSON
//   node bench/lib-drift.mjs tool      <name|tofurc>                binary path
//   node bench/lib-drift.mjs tofu-encryption <platform.yaml>        TF_ENCRYPTION of the project (the engine encrypts its state)
//   node bench/lib-drift.mjs local     up|down <platform.yaml>
//   node bench/lib-drift.mjs s3-server <bucket>                     start moto (toolchain) with the bucket; print `export VAR=…` lines, run until killed
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(`${repo}/dist/${p}`);
const [what, ...args] = process.argv.slice(2);

async function planned(file, n) {
  const { config, projectDir } = (await dist('config/load.js')).loadConfig(file);
  const { planStacks, topoOrder } = await dist('stacks/plan.js');
  const stacks = topoOrder(planStacks(config));
  for (const stack of stacks) {
    if (stack.layer !== 'tenant') continue;
    const labels = { 'platform.dev/project': config.name, 'platform.dev/stack': stack.label };
    for (let i = 0; i < n; i++) {
      stack.objects.push({ manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: stack.tenant, labels }, data: { index: String(i), payload: 'x'.repeat(64) } } });
    }
  }
  return { config, projectDir, stacks };
}

if (what === 'apply') {
  const [file, n] = args;
  const { config, projectDir, stacks } = await planned(file, Number(n));
  const { engineDescriptor } = await dist('engines/registry.js');
  const { resolveStateLocation } = await dist('state/location.js');
  const engine = await (await engineDescriptor(config.engine)).load();
  for (const stack of stacks) {
    const result = await engine.run('apply', stack, { projectDir, config, state: resolveStateLocation(config.state, projectDir), onEvent: () => {} });
    if (result.status === 'failed') {
      console.error(`${stack.id}: ${result.error?.message}`);
      process.exit(1);
    }
    console.error(`applied ${stack.id}: ${stack.objects.length} objects`);
  }
} else if (what === 'manifests') {
  const [file, stackId] = args;
  const { config, projectDir } = (await dist('config/load.js')).loadConfig(file);
  const { engineDescriptor } = await dist('engines/registry.js');
  const { resolveStateLocation } = await dist('state/location.js');
  const reader = (await engineDescriptor(config.engine)).stateReader({ projectDir, project: config.name, state: resolveStateLocation(config.state, projectDir) });
  const items = (await reader.read(stackId)).objects;
  console.log(JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
} else if (what === 'refresh') {
  const [file, n] = args;
  const { config, projectDir, stacks } = await planned(file, Number(n));
  const stack = stacks.find((s) => s.layer === 'tenant');
  const { openStack } = await dist('engines/pulumi/engine.js');
  const { resolveStateLocation } = await dist('state/location.js');
  const { stack: pulumiStack } = await openStack(stack, { projectDir, config, state: resolveStateLocation(config.state, projectDir), onEvent: () => {} }, async () => ({}));
  const started = performance.now();
  // The result's `summary` is the last recorded update (a preview records none): count from the engine's own summary event.
  let changes = {};
  await pulumiStack.refresh({ previewOnly: true, parallel: 32, onEvent: (e) => { if (e.summaryEvent) changes = e.summaryEvent.resourceChanges ?? {}; } });
  console.log(JSON.stringify({ ms: Math.round(performance.now() - started), changes }));
} else if (what === 'tool') {
  const t = await dist('toolchain/index.js');
  console.log(args[0] === 'tofurc' ? t.tofuCliConfigFile() : t.resolveTool(args[0]));
} else if (what === 'tofu-encryption') {
  // TF_ENCRYPTION for running tofu by hand on the engine's (encrypted) state.
  const { projectDir } = (await dist('config/load.js')).loadConfig(args[0]);
  const { tofuEncryptionEnv } = await dist('engines/terraform/encryption.js');
  process.stdout.write(tofuEncryptionEnv(projectDir).TF_ENCRYPTION);
} else if (what === 'local') {
  const [op, file] = args;
  const { config, projectDir } = (await dist('config/load.js')).loadConfig(file);
  const local = await dist('local/index.js');
  if (op === 'up') await local.localUp(config, projectDir);
  else await local.localDown(config, projectDir, { purge: true });
} else if (what === 's3-server') {
  const { startS3Server } = await dist('local/object-servers.js');
  const server = await startS3Server();
  await server.createBucket(args[0]);
  for (const [k, v] of Object.entries(server.env)) console.log(`export ${k}='${v}'`);
  console.log('# ready');
  const stop = () => server.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  setInterval(() => {}, 1 << 30);
} else {
  console.error('usage: see the header of bench/lib-drift.mjs');
  process.exit(2);
}
