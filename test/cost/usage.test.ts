/** Usage assumptions: defaults, a `cost.usage` file over them (per region too), and its errors. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { DEFAULT_USAGE, loadUsage } from '../../src/cost/usage.js';
import { UsageError } from '../../src/errors.js';
import { estimate, pairText } from './fixtures.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const AWS = { cloud: 'aws', location: 'us-east-1' } as const;
const AWS_DR = { cloud: 'aws', location: 'us-west-2' } as const;

function project(usage: string | undefined, extra = ''): { dir: string; config: ReturnType<typeof parseConfig> } {
  const dir = mkdtempSync(join(tmpdir(), 'cost-usage-'));
  dirs.push(dir);
  if (usage !== undefined) writeFileSync(join(dir, 'usage.yaml'), usage);
  return { dir, config: parseConfig(pairText('terraform', AWS, AWS_DR, `cost: { usage: usage.yaml${extra} }\n`), 'platform.yaml') };
}

const caught = (f: () => unknown): UsageError => {
  try {
    f();
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error('expected a UsageError');
};

describe('usage assumptions', () => {
  test('without cost.usage: the defaults, named as such in the report', () => {
    const r = estimate(parseConfig(pairText('terraform', AWS, AWS_DR), 'platform.yaml'));
    expect(r.assumptions).toEqual({ hoursPerMonth: 730, ...DEFAULT_USAGE, regions: {}, source: 'defaults' });
  });

  test('a file sets them for every region and per region; the lines follow', () => {
    const { dir, config } = project('backupStorageGb: 1000\nregions:\n  two: { backupStorageGb: 10, replicatedGbPerMonth: 0 }\n');
    const usage = loadUsage(config, dir);
    expect(usage).toMatchObject({
      source: 'usage.yaml',
      values: { backupStorageGb: 1000, replicatedGbPerMonth: 50 },
      regions: { two: { backupStorageGb: 10, replicatedGbPerMonth: 0, dnsQueriesPerMonth: 1_000_000 } },
    });
    const r = estimate(config, { usage });
    const bucket = (stack: string) => r.stacks.find((s) => s.id === stack)!.lines.find((l) => l.resource === 'backup-bucket')!;
    expect(bucket('cluster/one')).toMatchObject({ quantity: 1000, monthly: 1000 * 0.023 });
    expect(bucket('cluster/two')).toMatchObject({ quantity: 10 });
    expect(r.assumptions).toMatchObject({ backupStorageGb: 1000, source: 'usage.yaml', regions: { two: { backupStorageGb: 10 } } });
  });

  test('a bad file is a usage error with file:line:col for each problem', () => {
    const { dir, config } = project('backupStorageGb: lots\ndnsQueriesPerMonht: 5\nregions:\n  mars: { backupStorageGb: 1 }\n');
    const e = caught(() => loadUsage(config, dir));
    expect(e.message).toMatch(/usage\.yaml is invalid/);
    expect(e.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ where: expect.stringMatching(/usage\.yaml:1:18$/), path: 'backupStorageGb' }),
        expect.objectContaining({
          where: expect.stringMatching(/usage\.yaml:2:\d+$/),
          message: expect.stringMatching(/unknown key "dnsQueriesPerMonht" \(did you mean "dnsQueriesPerMonth"\?\); valid keys: backupStorageGb, /),
        }),
      ]),
    );
    // Shape first; regions the config does not define are reported once the shape is right.
    const { dir: d2, config: c2 } = project('regions:\n  mars: { backupStorageGb: 1 }\n');
    expect(caught(() => loadUsage(c2, d2)).problems).toEqual([
      expect.objectContaining({
        where: expect.stringMatching(/usage\.yaml:2:\d+$/),
        message: expect.stringMatching(/region "mars" is not defined in platform.yaml; known regions: one, two/),
      }),
    ]);
  });

  test('a missing file and invalid YAML are usage errors too', () => {
    const { dir, config } = project(undefined);
    expect(caught(() => loadUsage(config, dir)).problems[0].message).toMatch(/no such file/);
    const { dir: d2, config: c2 } = project('backupStorageGb: [1\n');
    expect(caught(() => loadUsage(c2, d2)).problems[0].message).toMatch(/^YAML:/);
  });

  test('cost.commentThreshold must be a percentage', () => {
    expect(() => parseConfig(pairText('terraform', AWS, AWS_DR, 'cost: { commentThreshold: 5 }\n'), 'platform.yaml')).toThrow(UsageError);
    expect(parseConfig(pairText('terraform', AWS, AWS_DR, 'cost: { commentThreshold: 5% }\n'), 'platform.yaml').cost).toEqual({ commentThreshold: '5%' });
  });
});
