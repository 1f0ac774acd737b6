/**
 * Which failed applies the engine takes for discovery lagging behind a CRD new in the same run (it waits
 * for the kind and applies again). The wait and the second run go against the real local plane in engine.int.
 */
import { describe, expect, test } from 'vitest';
import { unservedKindOf, unservedKinds } from '../../../src/engines/terraform/crds.js';
import type { SynthObject } from '../../../src/engines/terraform/synth.js';
import type { TofuMessage } from '../../../src/engines/terraform/tofu.js';

const CRD = 'apiextensions.k8s.io/v1:CustomResourceDefinition';
const objects: SynthObject[] = [
  { address: 'kubectl_manifest.crd_prometheuses', type: CRD, name: 'prometheuses.monitoring.coreos.com', secret: false },
  { address: 'kubectl_manifest.crd_alertmanagers', type: CRD, name: 'alertmanagers.monitoring.coreos.com', secret: false },
  { address: 'kubectl_manifest.prometheus', type: 'monitoring.coreos.com/v1:Prometheus', name: 'monitoring/platform', secret: false },
];
const error = (detail: string, severity: 'error' | 'warning' = 'error'): TofuMessage => ({
  type: 'diagnostic',
  diagnostic: { severity, summary: 'monitoring/platform failed to create kubernetes rest client for update of resource', detail },
});
const notServed = (gv: string, kind: string) => error(`resource [${gv}/${kind}] isn't valid for cluster, check the APIVersion and Kind fields are valid`);

describe('a kind the provider did not find', () => {
  test('of a group whose CRDs this stack declares: waited for, with those CRDs', () => {
    expect(unservedKindOf(notServed('monitoring.coreos.com/v1', 'Prometheus'), { objects })).toEqual({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'Prometheus',
      crds: ['prometheuses.monitoring.coreos.com', 'alertmanagers.monitoring.coreos.com'],
    });
  });

  test('the message as tofu prints it: in the summary, the detail, or both', () => {
    const inSummary: TofuMessage = {
      type: 'diagnostic',
      diagnostic: { severity: 'error', summary: "monitoring/platform failed: resource [monitoring.coreos.com/v1/Prometheus] isn't valid for cluster" },
    };
    expect(unservedKindOf(inSummary, { objects })?.kind).toBe('Prometheus');
  });

  test('of a group no CRD of this stack serves (a typo, a CRD never installed): not waited for', () => {
    expect(unservedKindOf(notServed('example.com/v1', 'Widget'), { objects })).toBeUndefined();
    expect(unservedKindOf(notServed('apps/v2', 'Deployment'), { objects })).toBeUndefined();
    expect(unservedKindOf(notServed('v2', 'Pod'), { objects })).toBeUndefined();
    // A group that only ends like one of ours.
    expect(unservedKindOf(notServed('coreos.com/v1', 'Thing'), { objects })).toBeUndefined();
  });

  test('other errors, warnings and non-diagnostics: not this case', () => {
    expect(unservedKindOf(error('admission webhook denied the request'), { objects })).toBeUndefined();
    expect(unservedKindOf(error("resource [monitoring.coreos.com/v1/Prometheus] isn't valid for cluster", 'warning'), { objects })).toBeUndefined();
    expect(unservedKindOf({ type: 'apply_errored', hook: { resource: { addr: 'kubectl_manifest.prometheus' } } }, { objects })).toBeUndefined();
  });

  test('a run that failed on several objects of a kind: each kind once', () => {
    const messages = [
      notServed('monitoring.coreos.com/v1', 'Prometheus'),
      notServed('monitoring.coreos.com/v1', 'Prometheus'),
      notServed('monitoring.coreos.com/v1', 'Alertmanager'),
    ];
    expect(unservedKinds(messages, { objects }).map((k) => k.kind)).toEqual(['Prometheus', 'Alertmanager']);
  });
});
