/**
 * `platform drift` end to end, for each engine: a two-region estate applied by the real engine on the
 * real local plane, out-of-band changes made with the real kubectl, drift run as a real process.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine, PlatformInput } from '../../src/config/schema.js';
import { planStacks } from '../../src/stacks/plan.js';
import { createDriftProject, findingLines, type DriftProject } from './harness.js';

const ENGINES: Engine[] = (process.env.PLATFORM_DRIFT_ENGINES?.split(',') as Engine[] | undefined) ?? ['pulumi', 'terraform'];

function estate(engine: Engine, name: string): PlatformInput {
  return {
    apiVersion: 'platform.dev/v1',
    name,
    engine,
    regions: [
      { name: 'eu', cloud: 'local', location: 'local-eu', role: 'primary' },
      { name: 'us', cloud: 'local', location: 'local-us', role: 'dr' },
    ],
    tenants: [{ name: 'payments', plan: 'starter', owners: ['ana@example.com'] }],
    services: [
      {
        name: 'checkout',
        tenant: 'payments',
        image: 'ghcr.io/acme/checkout:1.4.2',
        port: 8080,
        replicas: 2,
        env: { LOG_LEVEL: 'info' },
        canary: { image: 'ghcr.io/acme/checkout:1.5.0', weight: 10 },
      },
      { name: 'ledger', tenant: 'payments', image: 'ghcr.io/acme/ledger:2.0.0', port: 8080, replicas: 1, autoscale: { min: 1, max: 4, cpuPercent: 70 } },
    ],
    mesh: { istio: { enabled: true, mtls: 'STRICT' } },
    observability: { grafana: { enabled: true } },
    dr: { rpoMinutes: 60, rtoMinutes: 30, backupSchedule: '*/30 * * * *', failover: 'dns' },
  };
}

