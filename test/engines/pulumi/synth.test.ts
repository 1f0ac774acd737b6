import { describe, expect, it } from 'vitest';
import { loadClouds } from '../../../src/clouds/index.js';
import { controlPlaneFor } from '../../../src/engines/crds.js';
import { synthPulumi } from '../../../src/engines/pulumi/synth.js';
import { synthUnderMocks } from '../../../src/engines/pulumi/synth-mocks.js';
import type { KubeObject } from '../../../src/objects/model.js';
import { planStacks } from '../../../src/stacks/plan.js';
import type { StackInstance } from '../../../src/stacks/types.js';
import { EXAMPLES, loadExample } from '../../stacks/helpers.js';
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

describe('synthPulumi lists what the program registers under the runtime mocks', () => {
  // Stacks of Kubernetes objects alone are listed without running the program (synth.ts): this pins
  // that the list is exactly what the program registers, for every stack of both examples.
  const controlPlane = (stack: StackInstance): KubeObject[] => {
    try {
      return controlPlaneFor(stack); // the rendered installs, when the toolchain has cached them
    } catch {
      return [];
    }
  };
  it.each(EXAMPLES)(
    '%s',
    async (file) => {
      const config = loadExample(file);
      const stacks = planStacks(config);
      await loadClouds('pulumi', stacks);
      const listed = await synthPulumi(stacks, { controlPlaneFor: controlPlane, projectName: config.name });
      const registered = await synthUnderMocks(stacks, { controlPlaneFor: controlPlane, projectName: config.name });
      for (const s of stacks) expect([s.id, listed.get(s.id)]).toEqual([s.id, registered.get(s.id)]);
    },
    60_000,
  );
});
