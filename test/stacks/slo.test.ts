/**
 * The SLO rules against what Sloth would generate for the same SLO, written down from Sloth's source
 * (github.com/slok/sloth at v0.16.0, commit 9e3d413: pkg/common/conventions/slo.go and
 * internal/plugin/slo/core/{sli_rules_v1,metadata_rules_v1,alert_rules_v1}/plugin.go, with its default
 * internal/alert/windows/google-30d.yaml). No Sloth binary: the expected set is spelled out here.
 * The real-Prometheus checks (promtool) are in slo.int.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { platformSchema } from '../../src/config/schema.js';
import { buildObservability } from '../../src/stacks/observability.js';
import { BUCKET_MISSING_ALERT, LATENCY_ALERT, leMatcher, sloRuleGroups, type PromRule } from '../../src/stacks/slo.js';
import { makeConfig, type Json } from './helpers.js';

/** Any value: Sloth writes its own version, mode and spec there; we write ours. */
const ANY = Symbol('any value');

interface SlothRule {
  record?: string;
  alert?: 'page' | 'ticket';
  labels: Record<string, string | typeof ANY>;
  /** The expression, where Sloth's is independent of the SLI queries. */
  expr?: string;
}

/**
 * What Sloth v0.16.0 generates for `service: <service>`, `slos: [{ name, objective, sli.events }]`,
 * leaving out the SLI queries themselves (they are the user's): record names, labels, and the metadata
 * and alert expressions, with the error budget written the way we write numbers (Sloth prints float noise
 * such as 0.0009999999999999432).
 */
function slothGenerates(service: string, name: string, objective: number, budget: number): SlothRule[] {
  const ids = { sloth_id: `${service}-${name}`, sloth_service: service, sloth_slo: name };
  // LabelsToPromFilter: sorted keys, `, ` between them.
  const filter = `{sloth_id="${ids.sloth_id}", sloth_service="${service}", sloth_slo="${name}"}`;
  const burnRate = (w: string) => `slo:sli_error:ratio_rate${w}${filter}\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio${filter}`;
  const max = (w: string, f: number) => `max(slo:sli_error:ratio_rate${w}${filter} > (${f} * ${budget})) without (sloth_window)`;
  const mwmb = (a: [string, string, number], b: [string, string, number]) =>
    `(\n    ${max(a[0], a[2])}\n    and\n    ${max(a[1], a[2])}\n)\nor\n(\n    ${max(b[0], b[2])}\n    and\n    ${max(b[1], b[2])}\n)`;
  return [
    // sli_rules_v1: the alert windows, then the SLO period (30d).
    ...['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d'].map((w) => ({ record: `slo:sli_error:ratio_rate${w}`, labels: { ...ids, sloth_window: w } })),
    // metadata_rules_v1
    { record: 'slo:objective:ratio', labels: ids, expr: `vector(${Number((objective / 100).toPrecision(12))})` },
    { record: 'slo:error_budget:ratio', labels: ids },
    { record: 'slo:time_period:days', labels: ids, expr: 'vector(30)' },
    { record: 'slo:current_burn_rate:ratio', labels: ids, expr: burnRate('5m') },
    { record: 'slo:period_burn_rate:ratio', labels: ids, expr: burnRate('30d') },
    { record: 'slo:period_error_budget_remaining:ratio', labels: ids, expr: `1 - slo:period_burn_rate:ratio${filter}` },
    {
      record: 'sloth_slo_info',
      labels: { ...ids, sloth_version: ANY, sloth_mode: ANY, sloth_spec: ANY, sloth_objective: String(objective) },
      expr: 'vector(1)',
    },
    // alert_rules_v1: alerts inherit the ids from the expression and add sloth_severity.
    { alert: 'page', labels: { ...ids, sloth_severity: 'page' }, expr: mwmb(['5m', '1h', 14.4], ['30m', '6h', 6]) },
    { alert: 'ticket', labels: { ...ids, sloth_severity: 'ticket' }, expr: mwmb(['2h', '1d', 3], ['6h', '3d', 1]) },
  ];
}

