import { describe, expect, it } from 'vitest';
import { renderMarkdown, renderTable, summaryText } from '../../../src/cli/render/drift.js';
import { type DriftReport } from '../../../src/drift/types.js';

const report: DriftReport = {
  version: 1,
  ref: 'origin/main',
  exitCode: 1,
  stacks: [
    { id: 'cluster/eu', status: 'clean', findings: [] },
    {
      id: 'app/eu/payments/checkout',
      status: 'drift',
      findings: [
        {
          class: 'drifted',
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          namespace: 'payments',
          name: 'checkout',
          paths: [{ path: '/spec/replicas', state: 2, live: 4 }],
        },
        {
          class: 'pending',
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          namespace: 'payments',
          name: 'checkout',
          paths: [{ path: '/spec/template/spec/containers/0/image', git: 'a:2', state: 'a:1' }],
        },
        { class: 'unmanaged', apiVersion: 'v1', kind: 'ConfigMap', namespace: 'payments', name: 'stray|x', paths: [] },
        { class: 'pending', apiVersion: 'v1', kind: 'ConfigMap', namespace: 'payments', name: 'new', paths: [{ path: '/', git: '(object)' }] },
      ],
    },
    { id: 'app/us/payments/checkout', status: 'error', error: 'region us: cannot read the API server', findings: [] },
  ],
};

describe('rendering', () => {
  it('table: grouped by stack, per-field old → new, clean stacks on one line', () => {
    const text = renderTable(report);
    expect(text).toContain('app/eu/payments/checkout  DRIFT');
    expect(text).toContain('/spec/replicas: 2 → 4');
    expect(text).toContain('/spec/template/spec/containers/0/image: "a:1" → "a:2"');
    expect(text).toContain('error: region us: cannot read the API server');
    expect(text).toContain('clean: cluster/eu');
    expect(text).toContain('/: only in Git: apply creates it');
    expect(text.split('\n').at(-1)).toBe(summaryText(report));
  });

  it('markdown: a verdict, counts, one table per stack, table cells escaped', () => {
    const md = renderMarkdown(report);
    expect(md.startsWith('## platform drift: some stacks could not be checked')).toBe(true);
    expect(md).toContain('| drifted | 1 |');
    expect(md).toContain('| drifted | apps/v1 Deployment payments/checkout | `/spec/replicas` | `2 → 4` |');
    expect(md).toContain('stray\\|x');
    expect(md).toContain('> region us: cannot read the API server');
  });
});
