/**
 * The generated SLO rules, checked by the real Prometheus tooling: `promtool check rules` on every rule
 * group the planner emits, and `promtool test rules` with synthetic series for the burn-rate alerts, the
 * 30-day error budget, the latency SLO, and the queries of Sloth's published Grafana dashboard (14348).
 *
 * promtool comes from the toolchain (`resolveTool('promtool')`); `PROMTOOL=/path/to/promtool` overrides
 * it. Without either, every test here skips and says why.
 *
 * Days of series evaluated every minute take promtool minutes: series are sampled every 4m (the 5m
 * window still holds two samples) and evaluated every 12m, every hour, or every 4h for the 30-day
 * budget; every expectation sits on that grid.
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
  // `all` is undefined when execa fails before spawning, whatever its type says.
  const all = r.all as string | undefined;
  return { ok: r.exitCode === 0, output: all ?? '' };
}

describe('promtool check rules', () => {
  const noMesh = makeConfig({
    services: [
      { name: 'web', tenant: 'team-a', image: 'x:1', port: 8080, slo: { availability: 99.5, latency: { thresholdMs: 250, objective: 99, p95AlertMs: 200 } } },
    ],
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
 * A counter in promtool's expanding notation, sampled every `step` minutes: `segments` of [minutes,
 * increase per sample]. The first segment starts at 0 (and includes that sample); later ones continue.
 */
function counter(segments: Array<[minutes: number, perStep: number]>, step: number): string {
  const parts: string[] = [];
  let value = 0;
  let first = true;
  for (const [minutes, inc] of segments) {
    const samples = minutes / step;
    const start = first ? 0 : Number((value + inc).toFixed(6));
    const steps = first ? samples : samples - 1;
    parts.push(`${start}+${inc}x${steps}`);
    value = Number((start + inc * steps).toFixed(6));
    first = false;
  }
  return parts.join(' ');
}

/** Requests and 5xx over `segments` of [minutes, burn rate, requests a minute (default 1000)]: the
 *  error share is burn × budget. */
function traffic(budget: number, segments: Array<[minutes: number, burn: number, perMinute?: number]>, step: number): { ok: string; errors: string } {
  const errors = segments.map(([m, burn, perMinute = 1000]): [number, number] => [m, Number((perMinute * step * budget * burn).toFixed(6))]);
  const ok = segments.map(([m, , perMinute = 1000], i): [number, number] => [m, Number((perMinute * step - errors[i][1]).toFixed(6))]);
  return { ok: counter(ok, step), errors: counter(errors, step) };
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
    {
      name: 'checkout',
      tenant: 'payments',
      image: 'x:1',
      port: 8080,
      slo: { availability: 99.9, latency: { thresholdMs: 500, objective: 99, p95AlertMs: 300 } },
    },
    { name: 'ledger', tenant: 'payments', image: 'x:1', port: 8080, slo: { availability: 99.9 } },
  ],
};
const VARIANTS: Variant[] = [
  {
    name: 'Istio SLI (istio_requests_total)',
    config: makeConfig({ ...base, mesh: { istio: { enabled: true } }, observability: { prometheus: { enabled: true } } }),
    series: (svc, code) =>
      `istio_requests_total{reporter="destination",source_workload="caller",destination_service_namespace="payments",destination_service_name="${svc}",response_code="${code}"}`,
    // Bounds as Prometheus 3 stores Envoy's `le="500"` after scraping: normalized to "500.0".
    bucket: (svc, le) =>
      `istio_request_duration_milliseconds_bucket{reporter="destination",destination_service_namespace="payments",destination_service_name="${svc}",le="${le === '+Inf' ? le : `${le}.0`}"}`,
  },
  {
    name: 'app SLI (http_requests_total)',
    config: makeConfig({ ...base, observability: { prometheus: { enabled: true } } }),
    series: (svc, code) => `http_requests_total{namespace="payments",job="${svc}",instance="10.0.0.1:8080",code="${code}"}`,
    bucket: (svc, le) =>
      `http_request_duration_seconds_bucket{namespace="payments",job="${svc}",instance="10.0.0.1:8080",le="${le === '+Inf' ? le : le / 1000}"}`,
  },
];

