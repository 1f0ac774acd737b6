/**
 * `renderedInstalls`: each install of a stack rendered from the toolchain cache, or named with the reason
 * when the cache cannot render it (what `platform cost` lists as not priced before `toolchain install`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderedInstalls } from '../../src/engines/crds.js';
import { planStacks } from '../../src/stacks/plan.js';
import { forgetResolvedTools } from '../../src/toolchain/discover.js';
import { EXAMPLES, loadExample } from '../stacks/helpers.js';

const saved = process.env.PLATFORM_TOOLCHAIN_DIR;
afterEach(() => {
  if (saved === undefined) delete process.env.PLATFORM_TOOLCHAIN_DIR;
  else process.env.PLATFORM_TOOLCHAIN_DIR = saved;
  forgetResolvedTools();
});

describe('renderedInstalls', () => {
  // First in this file: the renderer keeps renderings in memory, so the empty cache must be seen before any rendering.
  it('with an empty toolchain cache: every install named with why it cannot be rendered, nothing thrown', () => {
    const empty = mkdtempSync(join(tmpdir(), 'empty-toolchain-'));
    try {
      process.env.PLATFORM_TOOLCHAIN_DIR = empty;
      forgetResolvedTools();
      const mesh = planStacks(loadExample(EXAMPLES[0])).find((s) => s.id === 'mesh/eu')!;
      const cluster = planStacks(loadExample(EXAMPLES[0])).find((s) => s.id === 'cluster/eu')!;
      expect(renderedInstalls(mesh)).toEqual([
        {
          install: 'istiod',
          unavailable: expect.stringMatching(/^the istio-charts install source is not in the toolchain cache \(.*\)\. Run `platform toolchain install`\.$/),
        },
        { install: 'istio-ingressgateway', unavailable: expect.stringContaining('Run `platform toolchain install`') },
      ]);
      expect(renderedInstalls(cluster)).toEqual([{ install: 'velero', unavailable: expect.stringMatching(/^velero-manifests .* is not installed/) }]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('with the toolchain cache: each install’s objects, labelled with the stack', () => {
    const mesh = planStacks(loadExample(EXAMPLES[0])).find((s) => s.id === 'mesh/eu')!;
    const [istiod, gateway] = renderedInstalls(mesh);
    expect(istiod.install).toBe('istiod');
    expect('objects' in istiod && istiod.objects.find((o) => o.kind === 'Deployment')?.metadata).toMatchObject({
      name: 'istiod',
      labels: { 'platform.dev/stack': 'mesh.eu' },
    });
    expect('objects' in gateway && gateway.objects.some((o) => o.kind === 'Deployment' && o.metadata.name === 'istio-ingressgateway')).toBe(true);
  });
});
