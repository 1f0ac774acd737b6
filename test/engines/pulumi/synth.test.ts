import { describe, expect, it } from 'vitest';
import { synthPulumi } from '../../../src/engines/pulumi/synth.js';
import { smallStack } from './fixtures.js';

describe('synthPulumi', () => {
  it('registers one provider per stack and one platform:kubernetes:Object per desired object', async () => {
    const a = smallStack({ project: 'acme', namespace: 'shop', configMaps: 3, secretVariable: 'NOT_SET_ANYWHERE' });
    const b = smallStack({ project: 'acme', namespace: 'blog', configMaps: 1 });
    const out = await synthPulumi([a, b], { controlPlaneFor: () => [] });
    const shop = out.get(a.id)!;
    expect(shop[0]).toEqual({ type: 'pulumi:providers:platform', name: 'region-eu' });
    // In apply order (src/objects/order.ts), whatever order the stack lists them in: the Secret before the workload.
    expect(shop.filter((r) => r.type === 'platform:kubernetes:Object').map((r) => r.name)).toEqual([
      'Namespace:shop',
      'Secret:shop/web-env',
      'ConfigMap:shop/settings-0',
      'ConfigMap:shop/settings-1',
      'ConfigMap:shop/settings-2',
      'Deployment.apps:shop/web',
    ]);
    expect(out.get(b.id)!.length).toBe(1 + b.objects.length);
  });

  it('puts CRDs ahead of the stack objects', async () => {
    const s = smallStack({ project: 'acme', namespace: 'shop' });
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: { group: 'example.com', names: { kind: 'Widget' } },
    };
    const out = await synthPulumi([s], { controlPlaneFor: () => [crd] });
    expect(out.get(s.id)![1]).toEqual({ type: 'platform:kubernetes:Object', name: 'CustomResourceDefinition.apiextensions.k8s.io:widgets.example.com' });
  });
});
