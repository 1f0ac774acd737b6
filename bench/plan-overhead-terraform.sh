#!/usr/bin/env bash
# Terraform half of bench/plan-overhead.sh: `platform plan --stack X` wall time divided by a raw
# `tofu plan` of the same synthesized JSON (same work dir, same state, same offline settings), measured
# in this script on this machine (target ≤ 1.05×). Also prints the in-process synth time of 100 tenants × 3
# regions (bench/synth.sh has the target).
#
#   bench/plan-overhead-terraform.sh [STACK]      default STACK: tenant/eu/bench (OBJECTS ConfigMaps + a Deployment)
#   env: OBJECTS (default 300) objects in the bench stack, RUNS (default 5) timed runs each, KEEP=1 keeps the project.
# Needs `npm run build` and `platform toolchain install` first. Uses its own temp project and local plane.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib-result.sh"
NODE=$BENCH_NODE
OBJECTS=${OBJECTS:-300}
RUNS=${RUNS:-5}
STACK=${1:-tenant/eu/bench}
WORK=$(mktemp -d /tmp/plan-overhead-tf.XXXXXX)
export BENCH_ROOT="$ROOT" BENCH_WORK="$WORK" BENCH_OBJECTS="$OBJECTS" BENCH_STACK="$STACK"

# One driver for setup and for the "platform plan" fallback while the CLI command does not exist yet.
cat >"$WORK/driver.mjs" <<'JS'
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
const root = process.env.BENCH_ROOT, work = process.env.BENCH_WORK;
const { platformSchema } = await import(`${root}/dist/config/schema.js`);
const { planStacks } = await import(`${root}/dist/stacks/plan.js`);
const { withOwnership } = await import(`${root}/dist/stacks/labels.js`);
const [cmd] = process.argv.slice(2);
const config = platformSchema.parse({ apiVersion: 'platform.dev/v1', name: 'bench', engine: 'terraform',
  regions: [{ name: 'eu', cloud: 'local', location: 'local-eu', role: 'primary' }],
  tenants: [{ name: 'bench', plan: 'enterprise', owners: ['o@example.com'] }, { name: 'cli', plan: 'enterprise', owners: ['o@example.com'] }] });
// The bench stack: the tenant stack of the catalog plus OBJECTS ConfigMaps and a Deployment, so the
// ratio is measured at the scale the issue names (raw tofu plan on 300 objects ~1.8 s).
function benchStacks() {
  return planStacks(config).map((s) => {
    if (s.id !== 'tenant/eu/bench') return s;
    const extra = Array.from({ length: Number(process.env.BENCH_OBJECTS) }, (_, i) => ({ manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'bench' }, data: { i: String(i) } } }));
    return { ...s, objects: [...s.objects, ...withOwnership(extra, 'bench', s.id)] };
  });
}
const { resolveStateLocation } = await import(`${root}/dist/state/location.js`);
const ctx = { projectDir: work, config, state: resolveStateLocation(config.state, work), onEvent: () => {} };
if (cmd === 'config') {
  writeFileSync(join(work, 'platform.yaml'), JSON.stringify({ ...config }, null, 2));
} else if (cmd === 'up' || cmd === 'down') {
  const local = await import(`${root}/dist/local/index.js`);
  if (cmd === 'up') await local.localUp(config, work); else await local.localDown(config, work, { purge: true });
} else if (cmd === 'apply' || cmd === 'plan' || cmd === 'destroy') {
  const { TerraformEngine } = await import(`${root}/dist/engines/terraform/engine.js`);
  const engine = new TerraformEngine();
  const stacks = benchStacks();
  const target = stacks.find((s) => s.id === process.env.BENCH_STACK);
  // apply: the stack and what it depends on, in order; plan: only the stack (what `plan --stack` does).
  const chain = cmd === 'apply' ? stacks.slice(0, stacks.indexOf(target) + 1) : [target];
  for (const s of cmd === 'destroy' ? [...stacks].reverse() : chain) {
    const r = await engine.run(cmd, s, ctx);
    if (r.status === 'failed') { console.error(`${s.id}: ${r.error?.message}`); process.exit(1); }
    if (cmd === 'plan') console.error(`${s.id}: ${r.status} ${JSON.stringify(r.changes)}`);
  }
} else if (cmd === 'env') {
  const { resolveTool, tofuCliConfigFile } = await import(`${root}/dist/toolchain/index.js`);
  // The environment the engine gives tofu (src/engines/terraform/tofu.ts: no plugin cache, the toolchain's
  // provider mirror) and its state encryption, which raw tofu needs to read the state (single-quoted HCL).
  const { tofuEncryptionEnv } = await import(`${root}/dist/engines/terraform/encryption.js`);
  const quoted = tofuEncryptionEnv(work).TF_ENCRYPTION.replaceAll("'", "'\\''");
  console.log(`TOFU=${resolveTool('tofu')}\nexport TF_CLI_CONFIG_FILE=${tofuCliConfigFile()}\nexport TF_PLUGIN_CACHE_DIR=\nexport TF_ENCRYPTION='${quoted}'`);
}
JS

