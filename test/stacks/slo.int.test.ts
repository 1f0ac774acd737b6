/**
 * The generated SLO rules, checked by the real Prometheus tooling: `promtool check rules` on every rule
 * group the planner emits, and `promtool test rules` with synthetic series for the burn-rate alerts.
 *
 * promtool comes from the toolchain (`resolveTool('promtool')`); `PROMTOOL=/path/to/promtool` overrides
 * it. Without either, every test here skips and says why.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it, type TestContext } from 'vitest';
import { stringify } from 'yaml';
import type { PlatformConfig } from '../../src/config/schema.js';
import { planStacks } from '../../src/stacks/plan.js';
import type { PromRule, PromRuleGroup } from '../../src/stacks/slo.js';
import { EXAMPLES, loadExample, makeConfig, type Json } from './helpers.js';

async function findPromtool(): Promise<{ path?: string; why?: string }> {
  if (process.env.PROMTOOL) return { path: process.env.PROMTOOL };
  try {
    const toolchain = (await import('../../src/toolchain/index.js')) as { resolveTool?: (name: 'promtool') => string };
    if (typeof toolchain.resolveTool !== 'function') return { why: 'src/toolchain does not export resolveTool yet' };
    return { path: toolchain.resolveTool('promtool') };
  } catch (e) {
    return { why: `promtool is not available (${(e as Error).message}); run \`platform toolchain install\` or set PROMTOOL` };
  }
}
const promtool = await findPromtool();
if (!promtool.path) console.warn(`[slo.int.test] SKIPPING: ${promtool.why}`);
function needPromtool(ctx: TestContext): string {
  if (!promtool.path) ctx.skip(`SKIPPED: ${promtool.why}`);
  return promtool.path;
}

const workDir = mkdtempSync(join(tmpdir(), 'platform-slo-'));
// SLO_TEST_KEEP=1 keeps the generated rule and test files for a look with promtool by hand.
afterAll(() => (process.env.SLO_TEST_KEEP ? console.warn(`[slo.int.test] files kept in ${workDir}`) : rmSync(workDir, { recursive: true, force: true })));

/** The PrometheusRule groups of one region's observability stack, by rule name. */
function ruleGroups(c: PlatformConfig, region = c.regions[0].name): Map<string, PromRuleGroup[]> {
  const obs = planStacks(c).find((s) => s.id === `observability/${region}`);
  const out = new Map<string, PromRuleGroup[]>();
  for (const { manifest } of obs?.objects ?? []) {
    if (manifest.kind === 'PrometheusRule') out.set(manifest.metadata.name, (manifest as Json).spec.groups);
  }
  return out;
}

async function run(bin: string, args: string[]): Promise<{ ok: boolean; output: string }> {
  const r = await execa(bin, args, { reject: false, all: true, cwd: workDir });
  return { ok: r.exitCode === 0, output: r.all ?? '' };
}

