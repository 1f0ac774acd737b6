/**
 * The secret policy, as a property: whatever the secret values and whatever else changes around them,
 * no value (in clear or base64) reaches any output path — Pulumi events and results, Terraform plan
 * results, drift findings from state readers, the drift table/Markdown, the run renderer, --json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { EngineEvent as PulumiEvent } from '@pulumi/pulumi/automation/index.js';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { plainRenderer, renderRun } from '../../src/cli/render/run.js';
import { renderHtmlReport } from '../../src/report/html.js';
import { reportMarkdown } from '../../src/report/markdown.js';
import { runReportModel } from '../../src/report/model.js';
import { renderMarkdown, renderTable } from '../../src/cli/render/drift.js';
import { driftedPaths, pendingFindings } from '../../src/drift/compare.js';
import type { DriftReport } from '../../src/drift/types.js';
import { ResultCollector } from '../../src/engines/pulumi/events.js';
import { checkpointKey, pulumiStateReader } from '../../src/engines/pulumi/state.js';
import { changesFromPlan } from '../../src/engines/terraform/report.js';
import type { EngineEvent, StackResult } from '../../src/engines/types.js';
import { diffJson } from '../../src/objects/diff.js';
import type { KubeObject } from '../../src/objects/model.js';
import { typeParts } from '../../src/objects/identity.js';
import { isSecretPath, maskSecretData, REDACTED, redactViews, SecretScrubber } from '../../src/objects/secrets.js';
import { resolveStateLocation } from '../../src/state/location.js';

const dir = mkdtempSync(join(tmpdir(), 'secret-policy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Values that cannot occur in our own text by accident. */
const value = fc.stringMatching(/^[A-Za-z0-9]{10,24}$/).map((s) => `S3cr3t${s}`);
const key = fc.stringMatching(/^[A-Z][A-Z0-9_]{1,10}$/);
const secretData = fc.dictionary(key, value, { minKeys: 1, maxKeys: 4 });

const secret = (data: Record<string, string>, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'db', namespace: 'shop', labels: { 'platform.dev/project': 'acme', 'platform.dev/stack': 'app.eu.shop.web' } },
  data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  stringData: data,
  ...extra,
});

/** Every form a value could leak in. */
const forms = (values: string[]): string[] => values.flatMap((v) => [v, Buffer.from(v).toString('base64')]);
const expectClean = (text: string, values: string[]): void => {
  for (const f of forms(values)) expect(text).not.toContain(f);
};