cleanup() { "$NODE" "$WORK/driver.mjs" down >/dev/null 2>&1 || true; [ "${KEEP:-}" = 1 ] || rm -rf "$WORK"; }
trap cleanup EXIT


echo "== synth: 100 tenants x 3 regions"
"$NODE" --input-type=module -e "
const root = process.env.BENCH_ROOT;
const { platformSchema } = await import(root + '/dist/config/schema.js');
const { planStacks } = await import(root + '/dist/stacks/plan.js');
const { synthTerraform } = await import(root + '/dist/engines/terraform/synth.js');
const { resolveStateLocation } = await import(root + '/dist/state/location.js');
const { loadClouds } = await import(root + '/dist/clouds/index.js');
const locations = { eu: 'eu-west-1', us: 'us-east-1', ap: 'ap-southeast-1' };
const regions = ['eu', 'us', 'ap'].map((name, i) => ({ name, cloud: 'aws', location: locations[name], role: i ? 'dr' : 'primary', cluster: { kubeconfig: '/dev/null', context: name } }));
const tenants = Array.from({ length: 100 }, (_, t) => ({ name: 't' + t, plan: 'starter', owners: ['o@example.com'] }));
const services = tenants.map((t) => ({ name: 'svc', tenant: t.name, image: 'img:1', port: 8080, replicas: 2 }));
const config = platformSchema.parse({ apiVersion: 'platform.dev/v1', name: 'bench', engine: 'terraform', regions, tenants, services, dr: { rpoMinutes: 60, rtoMinutes: 30, backupSchedule: '*/30 * * * *' } });
const stacks = planStacks(config);
await loadClouds('terraform', stacks);
for (const [label, set] of [['tenant stacks', stacks.filter((s) => s.layer === 'tenant')], ['all stacks', stacks]]) {
  const t0 = performance.now();
  const dir = process.env.BENCH_WORK + '/synth-' + set.length;
  const out = await synthTerraform(set, dir + '/.platform/tf', { projectDir: dir, project: 'bench', state: resolveStateLocation(undefined, dir) });
  const n = [...out.values()].reduce((a, v) => a + v.resources.length, 0);
  console.log('synth ' + set.length + ' ' + label + ' (' + n + ' resources): ' + (performance.now() - t0).toFixed(0) + ' ms');
}"

raw_plan() { (cd "$1" && "$TOFU" plan -input=false -lock-timeout=0s -out=raw.tfplan > /dev/null && rm -f raw.tfplan); }

# compare BENCH LABEL STACKDIR CMD...: warm both once, then alternate them so load drift hits both.
# BENCH empty: print the verdict line only (a figure for the record, not a target).
compare() {
  local bench=$1 label=$2 dir=$3 load raw=() ours=()
  shift 3
  raw_plan "$dir"
  "$@" > /dev/null 2>&1
  load=$(bench_load)
  for ((i = 0; i < RUNS; i++)); do
    raw+=("$(bench_seconds raw_plan "$dir")")
    ours+=("$(bench_seconds "$@")")
  done
  bench_result --bench "${bench:-for the record}" --ours "$label" --ours-samples "${ours[*]}" \
    --baseline "raw tofu plan (same JSON, state, settings)" --baseline-samples "${raw[*]}" --target "<= 1.05x" --load "$load" |
    if [ -n "$bench" ]; then cat; else grep -v '^BENCH '; fi
}

echo "== local plane, apply $STACK with $OBJECTS extra ConfigMaps"
"$NODE" "$WORK/driver.mjs" up
"$NODE" "$WORK/driver.mjs" apply
eval "$("$NODE" "$WORK/driver.mjs" env)"
export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
echo "== engine plan (node process + synth + tofu plan [+ show]) vs raw tofu plan, $STACK (for the record)"
compare "" "engine plan via node, $STACK" "$WORK/.platform/tf/$STACK" "$NODE" "$WORK/driver.mjs" plan

# The target: the CLI, on a stack that platform.yaml alone describes.
"$NODE" "$WORK/driver.mjs" config
BENCH_STACK=tenant/eu/cli "$NODE" "$WORK/driver.mjs" apply
echo "== platform plan --stack tenant/eu/cli vs raw tofu plan"
compare "plan one stack terraform" "platform plan --stack tenant/eu/cli" "$WORK/.platform/tf/tenant/eu/cli" "$NODE" "$ROOT/bin/run.js" plan --stack tenant/eu/cli -c "$WORK/platform.yaml"
