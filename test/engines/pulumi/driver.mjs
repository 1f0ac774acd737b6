#!/usr/bin/env node
// Runs one PulumiEngine operation on one stack in its own process (for kill -9 tests and benches).
// Uses the compiled engine (dist/: `npx tsc -p tsconfig.build.json`).
//   node driver.mjs plan|apply|destroy <platform.yaml> <stack.json>   → StackResult JSON on stdout
//   node driver.mjs raw-preview <platform.yaml> <stack.json>          → the same program, previewed
//                                                                      straight through the Automation API
// stack.json is a StackInstance; the project dir is the directory of platform.yaml.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const [op, configFile, stackFile] = process.argv.slice(2);
const { loadConfig } = await import(`${repo}/dist/config/load.js`);
const { config, projectDir } = loadConfig(configFile);
const { resolveStateLocation } = await import(`${repo}/dist/state/location.js`);
const state = resolveStateLocation(config.state, projectDir);
const stack = JSON.parse(readFileSync(stackFile, 'utf8'));
const started = performance.now();

if (op === 'raw-preview') {
  // The baseline: the same inline program and workspace options, no platform command around it.
  const { openStack } = await import(`${repo}/dist/engines/pulumi/engine.js`);
  const { stackProgram } = await import(`${repo}/dist/engines/pulumi/program.js`);
  const { regionAccess } = await import(`${repo}/dist/kube/access.js`);
  const { controlPlaneFor } = await import(`${repo}/dist/engines/crds.js`);
  // A tenant stack: no CRDs, so no blob store (the engine's passes CRD manifests by digest).
  const program = stackProgram({ stack, access: regionAccess(config, stack.region, projectDir), crds: controlPlaneFor(stack), force: false, secretsFor: () => ({}) });
  const { stack: s } = await openStack(stack, { projectDir, config, state, onEvent: () => {} }, program);
  const r = await s.preview({ parallel: 32 });
  process.stdout.write(JSON.stringify({ changeSummary: r.changeSummary, seconds: (performance.now() - started) / 1000 }) + '\n');
} else {
  const { PulumiEngine } = await import(`${repo}/dist/engines/pulumi/engine.js`);
  const engine = new PulumiEngine();
  const controller = new AbortController();
  process.on('SIGINT', () => controller.abort());
  const result = await engine.run(op, stack, { projectDir, config, state, onEvent: (e) => { if (e.type === 'resource' && e.phase === 'done') process.stderr.write('.'); }, signal: controller.signal });
  process.stdout.write(JSON.stringify({ ...result, seconds: (performance.now() - started) / 1000 }) + '\n');
  process.exitCode = result.status === 'failed' ? 1 : 0;
}