describe('promtool check rules', () => {
  const noMesh = makeConfig({
    services: [{ name: 'web', tenant: 'team-a', image: 'x:1', port: 8080, slo: { availability: 99.5, latencyP95Ms: 250 } }],
    observability: { prometheus: { enabled: true } },
  });
  const configs: Array<[string, PlatformConfig]> = [...EXAMPLES.map((f): [string, PlatformConfig] => [f, loadExample(f)]), ['without Istio', noMesh]];

  it.for(configs)('accepts every generated rule group of %s', async ([name, c], ctx) => {
    const bin = needPromtool(ctx);
    let checked = 0;
    for (const region of c.regions) {
      for (const [ruleName, groups] of ruleGroups(c, region.name)) {
        const file = join(workDir, `${name.replaceAll(/\W+/g, '_')}-${region.name}-${ruleName}.yaml`);
        writeFileSync(file, stringify({ groups }));
        const r = await run(bin, ['check', 'rules', '--lint=all', '--lint-fatal', file]);
        expect(r.ok, r.output).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});

/**
 * Synthetic traffic: `segments` of [minutes, burn rate] at 1000 requests a minute, one sample every
 * `step` minutes; the error share is burn × budget. Returns the two counter value strings in promtool's
 * expanding notation.
 */
function traffic(budget: number, segments: Array<[minutes: number, burn: number]>, step = 1): { ok: string; errors: string } {
  const perStep = 1000 * step;
  const parts = { ok: [] as string[], errors: [] as string[] };
  let ok = 0;
  let errors = 0;
  let first = true;
  for (const [minutes, burn] of segments) {
    const e = Number((perStep * budget * burn).toFixed(6));
    const o = perStep - e;
    const samples = minutes / step;
    // The first segment starts at 0 (and includes that sample); later ones continue the counters.
    const startOk = first ? 0 : ok + o;
    const startErr = first ? 0 : errors + e;
    const steps = first ? samples : samples - 1;
    parts.ok.push(`${startOk}+${o}x${steps}`);
    parts.errors.push(`${startErr}+${e}x${steps}`);
    ok = startOk + o * steps;
    errors = startErr + e * steps;
    first = false;
  }
  return { ok: parts.ok.join(' '), errors: parts.errors.join(' ') };
}

interface Variant {
  name: string;
  config: PlatformConfig;
  /** The request counter of the SLI, as the service's traffic would produce it. */
  series: (service: string, code: string) => string;
  /** The latency histogram bucket series for an upper bound in milliseconds. */
  bucket: (service: string, leMs: number | '+Inf') => string;
}

const base = {
  tenants: [{ name: 'payments', plan: 'professional' as const, owners: ['o@example.com'] }],
  services: [
    { name: 'checkout', tenant: 'payments', image: 'x:1', port: 8080, slo: { availability: 99.9, latencyP95Ms: 300 } },
    { name: 'ledger', tenant: 'payments', image: 'x:1', port: 8080, slo: { availability: 99.9 } },
  ],
};
const VARIANTS: Variant[] = [
  {
    name: 'Istio SLI (istio_requests_total)',
    config: makeConfig({ ...base, mesh: { istio: { enabled: true } }, observability: { prometheus: { enabled: true } } }),
    series: (svc, code) =>
      `istio_requests_total{reporter="destination",source_workload="caller",destination_service_namespace="payments",destination_service_name="${svc}",response_code="${code}"}`,
    bucket: (svc, le) =>
      `istio_request_duration_milliseconds_bucket{reporter="destination",destination_service_namespace="payments",destination_service_name="${svc}",le="${le}"}`,
  },
  {
    name: 'app SLI (http_requests_total)',
    config: makeConfig({ ...base, observability: { prometheus: { enabled: true } } }),
    series: (svc, code) => `http_requests_total{namespace="payments",job="${svc}",instance="10.0.0.1:8080",code="${code}"}`,
    bucket: (svc, le) => `http_request_duration_seconds_bucket{namespace="payments",job="${svc}",instance="10.0.0.1:8080",le="${le === '+Inf' ? le : le / 1000}"}`,
  },
];

const DAY = 24 * 60;
/** Days of series evaluated every minute take promtool minutes: sample every 4m and evaluate every 12m
 *  (the 5m window still holds two samples; every expectation below sits on the 12m grid). */
const SAMPLE_MINUTES = 4;
const EVAL_MINUTES = 12;
const PAGE = 'SLOErrorBudgetBurnFast';
const TICKET = 'SLOErrorBudgetBurnSlow';

describe.each(VARIANTS)('promtool test rules: burn-rate alerts with the $name', (variant) => {
  const groups = ruleGroups(variant.config).get('slo-payments-checkout')!;
  const ledgerGroups = ruleGroups(variant.config).get('slo-payments-ledger')!;
  const budget = 0.001;
  const fmt = (m: number) => `${m}m`;

  /** An alert promtool must see firing (labels and annotations straight from the generated rule). */
  const firing = (from: PromRuleGroup[], alert: string) => {
    const rule: PromRule = from.flatMap((g) => g.rules).find((r) => r.alert === alert)!;
    return { exp_labels: { ...rule.labels }, exp_annotations: { ...rule.annotations } };
  };

  /** One promtool test group: checkout follows `segments`; ledger burns its whole budget (a noisy
   *  neighbour that must not trip checkout's alerts). Expectations: minute → alerts firing. */
  async function expectAlerts(bin: string, label: string, segments: Array<[number, number]>, expectations: Array<[number, { page: boolean; ticket: boolean }]>) {
    const total = segments.reduce((n, [m]) => n + m, 0);
    const t = traffic(budget, segments, SAMPLE_MINUTES);
    const neighbour = traffic(budget, [[total, 500]], SAMPLE_MINUTES);
    const rulesFile = join(workDir, `rules-${variant.name.replaceAll(/\W+/g, '_')}.yaml`);
    writeFileSync(rulesFile, stringify({ groups: [...groups, ...ledgerGroups] }));
    const testFile = join(workDir, `test-${variant.name.replaceAll(/\W+/g, '_')}-${label}.yaml`);
    writeFileSync(
      testFile,
      stringify({
        rule_files: [rulesFile],
        evaluation_interval: `${EVAL_MINUTES}m`,
        // Recording groups before alerting groups at every tick: promtool's default order is arbitrary,
        // and with a 12m interval an alert would otherwise read a recording older than the 5m lookback.
        group_eval_order: [...groups, ...ledgerGroups].map((g) => g.name).sort((a, b) => Number(a.endsWith('.alerts')) - Number(b.endsWith('.alerts'))),
        tests: [
          {
            name: label,
            interval: `${SAMPLE_MINUTES}m`,
            input_series: [
              { series: variant.series('checkout', '200'), values: t.ok },
              { series: variant.series('checkout', '500'), values: t.errors },
              { series: variant.series('ledger', '200'), values: neighbour.ok },
              { series: variant.series('ledger', '503'), values: neighbour.errors },
            ],
            alert_rule_test: expectations.flatMap(([minute, want]) =>
              [
                [PAGE, want.page],
                [TICKET, want.ticket],
              ].map(([alert, fires]) => ({
                eval_time: fmt(minute),
                alertname: alert as string,
                // promtool compares every alert of the name: ledger's fire all along (its 50% errors
                // burn 500× its budget) and must be there, with ledger's labels, next to checkout's.
                exp_alerts: [...(fires ? [firing(groups, alert as string)] : []), firing(ledgerGroups, alert as string)],
              })),
            ),
          },
        ],
      }),
    );
    const r = await run(bin, ['test', 'rules', testFile]);
    expect(r.ok, `${label}:\n${r.output}`).toBe(true);
  }

  it('0.5× the budget for over three days: nothing fires', async (ctx) => {
    const bin = needPromtool(ctx);
    await expectAlerts(bin, 'half-budget', [[3 * DAY + 6 * 60 + 12, 0.5]], [
      [60, { page: false, ticket: false }],
      [DAY, { page: false, ticket: false }],
      [3 * DAY, { page: false, ticket: false }],
      [3 * DAY + 6 * 60, { page: false, ticket: false }],
    ]);
  });

  it('20× after three healthy days: the fast-burn page fires within the hour, not before the 1h window fills', async (ctx) => {
    const bin = needPromtool(ctx);
    const start = 3 * DAY;
    // The 1h ratio crosses 14.4× after ~43 minutes at 20× (0.5× before): (f·20 + (1−f)·0.5 > 14.4 ⇔ f > 0.713).
    await expectAlerts(bin, 'fast-burn', [[start, 0.5], [120, 20]], [
      [start - EVAL_MINUTES, { page: false, ticket: false }],
      [start + 36, { page: false, ticket: false }],
      [start + 48, { page: true, ticket: false }],
      // Still no ticket after 96 minutes: the 1d window is at 1.8×, the 3d window at 0.94× — the
      // ticket is for slow burns; this one is the page's.
      [start + 96, { page: true, ticket: false }],
    ]);
  });

  it('3× after three healthy days: only the slow-burn ticket fires, once the 3d window shows it (~14.4h)', async (ctx) => {
    const bin = needPromtool(ctx);
    const start = 3 * DAY;
    // The 3d window (sliding over three healthy days) passes 1× when ((3d − t)·0.5 + t·3) / 3d > 1 ⇔ t > 14.4h;
    // the 6h window passes 1× after 1.2h. The 1d window only tends to 3× (never above it), and the page
    // thresholds (14.4× over 1h, 6× over 6h) are out of reach of a 3× burn.
    await expectAlerts(bin, 'slow-burn', [[start, 0.5], [DAY + 60, 3]], [
      [start + 60, { page: false, ticket: false }],
      [start + 13 * 60, { page: false, ticket: false }],
      [start + 16 * 60, { page: false, ticket: true }],
      [start + DAY, { page: false, ticket: true }],
    ]);
  });
  it('p95 latency: recorded from the histogram, the ticket fires after 15 minutes above the target only', async (ctx) => {
    const bin = needPromtool(ctx);
    // Per minute: 50 requests ≤100ms, 40 more ≤250ms, 10 more ≤500ms. p95 = 250 + 250·(95−90)/(100−90) = 375ms,
    // above the 300ms target; then a fast period (all ≤100ms) where p95 falls under 100ms.
    const buckets: Array<[number | '+Inf', number, number]> = [
      [100, 50, 100],
      [250, 90, 100],
      [500, 100, 100],
      ['+Inf', 100, 100],
    ];
    const slowMinutes = 40;
    const input_series = buckets.map(([le, slow, fast]) => ({
      series: variant.bucket('checkout', le),
      values: `0+${slow}x${slowMinutes} ${slow * slowMinutes + fast}+${fast}x59`,
    }));
    const rulesFile = join(workDir, `latency-rules-${variant.name.replaceAll(/\W+/g, '_')}.yaml`);
    writeFileSync(rulesFile, stringify({ groups }));
    const alert = firing(groups, 'SLOLatencyP95High');
    const testFile = join(workDir, `latency-test-${variant.name.replaceAll(/\W+/g, '_')}.yaml`);
    writeFileSync(
      testFile,
      stringify({
        rule_files: [rulesFile],
        evaluation_interval: '1m',
        tests: [
          {
            interval: '1m',
            input_series,
            promql_expr_test: [
              {
                // Rounded: rate() and interpolation leave float noise (374.99999999999983).
                expr: `round(slo:sli_latency_p95:milliseconds_rate5m{tenant="payments",service="checkout"})`,
                eval_time: '30m',
                exp_samples: [{ labels: '{tenant="payments",service="checkout"}', value: 375 }],
              },
            ],
            alert_rule_test: [
              { eval_time: '12m', alertname: 'SLOLatencyP95High', exp_alerts: [] }, // above target, but not yet for 15m
              { eval_time: '30m', alertname: 'SLOLatencyP95High', exp_alerts: [alert] },
              { eval_time: '90m', alertname: 'SLOLatencyP95High', exp_alerts: [] }, // fast again
            ],
          },
        ],
      }),
    );
    const r = await run(bin, ['test', 'rules', testFile]);
    expect(r.ok, r.output).toBe(true);
  });
});
