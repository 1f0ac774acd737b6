/**
 * Every custom resource the catalog emits (Istio, Prometheus operator, Velero) validated against the
 * real CRD schema of the pinned release, from the toolchain's CRD bundles — the same schemas the local
 * API server enforces. This is what checks the local Velero interfaces (no kubernetes-models package)
 * and that the Istio/Prometheus models agree with the CRD versions we install.
 */
import { describe, expect, it } from 'vitest';
import type { PlatformConfig } from '../../src/config/schema.js';
import { planStacks } from '../../src/stacks/plan.js';
import { allObjects, EXAMPLES, loadExample, makeConfig, type Json } from './helpers.js';
import { validateStructural } from './structural-schema.js';
import type { KubeObject } from '../../src/objects/model.js';

const BUNDLES = ['istio', 'prometheus-operator', 'velero'] as const;

async function loadSchemas(): Promise<{ schemas?: Map<string, Json>; why?: string }> {
  try {
    const { loadCrdBundle } = (await import('../../src/toolchain/index.js')) as { loadCrdBundle: (b: string) => KubeObject[] };
    const schemas = new Map<string, Json>();
    for (const bundle of BUNDLES) {
      for (const crd of loadCrdBundle(bundle) as Json[]) {
        for (const v of crd.spec.versions) {
          if (v.served) schemas.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, v.schema.openAPIV3Schema);
        }
      }
    }
    return { schemas };
  } catch (e) {
    return { why: `the CRD bundles are not available (${(e as Error).message.split('\n')[0]}); run \`platform toolchain install\`` };
  }
}
const loaded = await loadSchemas();
if (!loaded.schemas) console.warn(`[crd-schema.int.test] SKIPPING: ${loaded.why}`);

const kitchenSink = makeConfig({
  regions: [
    { name: 'eu', cloud: 'gcp', location: 'europe-west1', role: 'primary' },
    { name: 'us', cloud: 'local', location: 'local-us', role: 'dr' },
  ],
  services: [{ name: 'web', tenant: 'team-a', image: 'x:1', port: 8080, canary: { image: 'x:2', weight: 25 }, slo: { availability: 99.5, latencyP95Ms: 100 } }],
  mesh: { istio: { enabled: true, mtls: 'PERMISSIVE', gateway: { hosts: ['a.example'] }, outlierDetection: {} } },
  observability: { prometheus: { enabled: true }, grafana: { enabled: true } },
  dr: { rpoMinutes: 60, rtoMinutes: 30, backupSchedule: '0 * * * *', failover: 'dns' },
} as Json);
const configs: Array<[string, PlatformConfig]> = [...EXAMPLES.map((f): [string, PlatformConfig] => [f, loadExample(f)]), ['kitchen sink', kitchenSink]];

describe('custom resources against the real CRD schemas', () => {
  it.for(configs)('%s: every custom resource matches a served CRD version', ([, c], ctx) => {
    if (!loaded.schemas) ctx.skip(`SKIPPED: ${loaded.why}`);
    const custom = allObjects(planStacks(c)).filter((m) => m.apiVersion.includes('.') && !m.apiVersion.includes('k8s.io'));
    expect(custom.length).toBeGreaterThan(0);
    for (const m of custom) {
      const schema = loaded.schemas!.get(`${m.apiVersion}/${m.kind}`);
      expect(schema, `no served CRD for ${m.apiVersion} ${m.kind}`).toBeDefined();
      expect(validateStructural(schema, m), `${m.kind} ${m.metadata.namespace}/${m.metadata.name}`).toEqual([]);
    }
  });

  it('the validator itself rejects unknown fields, wrong types and bad enums (so the test above can fail)', (ctx) => {
    if (!loaded.schemas) ctx.skip(`SKIPPED: ${loaded.why}`);
    const schedule = loaded.schemas!.get('velero.io/v1/Schedule');
    const ok = { apiVersion: 'velero.io/v1', kind: 'Schedule', metadata: { name: 'x' }, spec: { schedule: '0 * * * *', template: { ttl: '1h0m0s' } } };
    expect(validateStructural(schedule, ok)).toEqual([]);
    expect(validateStructural(schedule, { ...ok, spec: { ...ok.spec, shedule: 'typo' } })).toEqual(['/spec/shedule: unknown field']);
    expect(validateStructural(schedule, { ...ok, spec: { ...ok.spec, paused: 'yes' } })[0]).toContain('must be boolean');
    const pa = loaded.schemas!.get('security.istio.io/v1/PeerAuthentication');
    expect(validateStructural(pa, { metadata: {}, spec: { mtls: { mode: 'SOMETIMES' } } }).join()).toContain('must be one of');
  });
});
