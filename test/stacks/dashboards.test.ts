import { describe, expect, it } from 'vitest';
import { tenantDashboard } from '../../src/stacks/dashboards.js';
import { sloRuleGroups } from '../../src/stacks/slo.js';
import { makeConfig } from './helpers.js';

const c = makeConfig({
  tenants: [{ name: 'payments', plan: 'professional', owners: ['o@example.com'] }],
  services: [
    {
      name: 'checkout',
      tenant: 'payments',
      image: 'x:1',
      port: 8080,
      slo: { availability: 99.9, latency: { thresholdMs: 500, objective: 99, p95AlertMs: 300 } },
    },
    { name: 'ledger', tenant: 'payments', image: 'x:1', port: 8080, slo: { availability: 99.5 } },
    { name: 'worker', tenant: 'payments', image: 'x:1', port: 8080 },
  ],
  mesh: { istio: { enabled: true } },
  observability: { prometheus: { enabled: true }, grafana: { enabled: true } },
});
/** What these tests read of a Grafana panel. */
interface Panel {
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets: Array<{ expr: string; legendFormat: string }>;
}
const dashboard = tenantDashboard(c, c.tenants[0], c.services);
const panels = dashboard.panels as Panel[];

describe('tenant dashboard', () => {
  it('is the same dashboard as before (deliberate changes only)', () => {
    expect(dashboard).toMatchSnapshot();
  });

  it('has budget-left, budget-remaining and burn-rate panels for every SLO, none for a service without one', () => {
    expect(panels.map((p) => p.title).filter((t) => /budget|burn/.test(t))).toEqual([
      'checkout: availability budget left',
      'checkout: availability error budget remaining (99.9% availability)',
      'checkout: availability burn rate',
      'checkout: latency budget left',
      'checkout: latency error budget remaining (99% within 500 ms)',
      'checkout: latency burn rate',
      'ledger: availability budget left',
      'ledger: availability error budget remaining (99.5% availability)',
      'ledger: availability burn rate',
    ]);
    const burn = panels.find((p) => p.title === 'ledger: availability burn rate')!;
    expect(burn.targets.map((t) => t.legendFormat)).toEqual(['now (5m)', '1h', '6h', '30d']);
    expect(burn.targets[1].expr).toBe(
      'slo:sli_error:ratio_rate1h{sloth_id="ledger.payments-availability", sloth_service="ledger.payments", sloth_slo="availability"} / 0.005',
    );
    expect(panels.find((p) => p.title === 'checkout: latency budget left')).toMatchObject({ type: 'stat', fieldConfig: { defaults: { unit: 'percentunit' } } });
  });

  it('queries only series the rules record, with the labels they carry', () => {
    const recorded = c.services
      .flatMap((s) => sloRuleGroups(c, s))
      .flatMap((g) => g.rules)
      .filter((r) => r.record);
    const queried = panels.flatMap((p) => p.targets.map((t) => t.expr)).flatMap((e) => [...e.matchAll(/(slo:[a-z0-9_:]+)\{([^}]*)\}/g)]);
    expect(queried.length).toBeGreaterThan(10);
    for (const [, name, sel] of queried) {
      const want = Object.fromEntries([...sel.matchAll(/(\w+)="([^"]*)"/g)].map(([, k, v]) => [k, v]));
      expect(
        recorded.some((r) => r.record === name && Object.entries(want).every(([k, v]) => r.labels?.[k] === v)),
        `${name}{${sel}} is not recorded`,
      ).toBe(true);
    }
  });

  it('lays panels out without overlap inside 24 columns', () => {
    const cells = new Set<string>();
    for (const p of panels) {
      const { x, y, w, h } = p.gridPos;
      expect(x + w).toBeLessThanOrEqual(24);
      for (let i = x; i < x + w; i++) {
        for (let j = y; j < y + h; j++) {
          expect(cells.has(`${i},${j}`), `${p.title} overlaps at ${i},${j}`).toBe(false);
          cells.add(`${i},${j}`);
        }
      }
    }
  });
});