describe('the secret policy', () => {
  it('decides by object and path: a Secret’s data and stringData (and their parents), nothing else', () => {
    const s = { apiVersion: 'v1', kind: 'Secret' };
    expect(['/data', '/data/K', '/stringData/K', '/', ''].map((p) => isSecretPath(s, p))).toEqual([true, true, true, true, true]);
    expect(['/metadata/name', '/type', '/dataX'].map((p) => isSecretPath(s, p))).toEqual([false, false, false]);
    expect(isSecretPath({ apiVersion: 'v1', kind: 'ConfigMap' }, '/data/K')).toBe(false);
    expect(redactViews(s, { path: '/data/K', old: 'a', new: 'b' }, ['old', 'new'])).toEqual({ path: '/data/K', old: REDACTED, new: REDACTED });
    expect(typeParts('v1:Secret')).toEqual(s);
    expect(typeParts('apps/v1:Deployment')).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment' });
  });

  it('shows a Secret to a policy with its keys and without its values; other objects as they are', () => {
    const masked = maskSecretData(secret({ DB_PASSWORD: 'S3cr3tvalue0001' }));
    expect([masked.data, masked.stringData, masked.metadata.name]).toEqual([{ DB_PASSWORD: REDACTED }, { DB_PASSWORD: REDACTED }, 'db']);
    const config: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { K: 'v' } };
    expect(maskSecretData(config)).toBe(config);
  });

  it('no value reaches Pulumi events, results or their JSON', () => {
    fc.assert(
      fc.property(secretData, secretData, (before, after) => {
        const emitted: EngineEvent[] = [];
        const c = new ResultCollector('app/eu/shop/web', 'apply', (e) => emitted.push(e));
        c.redactValues([...Object.values(before), ...Object.values(after)]);
        const detailedDiff = Object.fromEntries(
          diffJson(secret(before), secret(after)).map((d) => [`manifest${d.path.replaceAll('/', '.')}`, { diffKind: 'update', inputDiff: true }]),
        );
        const meta = {
          op: 'update',
          urn: 'urn:x::platform:kubernetes:Object::Secret:shop/db',
          type: 'platform:kubernetes:Object',
          provider: '',
          old: { inputs: { manifest: secret(before) }, outputs: { live: secret(before) } },
          new: { inputs: { manifest: secret(after) }, outputs: {} },
          detailedDiff,
        };
        const events: PulumiEvent[] = [
          { sequence: 0, timestamp: 0, resourcePreEvent: { metadata: meta as never } },
          { sequence: 1, timestamp: 0, resOutputsEvent: { metadata: meta as never } },
          {
            sequence: 2,
            timestamp: 0,
            diagnosticEvent: {
              severity: 'error',
              color: 'never',
              message: `error: bad ${Object.values(after).join(' ')} ${forms(Object.values(before)).join(' ')}`,
            },
          },
        ];
        for (const e of events) c.handle(e);
        const result = c.result('failed');
        expectClean(JSON.stringify({ emitted, result }), [...Object.values(before), ...Object.values(after)]);
      }),
      { numRuns: 200 },
    );
  });

  it('no value reaches Terraform plan results', () => {
    fc.assert(
      fc.property(secretData, secretData, fc.boolean(), (before, after, replace) => {
        const objects = [{ address: 'kubectl_manifest.secret_shop_db', type: 'v1:Secret', name: 'shop/db', secret: false }];
        const plan = {
          resource_changes: [
            {
              address: objects[0].address,
              mode: 'managed',
              type: 'kubectl_manifest',
              change: {
                actions: replace ? ['delete', 'create'] : ['update'],
                before: { yaml_body: JSON.stringify(secret(before)) },
                after: { yaml_body: JSON.stringify(secret(after)) },
              },
            },
          ],
        };
        expectClean(JSON.stringify(changesFromPlan(plan, objects)), [...Object.values(before), ...Object.values(after)]);
      }),
      { numRuns: 200 },
    );
  });

  it('no value reaches drift (state read from a checkpoint, Git, live) nor its table, Markdown or JSON', async () => {
    await fc.assert(
      fc.asyncProperty(secretData, secretData, secretData, async (git, applied, live) => {
        // The state as the Pulumi state reader returns it (a checkpoint holding the manifest).
        const stateDir = join(dir, 'state');
        const file = join(stateDir, checkpointKey('acme', 'app/eu/shop/web'));
        mkdirSync(join(file, '..'), { recursive: true });
        writeFileSync(
          file,
          JSON.stringify({ checkpoint: { latest: { resources: [{ type: 'platform:kubernetes:Object', outputs: { manifest: secret(applied) } }] } } }),
        );
        const state = await pulumiStateReader({ projectDir: dir, project: 'acme', state: resolveStateLocation('file://state', dir) }).read('app/eu/shop/web');
        const liveObject = {
          ...secret(live),
          metadata: {
            ...secret(live).metadata,
            managedFields: [{ manager: 'kubectl-edit', operation: 'Update', fieldsV1: { 'f:data': { [`f:${Object.keys(live)[0]}`]: {} } } }],
          },
        };
        const findings = [
          ...pendingFindings([{ manifest: secret(git) }], state.objects),
          ...[driftedPaths(state.objects[0], liveObject, { manager: 'platform', operation: 'Apply' }, { hpaTargets: new Set() })]
            .filter((p) => p.length)
            .map((paths) => ({ class: 'drifted' as const, apiVersion: 'v1', kind: 'Secret', namespace: 'shop', name: 'db', paths })),
        ];
        const report: DriftReport = { version: 1, ref: 'HEAD', exitCode: 3, stacks: [{ id: 'app/eu/shop/web', status: 'drift', findings }] };
        expectClean(JSON.stringify(report) + renderTable(report) + renderMarkdown(report), [
          ...Object.values(git),
          ...Object.values(applied),
          ...Object.values(live),
        ]);
      }),
      { numRuns: 100 },
    );
  });

  it('no value reaches the renderings of a run: terminal, Markdown, HTML report (diffs and errors)', () => {
    fc.assert(
      fc.property(secretData, secretData, (before, after) => {
        const written: string[] = [];
        const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
        try {
          const scrubber = new SecretScrubber();
          scrubber.add([...Object.values(before), ...Object.values(after)]);
          const diff = diffJson(secret(before), secret(after)).map((d) => redactViews(secret(after), d, ['old', 'new']));
          const result: StackResult = {
            id: 'app/eu/shop/web',
            engine: 'pulumi',
            status: 'failed',
            changes: { create: 0, update: 1, replace: 0, delete: 0, same: 0 },
            resources: [{ op: 'update', type: 'v1:Secret', name: 'shop/db', diff }],
            error: { kind: 'external', message: scrubber.scrub(`apply failed: ${Object.values(after).join(',')}`) },
          };
          plainRenderer({ operation: 'apply' }).onEvent({ type: 'finished', stack: result.id, result });
          written.push(renderRun({ version: 1, operation: 'apply', stacks: [result] }, { diff: true }));
          const model = runReportModel({ version: 1, operation: 'apply', stacks: [result] }, [], { exitCode: 1 });
          written.push(reportMarkdown(model), renderHtmlReport(model));
        } finally {
          spy.mockRestore();
        }
        expectClean(written.join(''), [...Object.values(before), ...Object.values(after)]);
      }),
      { numRuns: 100 },
    );
  });

  it('no value reaches a report even from an engine that let it through, whole object or one field', () => {
    fc.assert(
      fc.property(secretData, secretData, (before, after) => {
        const leaked = [...diffJson(secret(before), secret(after)), { path: '/', old: secret(before), new: secret(after) }];
        const result: StackResult = {
          id: 'app/eu/shop/web',
          engine: 'terraform',
          status: 'changes',
          changes: { create: 0, update: 1, replace: 0, delete: 0, same: 0 },
          resources: [{ op: 'update', type: 'v1:Secret', name: 'shop/db', diff: leaked }],
        };
        const model = runReportModel({ version: 1, operation: 'plan', stacks: [result] }, [], { exitCode: 3 });
        expectClean(JSON.stringify(model) + reportMarkdown(model) + renderHtmlReport(model), [...Object.values(before), ...Object.values(after)]);
      }),
      { numRuns: 50 },
    );
  });
});