const DAY = 24 * 60;
const SAMPLE_MINUTES = 4;
const PAGE = 'SLOErrorBudgetBurnFast';
const TICKET = 'SLOErrorBudgetBurnSlow';
const AVAILABILITY = { sloth_service: 'checkout.payments', sloth_slo: 'availability' };
const LATENCY = { sloth_service: 'checkout.payments', sloth_slo: 'latency' };
/** Labels of the budget series of a checkout SLO (Sloth's ids, ours, and the window of the ratio they come from). */
const budgetLabels = (slo: 'availability' | 'latency', window: string) =>
  `{service="checkout",sloth_id="checkout.payments-${slo}",sloth_service="checkout.payments",sloth_slo="${slo}",sloth_window="${window}",tenant="payments"}`;

describe.each(VARIANTS)('promtool test rules with the $name', (variant) => {
  const groups = ruleGroups(variant.config).get('slo-payments-checkout')!;
  const ledgerGroups = ruleGroups(variant.config).get('slo-payments-ledger')!;
  const budget = 0.001;
  const tag = variant.name.replaceAll(/\W+/g, '_');

  /** An alert promtool must see firing: its labels are the generated rule's (which repeat the SLO ids). */
  const firing = (from: PromRuleGroup[], alert: string, slo = 'availability') => {
    const rule: PromRule = from.flatMap((g) => g.rules).find((r) => r.alert === alert && r.labels?.slo === slo)!;
    return { exp_labels: { ...rule.labels }, exp_annotations: { ...rule.annotations } };
  };

  /** Run one promtool test file over `ruleSets`; recording groups are evaluated before alerting groups
   *  at every tick (promtool's default order is arbitrary, and an alert must read this tick's recording). */
  async function promtoolTest(bin: string, label: string, ruleSets: PromRuleGroup[], evalMinutes: number, test: Record<string, unknown>) {
    const rulesFile = join(workDir, `rules-${tag}-${label}.yaml`);
    writeFileSync(rulesFile, stringify({ groups: ruleSets }));
    const testFile = join(workDir, `test-${tag}-${label}.yaml`);
    writeFileSync(
      testFile,
      stringify({
        rule_files: [rulesFile],
        evaluation_interval: `${evalMinutes}m`,
        group_eval_order: ruleSets.map((g) => g.name).sort((a, b) => Number(a.endsWith('.alerts')) - Number(b.endsWith('.alerts'))),
        tests: [{ name: label, interval: `${SAMPLE_MINUTES}m`, ...test }],
      }),
    );
    const r = await run(bin, ['test', 'rules', testFile]);
    expect(r.ok, `${label}:\n${r.output}`).toBe(true);
  }

  describe('availability: multi-window burn-rate alerts', () => {
    const EVAL = 12;
    /** checkout follows `segments`; ledger burns its whole budget (a noisy neighbour that must not trip
     *  checkout's alerts). Expectations: minute → alerts firing. */
    async function expectAlerts(
      bin: string,
      label: string,
      segments: Array<[number, number]>,
      expectations: Array<[number, { page: boolean; ticket: boolean }]>,
      promql: unknown[] = [],
    ) {
      const total = segments.reduce((n, [m]) => n + m, 0);
      const t = traffic(budget, segments, SAMPLE_MINUTES);
      const neighbour = traffic(budget, [[total, 500]], SAMPLE_MINUTES);
      await promtoolTest(bin, label, [...groups, ...ledgerGroups], EVAL, {
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
            eval_time: `${minute}m`,
            alertname: alert as string,
            // promtool compares every alert of the name: ledger's fire all along (its 50% errors burn
            // 500× its budget) and must be there, with ledger's labels, next to checkout's.
            exp_alerts: [...(fires ? [firing(groups, alert as string)] : []), firing(ledgerGroups, alert as string)],
          })),
        ),
        promql_expr_test: promql,
      });
    }

    it('0.5× the budget for over three days: nothing fires', async (ctx) => {
      const bin = needPromtool(ctx);
      await expectAlerts(
        bin,
        'half-budget',
        [[3 * DAY + 6 * 60 + 12, 0.5]],
        [
          [60, { page: false, ticket: false }],
          [DAY, { page: false, ticket: false }],
          [3 * DAY, { page: false, ticket: false }],
          [3 * DAY + 6 * 60, { page: false, ticket: false }],
        ],
      );
    });

    it("20× after three healthy days: the page fires within the hour, not before the 1h window fills, and Sloth's dashboard shows it", async (ctx) => {
      const bin = needPromtool(ctx);
      const start = 3 * DAY;
      // The 1h ratio crosses 14.4× after ~43 minutes at 20× (0.5× before): (f·20 + (1−f)·0.5 > 14.4 ⇔ f > 0.713).
      const slothAlertPanel = (severity: string) =>
        `max(ALERTS{sloth_service="${AVAILABILITY.sloth_service}", sloth_slo="${AVAILABILITY.sloth_slo}", sloth_severity="${severity}"}) or on() vector(0)`;
      await expectAlerts(
        bin,
        'fast-burn',
        [
          [start, 0.5],
          [120, 20],
        ],
        [
          [start - EVAL, { page: false, ticket: false }],
          [start + 36, { page: false, ticket: false }],
          [start + 48, { page: true, ticket: false }],
          // Still no ticket after 96 minutes: the 1d window is at 1.8×, the 3d window at 0.94× — the
          // ticket is for slow burns; this one is the page's.
          [start + 96, { page: true, ticket: false }],
        ],
        [
          // The "Critical alert" / "Warning alert" stats of Sloth's dashboard, verbatim.
          { expr: slothAlertPanel('page'), eval_time: `${start + 36}m`, exp_samples: [{ labels: '{}', value: 0 }] },
          { expr: slothAlertPanel('page'), eval_time: `${start + 48}m`, exp_samples: [{ labels: '{}', value: 1 }] },
          { expr: slothAlertPanel('ticket'), eval_time: `${start + 96}m`, exp_samples: [{ labels: '{}', value: 0 }] },
          // 20× now: the current burn rate (5m) reads 20.
          {
            expr: `round(slo:current_burn_rate:ratio{sloth_service="checkout.payments", sloth_slo="availability"}, 0.1)`,
            eval_time: `${start + 96}m`,
            exp_samples: [{ labels: budgetLabels('availability', '5m'), value: 20 }],
          },
        ],
      );
    });

    it('3× after three healthy days: only the ticket fires, once the 3d window shows it (~14.4h)', async (ctx) => {
      const bin = needPromtool(ctx);
      const start = 3 * DAY;
      // The 3d window (sliding over three healthy days) passes 1× when ((3d − t)·0.5 + t·3) / 3d > 1 ⇔ t > 14.4h;
      // the 6h window passes 1× after 1.2h. The 1d window only tends to 3× (never above it), and the page
      // thresholds (14.4× over 1h, 6× over 6h) are out of reach of a 3× burn.
      await expectAlerts(
        bin,
        'slow-burn',
        [
          [start, 0.5],
          [DAY + 60, 3],
        ],
        [
          [start + 60, { page: false, ticket: false }],
          [start + 13 * 60, { page: false, ticket: false }],
          [start + 16 * 60, { page: false, ticket: true }],
          [start + DAY, { page: false, ticket: true }],
        ],
      );
    });
  });

  describe('the 30-day error budget', () => {
    it("0.5× the budget for 30 days: half the budget is left, nothing fired, and Sloth's dashboard queries read it", async (ctx) => {
      const bin = needPromtool(ctx);
      const days = 30;
      const t = traffic(budget, [[days * DAY, 0.5]], SAMPLE_MINUTES);
      const at = `${days * DAY}m`;
      const sloth = `sloth_service="${AVAILABILITY.sloth_service}", sloth_slo="${AVAILABILITY.sloth_slo}"`;
      // Steady traffic: evaluating every 4 hours sees the same as every minute, in a tenth of the time.
      await promtoolTest(bin, 'budget-30d', groups, 240, {
        input_series: [
          { series: variant.series('checkout', '200'), values: t.ok },
          { series: variant.series('checkout', '500'), values: t.errors },
        ],
        promql_expr_test: [
          {
            expr: `round(slo:period_error_budget_remaining:ratio{sloth_id="checkout.payments-availability"}, 0.001)`,
            eval_time: at,
            exp_samples: [{ labels: budgetLabels('availability', '30d'), value: 0.5 }],
          },
          {
            expr: `round(slo:period_burn_rate:ratio{sloth_id="checkout.payments-availability"}, 0.001)`,
            eval_time: at,
            exp_samples: [{ labels: budgetLabels('availability', '30d'), value: 0.5 }],
          },
          {
            expr: `round(slo:sli_error:ratio_rate30d{sloth_id="checkout.payments-availability"}, 0.000001)`,
            eval_time: at,
            exp_samples: [{ labels: budgetLabels('availability', '30d'), value: 0.0005 }],
          },
          // Sloth's dashboard 14348, verbatim but for the round(): SLI (30d), remaining, burning budget, objective.
          {
            expr: `round(1 - (max(slo:sli_error:ratio_rate30d{${sloth}}) OR on() vector(0)), 0.000001)`,
            eval_time: at,
            exp_samples: [{ labels: '{}', value: 0.9995 }],
          },
          {
            expr: `round(slo:period_error_budget_remaining:ratio{${sloth}} or on() vector(1), 0.001)`,
            eval_time: at,
            exp_samples: [{ labels: budgetLabels('availability', '30d'), value: 0.5 }],
          },
          {
            expr: `round(slo:current_burn_rate:ratio{${sloth}} or on() vector(0), 0.001)`,
            eval_time: at,
            exp_samples: [{ labels: budgetLabels('availability', '5m'), value: 0.5 }],
          },
          {
            expr: `slo:objective:ratio{${sloth}}`,
            eval_time: at,
            exp_samples: [
              {
                labels:
                  'slo:objective:ratio{service="checkout",sloth_id="checkout.payments-availability",sloth_service="checkout.payments",sloth_slo="availability",tenant="payments"}',
                value: 0.999,
              },
            ],
          },
          { expr: `count(ALERTS{${sloth}})`, eval_time: at, exp_samples: [] },
        ],
        alert_rule_test: [1, 10, 20, 30].flatMap((d) => [PAGE, TICKET].map((alertname) => ({ eval_time: `${d * DAY}m`, alertname, exp_alerts: [] }))),
      });
    });

    it('weighs by traffic and shrugs off idle time: a busy clean day and a quiet bad day, then an idle hour', async (ctx) => {
      const bin = needPromtool(ctx);
      // Day 1: 10 000 requests a minute at 0.2× the budget; day 2: 1 000 a minute at 2×; then an hour
      // with no requests. Bad events / events = (10·0.2 + 1·2) / 11 × budget → burn 0.364, 63.6% left.
      // (A mean of 5m ratios would say 1.1× and −10%, and the idle hour's 0/0 would make it NaN.)
      const t = traffic(
        budget,
        [
          [DAY, 0.2, 10_000],
          [DAY, 2, 1000],
          [60, 0, 0],
        ],
        SAMPLE_MINUTES,
      );
      const end = 2 * DAY + 60;
      await promtoolTest(bin, 'budget-weighted', groups, 60, {
        input_series: [
          { series: variant.series('checkout', '200'), values: t.ok },
          { series: variant.series('checkout', '500'), values: t.errors },
        ],
        promql_expr_test: [
          {
            expr: `round(slo:period_error_budget_remaining:ratio{sloth_id="checkout.payments-availability"}, 0.01)`,
            eval_time: `${end}m`,
            exp_samples: [{ labels: budgetLabels('availability', '30d'), value: 0.64 }],
          },
          // Idle now: the 5m ratio is 0/0, so the current burn rate is NaN; the 30-day figures are not.
          {
            expr: `count(slo:current_burn_rate:ratio{sloth_id="checkout.payments-availability"} != slo:current_burn_rate:ratio{sloth_id="checkout.payments-availability"})`,
            eval_time: `${end}m`,
            exp_samples: [{ labels: '{}', value: 1 }],
          },
        ],
      });
    });
  });

  describe('latency: a budget of slow requests from the histogram buckets', () => {
    const EVAL = 12;
    /** Per sample, 1000 requests: (1 − slow) of them within 100 ms, `slow` of them between 500 ms (the
     *  threshold) and 1 s. `bounds` are the buckets the service exports. */
    const histogram = (minutes: number, slow: number, bounds: Array<number | '+Inf'> = [100, 500, 1000, '+Inf']) =>
      bounds.map((le) => ({
        series: variant.bucket('checkout', le),
        values: counter([[minutes, le === '+Inf' || le >= 1000 ? 1000 : 1000 * (1 - slow)]], SAMPLE_MINUTES),
      }));
    const latencyAlerts = (minute: number, want: { page: boolean; ticket: boolean }) =>
      [
        [PAGE, want.page],
        [TICKET, want.ticket],
      ].map(([alert, fires]) => ({
        eval_time: `${minute}m`,
        alertname: alert as string,
        exp_alerts: fires ? [firing(groups, alert as string, 'latency')] : [],
      }));

    it('2% of requests slower than 500 ms against 99%: a 2× burn — the ticket fires, the page (≥ 6×) does not', async (ctx) => {
      const bin = needPromtool(ctx);
      await promtoolTest(bin, 'latency-2pct', groups, EVAL, {
        input_series: histogram(DAY, 0.02),
        promql_expr_test: [
          {
            expr: `round(slo:current_burn_rate:ratio{sloth_id="checkout.payments-latency"}, 0.01)`,
            eval_time: '6h',
            exp_samples: [{ labels: budgetLabels('latency', '5m'), value: 2 }],
          },
        ],
        alert_rule_test: [60, 6 * 60, DAY].flatMap((m) => latencyAlerts(m, { page: false, ticket: true })),
      });
    });

    it('20% slower than 500 ms: the page fires', async (ctx) => {
      const bin = needPromtool(ctx);
      await promtoolTest(bin, 'latency-20pct', groups, EVAL, {
        input_series: histogram(3 * 60, 0.2),
        alert_rule_test: [60, 2 * 60].flatMap((m) => latencyAlerts(m, { page: true, ticket: true })),
      });
    });

    it('0.5% slower than 500 ms: nothing fires and half the budget is left', async (ctx) => {
      const bin = needPromtool(ctx);
      await promtoolTest(bin, 'latency-half-pct', groups, EVAL, {
        input_series: histogram(DAY, 0.005),
        promql_expr_test: [
          {
            expr: `round(slo:period_error_budget_remaining:ratio{sloth_id="checkout.payments-latency"}, 0.001)`,
            eval_time: `${DAY}m`,
            exp_samples: [{ labels: budgetLabels('latency', '30d'), value: 0.5 }],
          },
        ],
        alert_rule_test: [60, 6 * 60, DAY].flatMap((m) => latencyAlerts(m, { page: false, ticket: false })),
      });
    });

    it('without a bucket at the threshold: no SLI (not a perfect one), and SLOLatencyBucketMissing after 15 minutes', async (ctx) => {
      const bin = needPromtool(ctx);
      const missing = groups.flatMap((g) => g.rules).find((r) => r.alert === 'SLOLatencyBucketMissing')!;
      await promtoolTest(bin, 'latency-no-bucket', groups, EVAL, {
        input_series: histogram(2 * 60, 0.5, [100, 1000, '+Inf']),
        promql_expr_test: [
          { expr: `slo:sli_error:ratio_rate5m{sloth_service="${LATENCY.sloth_service}", sloth_slo="${LATENCY.sloth_slo}"}`, eval_time: '60m', exp_samples: [] },
        ],
        alert_rule_test: [
          { eval_time: '12m', alertname: 'SLOLatencyBucketMissing', exp_alerts: [] },
          {
            eval_time: '36m',
            alertname: 'SLOLatencyBucketMissing',
            exp_alerts: [{ exp_labels: { ...missing.labels }, exp_annotations: { ...missing.annotations } }],
          },
          { eval_time: '60m', alertname: PAGE, exp_alerts: [] },
        ],
      });
    });

    it('the optional p95 threshold ticket: p95 recorded from the histogram, firing after 15 minutes above p95AlertMs only', async (ctx) => {
      const bin = needPromtool(ctx);
      // Per minute: 50 requests ≤100ms, 40 more ≤250ms, 10 more ≤500ms. p95 = 250 + 250·(95−90)/(100−90) = 375ms,
      // above the 300ms p95AlertMs; then a fast period (all ≤100ms) where p95 falls under 100ms.
      const buckets: Array<[number | '+Inf', number, number]> = [
        [100, 50, 100],
        [250, 90, 100],
        [500, 100, 100],
        ['+Inf', 100, 100],
      ];
      const slowMinutes = 40;
      const alert = firing(groups, 'SLOLatencyP95High', 'latency');
      const rulesFile = join(workDir, `latency-rules-${tag}.yaml`);
      writeFileSync(rulesFile, stringify({ groups }));
      const testFile = join(workDir, `latency-test-${tag}.yaml`);
      writeFileSync(
        testFile,
        stringify({
          rule_files: [rulesFile],
          evaluation_interval: '1m',
          tests: [
            {
              interval: '1m',
              input_series: buckets.map(([le, slow, fast]) => ({
                series: variant.bucket('checkout', le),
                values: `0+${slow}x${slowMinutes} ${slow * slowMinutes + fast}+${fast}x59`,
              })),
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
});