const meshed = makeConfig({
  tenants: [
    { name: 'payments', plan: 'professional', owners: ['o@example.com'] },
    { name: 'shop', plan: 'starter', owners: ['o@example.com'] },
  ],
  services: [
    { name: 'checkout', tenant: 'payments', image: 'x:1', port: 8080, slo: { availability: 99.9, latency: { thresholdMs: 500, objective: 99 } } },
    // The same service name in another tenant, with both SLOs too.
    { name: 'checkout', tenant: 'shop', image: 'x:1', port: 8080, slo: { availability: 99.5, latencyP95Ms: 250 } },
  ],
  mesh: { istio: { enabled: true } },
  observability: { prometheus: { enabled: true } },
});
const rulesOf = (tenant: string, name: string, c = meshed): PromRule[] =>
  sloRuleGroups(
    c,
    c.services.find((s) => s.tenant === tenant && s.name === name)!,
  ).flatMap((g) => g.rules);

describe('Sloth v0.16.0 compatibility', () => {
  const ours = rulesOf('payments', 'checkout');
  const expected = slothGenerates('checkout.payments', 'availability', 99.9, 0.001);

  it.each(expected.map((r) => [r.record ?? `${r.alert} alert`, r] as const))('has what Sloth generates: %s', (_, want) => {
    const candidates = ours.filter((r) =>
      want.record ? r.record === want.record : r.labels?.sloth_severity === want.alert && r.labels?.sloth_slo === 'availability',
    );
    const match = candidates.find((r) =>
      Object.entries(want.labels).every(([k, v]) => (v === ANY ? typeof r.labels?.[k] === 'string' && r.labels[k] !== '' : r.labels?.[k] === v)),
    );
    expect(match, `no rule with ${JSON.stringify(want)} among ${JSON.stringify(candidates, null, 1)}`).toBeDefined();
    if (want.expr) expect(match!.expr).toBe(want.expr);
  });

  it('records nothing under a Sloth name that Sloth would not (names are a superset, not a clash)', () => {
    const slothNames = new Set(expected.map((r) => r.record).filter(Boolean));
    const extra = ours.filter((r) => r.record && r.labels?.sloth_slo === 'availability' && !slothNames.has(r.record)).map((r) => r.record);
    // The two 5m event rates behind the traffic-weighted 30d SLI, under names Sloth does not use.
    expect(extra).toEqual(['slo:sli_bad_events:rate5m', 'slo:sli_events:rate5m']);
  });

  it('carries our tenant/service next to the Sloth ids on every series and SLO alert', () => {
    for (const r of ours.filter((x) => x.record || x.labels?.sloth_severity)) {
      expect(r.labels, r.record ?? r.alert).toMatchObject({ tenant: 'payments', service: 'checkout' });
    }
  });

  it('never writes the same series twice: two SLOs on one service, one service name in two tenants', () => {
    const keys = [...rulesOf('payments', 'checkout'), ...rulesOf('shop', 'checkout')]
      .filter((r) => r.record)
      .map((r) => `${r.record}${JSON.stringify(Object.entries(r.labels ?? {}).sort())}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(keys.map((k) => JSON.parse(k.slice(k.indexOf('['))).find(([l]: string[]) => l === 'sloth_id')[1]))).toEqual(
      new Set(['checkout.payments-availability', 'checkout.payments-latency', 'checkout.shop-availability', 'checkout.shop-latency']),
    );
  });
});

describe('latency SLO', () => {
  it('counts requests slower than the threshold from the histogram buckets, and is absent (not 0) without the bucket', () => {
    const ratio5m = rulesOf('payments', 'checkout').find((r) => r.record === 'slo:sli_error:ratio_rate5m' && r.labels?.sloth_slo === 'latency')!;
    const sel = 'reporter="destination",destination_service_namespace="payments",destination_service_name="checkout"';
    expect(ratio5m.expr).toBe(
      `(sum(rate(istio_request_duration_milliseconds_bucket{${sel},le="+Inf"}[5m])) - sum(rate(istio_request_duration_milliseconds_bucket{${sel},le=~"500|500[.]0"}[5m])))\n/\nsum(rate(istio_request_duration_milliseconds_bucket{${sel},le="+Inf"}[5m]))`,
    );
    expect(ratio5m.expr).not.toContain('vector(0)');
  });

  it('reads the app histogram in seconds without Istio', () => {
    const c = makeConfig({
      services: [{ name: 'web', tenant: 'team-a', image: 'x:1', port: 80, slo: { availability: 99, latency: { thresholdMs: 250, objective: 99 } } }],
    });
    const ratio = sloRuleGroups(c, c.services[0])
      .flatMap((g) => g.rules)
      .find((r) => r.record === 'slo:sli_error:ratio_rate1h' && r.labels?.sloth_slo === 'latency')!;
    expect(ratio.expr).toContain('http_request_duration_seconds_bucket{namespace="team-a",job="web",le=~"0[.]25"}[1h]');
  });

  it('reads latencyP95Ms: N as "95% within N ms"; the p95 threshold alert only with p95AlertMs', () => {
    const shop = rulesOf('shop', 'checkout');
    expect(shop.find((r) => r.record === 'slo:objective:ratio' && r.labels?.sloth_slo === 'latency')!.expr).toBe('vector(0.95)');
    expect(shop.find((r) => r.record === 'sloth_slo_info' && r.labels?.sloth_slo === 'latency')!.labels!.sloth_objective).toBe('95');
    expect(shop.map((r) => r.alert)).not.toContain(LATENCY_ALERT);
    expect(shop.map((r) => r.alert)).toContain(BUCKET_MISSING_ALERT);

    const withExtra = makeConfig({
      ...meshed,
      services: [{ ...meshed.services[0], slo: { availability: 99.9, latency: { thresholdMs: 500, objective: 99, p95AlertMs: 300 } } }],
    });
    const extra = rulesOf('payments', 'checkout', withExtra);
    expect(extra.find((r) => r.alert === LATENCY_ALERT)).toMatchObject({
      expr: 'slo:sli_latency_p95:milliseconds_rate5m{tenant="payments",service="checkout"} > 300',
      for: '15m',
    });
  });

  it('matches every spelling of a bucket bound', () => {
    expect(leMatcher(500)).toBe('500|500[.]0');
    expect(leMatcher(0.25)).toBe('0[.]25');
    expect(leMatcher(1)).toBe('1|1[.]0');
    expect(leMatcher(1800000)).toBe('1800000|1800000[.]0|1[.]8e[+]06');
    for (const [value, spellings] of [
      [500, ['500', '500.0']],
      [1, ['1', '1.0']],
      [0.25, ['0.25']],
      [1800000, ['1800000', '1800000.0', '1.8e+06']],
    ] as const) {
      const re = new RegExp(`^(?:${leMatcher(value)})$`);
      for (const s of spellings) expect(s).toMatch(re);
      expect('5000').not.toMatch(re);
    }
  });
});

describe('slo config', () => {
  it('accepts the shorthand and the explicit form, and rejects a latency objective of 100', () => {
    const svc = { name: 'web', tenant: 'team-a', image: 'x:1', port: 80 };
    const parse = (slo: unknown) =>
      platformSchema.safeParse({
        apiVersion: 'platform.dev/v1',
        name: 'a',
        regions: [{ name: 'eu', cloud: 'local', location: 'x', role: 'primary' }],
        services: [{ ...svc, slo }],
      });
    expect(parse({ availability: 99.9, latencyP95Ms: 250 }).success).toBe(true);
    expect(parse({ availability: 99.9, latency: { thresholdMs: 250, objective: 99 } }).success).toBe(true);
    expect(parse({ availability: 99.9, latency: { thresholdMs: 250, objective: 100 } }).success).toBe(false);
    expect(parse({ availability: 99.9, latency: { thresholdMs: 250 } }).success).toBe(false);
    expect(parse({ availability: 99.9, latency: { thresholdMs: 250, objective: 99, p95: 300 } }).success).toBe(false);
  });

  it('puts both SLOs of a service in its one PrometheusRule', () => {
    const rule = buildObservability(meshed, meshed.regions[0])
      .objects.map((o) => o.manifest)
      .find((m) => m.kind === 'PrometheusRule' && m.metadata.name === 'slo-payments-checkout') as Json;
    expect(rule.spec.groups.map((g: Json) => g.name)).toEqual(['slo.payments.checkout.recording', 'slo.payments.checkout.alerts']);
    const alerts = rule.spec.groups[1].rules.map((r: Json) => `${r.alert}/${r.labels.slo}`);
    expect(alerts).toEqual([
      'SLOErrorBudgetBurnFast/availability',
      'SLOErrorBudgetBurnSlow/availability',
      'SLOErrorBudgetBurnFast/latency',
      'SLOErrorBudgetBurnSlow/latency',
      `${BUCKET_MISSING_ALERT}/latency`,
    ]);
  });
});