describe.each(ENGINES)('platform drift with the %s engine', (engine) => {
  let project: DriftProject;
  let input: PlatformInput;
  let dashboardConfigMap: string;
  let canaryRoute: number;

  beforeAll(async () => {
    input = estate(engine, `d${engine.slice(0, 2)}${randomBytes(2).toString('hex')}`);
    project = await createDriftProject(input);
    const report = await project.apply();
    const failed = report.stacks.filter((s) => s.status === 'failed');
    expect(failed.map((s) => `${s.id}: ${s.error?.message}`)).toEqual([]);
  });

  afterAll(async () => {
    await (project as DriftProject | undefined)?.down(); // unset when beforeAll failed early
  });

  it('is clean right after apply, twice in a row', async () => {
    for (let i = 0; i < 2; i++) {
      const { exitCode, report } = await project.drift();
      expect(findingLines(report)).toEqual([]);
      expect(report.stacks.every((s) => s.status === 'clean')).toBe(true);
      expect(report.stacks.map((s) => s.id).sort()).toEqual(
        planStacks(project.config())
          .map((s) => s.id)
          .sort(),
      );
      expect(exitCode).toBe(0);
    }
  });

  it('reports each out-of-band change once, in the right class and path, and nothing else', async () => {
    const k = (args: string[]) => project.kubectl('eu', args);
    k(['scale', 'deployment/checkout', '-n', 'payments', '--replicas=4']);
    k(['label', 'service/checkout', '-n', 'payments', 'team=blue']);
    const vs = JSON.parse(k(['get', 'virtualservice.networking.istio.io/checkout', '-n', 'payments', '-o', 'json'])) as {
      spec: { http: Array<{ route: Array<{ weight: number }> }> };
    };
    canaryRoute = vs.spec.http[0].route.findIndex((r) => r.weight === 90);
    expect(canaryRoute).toBeGreaterThanOrEqual(0);
    k([
      'patch',
      'virtualservice.networking.istio.io/checkout',
      '-n',
      'payments',
      '--type=json',
      '-p',
      JSON.stringify([{ op: 'replace', path: `/spec/http/0/route/${canaryRoute}/weight`, value: 50 }]),
    ]);
    dashboardConfigMap = k(['get', 'configmaps', '-n', 'monitoring', '-l', 'grafana_dashboard=1', '-o', 'jsonpath={.items[0].metadata.name}']).trim();
    expect(dashboardConfigMap).not.toBe('');
    k(['delete', 'configmap', dashboardConfigMap, '-n', 'monitoring']);
    k(['create', 'configmap', 'stray', '-n', 'payments', '--from-literal=owner=someone']);
    // HPA-owned: the ledger Deployment is the scale target of its HPA, so this is not drift (preset).
    k(['scale', 'deployment/ledger', '-n', 'payments', '--replicas=3']);
    // A merged config change, not applied: ledger's image.
    const changed = structuredClone(input);
    changed.services![1] = { ...changed.services![1], image: 'ghcr.io/acme/ledger:2.0.1' };
    project.write(changed);
    project.commit('ledger 2.0.1');
    // A dirty working tree must not change the answer.
    const dirty = structuredClone(changed);
    dirty.services![0] = { ...dirty.services![0], replicas: 9 };
    project.write(dirty);

    const { exitCode, report } = await project.drift();
    expect(findingLines(report)).toEqual(
      [
        'app/eu/payments/checkout drifted Deployment payments/checkout /spec/replicas',
        'app/eu/payments/checkout drifted Service payments/checkout /metadata/labels/team',
        `app/eu/payments/checkout drifted VirtualService payments/checkout /spec/http/0/route/${canaryRoute}/weight`,
        'app/eu/payments/ledger pending Deployment payments/ledger /spec/template/spec/containers/0/image',
        'app/us/payments/ledger pending Deployment payments/ledger /spec/template/spec/containers/0/image',
        `observability/eu missing ConfigMap monitoring/${dashboardConfigMap}`,
        'tenant/eu/payments unmanaged ConfigMap payments/stray',
      ].sort(),
    );
    expect(exitCode).toBe(3);
    const checkout = report.stacks.find((s) => s.id === 'app/eu/payments/checkout')!;
    const values = Object.fromEntries(checkout.findings.flatMap((f) => f.paths.map((p) => [`${f.kind}${p.path}`, p])));
    expect(values['Deployment/spec/replicas']).toMatchObject({ state: 2, live: 4 });
    expect(values['Service/metadata/labels/team']).toMatchObject({ live: 'blue' });
    expect(values[`VirtualService/spec/http/0/route/${canaryRoute}/weight`]).toMatchObject({ state: 90, live: 50 });
    const ledger = report.stacks.find((s) => s.id === 'app/eu/payments/ledger')!;
    expect(ledger.findings[0].paths[0]).toMatchObject({ git: 'ghcr.io/acme/ledger:2.0.1', state: 'ghcr.io/acme/ledger:2.0.0' });
    expect(
      report.stacks
        .filter((s) => s.status === 'drift')
        .map((s) => s.id)
        .sort(),
    ).toEqual(['app/eu/payments/checkout', 'app/eu/payments/ledger', 'app/us/payments/ledger', 'observability/eu', 'tenant/eu/payments'].sort());
  });

  it('the same report as a table and as Markdown', async () => {
    const table = await project.driftText([]);
    expect(table.exitCode).toBe(3);
    expect(table.stdout).toContain('/spec/replicas: 2 → 4');
    expect(table.stdout).toContain('unmanaged');
    const markdown = await project.driftText(['--format', 'markdown']);
    expect(markdown.exitCode).toBe(3);
    expect(markdown.stdout).toMatch(/^## platform drift: drift found/);
    expect(markdown.stdout).toContain('| drifted | apps/v1 Deployment payments/checkout | `/spec/replicas` | `2 → 4` |');
  });

  it('a user ignore rule silences the chosen field', async () => {
    const withIgnore = structuredClone(input);
    withIgnore.services![1] = { ...withIgnore.services![1], image: 'ghcr.io/acme/ledger:2.0.1' };
    withIgnore.drift = { ignore: [{ kind: 'Service', namespace: 'payments', name: 'checkout', paths: ['/metadata/labels/team'] }] };
    project.write(withIgnore);
    project.commit('ignore the team label');
    const { exitCode, report } = await project.drift();
    const lines = findingLines(report);
    expect(lines.filter((l) => l.includes(' Service payments/checkout'))).toEqual([]);
    expect(lines).toContain('app/eu/payments/checkout drifted Deployment payments/checkout /spec/replicas');
    expect(lines).toHaveLength(6);
    expect(exitCode).toBe(3);
  });

  it('one region stopped: its stacks are errors, the other region is still reported, exit 1', async () => {
    await project.stopRegion('us');
    const { exitCode, report } = await project.drift();
    const us = report.stacks.filter((s) => s.id.split('/')[1] === 'us');
    expect(us.map((s) => s.id).sort()).toEqual(
      planStacks(project.config())
        .filter((s) => s.region.name === 'us')
        .map((s) => s.id)
        .sort(),
    );
    for (const s of us) {
      expect(s.status).toBe('error');
      expect(s.error).toMatch(/region us: cannot read the API server/);
    }
    expect(findingLines(report).filter((l) => l.split('/')[1].startsWith('eu'))).toHaveLength(5);
    expect(exitCode).toBe(1);
  });

  it('--ref picks an older commit', async () => {
    const { report } = await project.drift(['--ref', 'HEAD~2', '--stack', 'app/eu/payments/ledger']);
    expect(report.ref).toBe('HEAD~2');
    expect(report.stacks.map((s) => s.id)).toEqual(['app/eu/payments/ledger']);
    expect(report.stacks[0].findings).toEqual([]); // at the first commit, Git = state again
  });
});
