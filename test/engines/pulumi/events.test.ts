import { describe, expect, it } from 'vitest';
import type { EngineEvent as PulumiEvent } from '@pulumi/pulumi/automation/index.js';
import { cleanMessage, fieldDiffs, ResultCollector } from '../../../src/engines/pulumi/events.js';
import type { EngineEvent } from '../../../src/engines/types.js';

const manifest = (replicas: number) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { replicas } });
const step = (op: string, extra: Record<string, unknown> = {}) => ({
  op,
  urn: 'urn:pulumi:s::p::platform:kubernetes:Object::Deployment.apps:shop/web',
  type: 'platform:kubernetes:Object',
  provider: '',
  old: { inputs: { manifest: manifest(1) }, outputs: { live: manifest(1) } },
  new: { inputs: { manifest: manifest(3) }, outputs: {} },
  ...extra,
});

describe('Pulumi events → results', () => {
  it('turns detailed-diff property paths into JSON-pointer diffs with old and new values', () => {
    const meta = step('update', { detailedDiff: { 'manifest.spec.replicas': { diffKind: 'update', inputDiff: true } } });
    expect(fieldDiffs(meta as never)).toEqual([{ path: '/spec/replicas', old: 1, new: 3 }]);
  });

  it('never shows Secret data values', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'shop' }, data: { K: 'c2VjcmV0' } };
    const meta = {
      ...step('update'),
      old: { inputs: { manifest: secret }, outputs: {} },
      new: { inputs: { manifest: secret }, outputs: {} },
      detailedDiff: { 'manifest.data.K': { diffKind: 'update', inputDiff: true } },
    };
    expect(fieldDiffs(meta as never)).toEqual([{ path: '/data/K', old: '[secret]', new: '[secret]' }]);
  });

  it('counts our objects only, a replacement once, and reports changes on plan', () => {
    const emitted: EngineEvent[] = [];
    const c = new ResultCollector('app/eu/shop/web', 'plan', (e) => emitted.push(e));
    const ev = (m: unknown): PulumiEvent => ({ sequence: 0, timestamp: 0, resourcePreEvent: { metadata: m as never } });
    c.handle(ev({ ...step('create'), type: 'pulumi:providers:platform' }));
    c.handle(ev(step('same')));
    c.handle(ev({ ...step('create-replacement'), urn: 'u2' }));
    c.handle(ev({ ...step('replace'), urn: 'u2' }));
    c.handle(ev({ ...step('delete-replaced'), urn: 'u2' }));
    const r = c.result();
    expect(r.status).toBe('changes');
    expect(r.changes).toEqual({ create: 0, update: 0, replace: 1, delete: 0, same: 1 });
    expect(r.resources).toEqual([{ op: 'replace', type: 'apps/v1:Deployment', name: 'shop/web', diff: [] }]);
    expect(emitted.filter((e) => e.type === 'resource')).toHaveLength(1);
  });

  it('a plan with only same steps is ok; errors become one clean line', () => {
    const c = new ResultCollector('x', 'plan', () => {});
    c.handle({
      sequence: 0,
      timestamp: 0,
      diagnosticEvent: { severity: 'error', color: 'never', message: 'error: \u001b[31mDeployment shop/web: boom\u001b[0m\n  more detail\n' },
    });
    expect(c.result().status).toBe('ok');
    expect(c.result('failed').error).toEqual({ kind: 'external', message: 'Deployment shop/web: boom more detail' });
    expect(cleanMessage('<{%reset%}>error: x<{%reset%}>')).toBe('x');
  });
});

describe('diagnostics never carry secrets', () => {
  it('drops SDK debug messages and scrubs known secret values from the rest', () => {
    const emitted: EngineEvent[] = [];
    const c = new ResultCollector('x', 'apply', (e) => emitted.push(e));
    c.redactValues(['hunter2-password']);
    c.handle({
      sequence: 0,
      timestamp: 0,
      diagnosticEvent: { severity: 'debug' as never, color: 'never', message: 'RegisterResource RPC finished: DB_PASSWORD,,,hunter2-password' },
    });
    c.handle({
      sequence: 1,
      timestamp: 0,
      diagnosticEvent: {
        severity: 'error',
        color: 'never',
        message: `error: bad value hunter2-password / ${Buffer.from('hunter2-password').toString('base64')}`,
      },
    });
    expect(emitted).toEqual([{ type: 'diagnostic', stack: 'x', severity: 'error', message: 'bad value [secret] / [secret]' }]);
    expect(c.result('failed').error).toEqual({ kind: 'external', message: 'bad value [secret] / [secret]' });
  });
});
