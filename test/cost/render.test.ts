/** Rounding at print time, and the cost table `plan` puts in its Markdown summary (when, and what). */
import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { compareCosts, thresholdCrossed } from '../../src/cost/delta.js';
import {
  costCommentMarkdown,
  monthlyDeltaText,
  renderCostMarkdown,
  renderCostTable,
  shouldShowCost,
  signedUsd,
  stackDifference,
  usd,
} from '../../src/cost/render.js';
import type { CostReport } from '../../src/cost/types.js';
import { estimate, pairText } from './fixtures.js';

const AWS = { cloud: 'aws', location: 'us-east-1' } as const;
const DR = { cloud: 'aws', location: 'us-west-2' } as const;
const at = (replicas: number, extra = '') =>
  estimate(parseConfig(pairText('terraform', AWS, DR, extra).replace('replicas: 2', `replicas: ${replicas}`), 'platform.yaml'));

describe('money', () => {
  test('rounded to cents only when printed; no negative zero', () => {
    expect(usd(1234.565)).toBe('1,234.57');
    expect(usd(-0.001)).toBe('0.00');
    expect(signedUsd(14.4231)).toBe('+14.42');
    expect(signedUsd(-3)).toBe('-3.00');
    expect(signedUsd(0.004)).toBe('0.00');
    expect(monthlyDeltaText(14.4231)).toBe('+14.42 USD/month');
  });
});

describe('the cost table of plan’s Markdown summary', () => {
  test('not shown when nothing changes cost', () => {
    const delta = compareCosts(at(2), at(2), { ref: 'origin/main', commit: 'a'.repeat(40) });
    expect(delta.stacks).toEqual([]);
    expect(shouldShowCost(delta)).toBe(false);
    expect(costCommentMarkdown(delta)).toBeUndefined();
  });

  test('shown when a stack’s cost changes: per-stack before/after/difference, the total, the changed lines', () => {
    const delta = compareCosts(at(2), at(4), { ref: 'origin/main', commit: 'a'.repeat(40) });
    const md = costCommentMarkdown(delta)!;
    expect(md).toMatch(
      /^### Cost: 0\.00 USD\/month on the estimated bill\n\nThe stacks below change by \+[\d.]+ USD\/month together, the estimated bill by 0\.00 USD\/month:/,
    ); // within the pool's minimum: the bill stays
    expect(md).toMatch(/\| `app\/one\/team\/web` \| [\d.]+ \| [\d.]+ \| \+[\d.]+ \|/);
    expect(md).toContain('| **total (estimated bill)** |');
    expect(md).toContain('<details><summary>What changed, line by line</summary>');
    expect(md).toContain('merge base `aaaaaaaaaaaa`');
    expect(stackDifference(delta, 'app/one/team/web')).toBeGreaterThan(0);
    expect(stackDifference(delta, 'cluster/one')).toBe(0);
  });

  test('with cost.commentThreshold: shown only when the total moves by at least that much', () => {
    const small = compareCosts(at(2, 'cost: { commentThreshold: 5% }\n'), at(4, 'cost: { commentThreshold: 5% }\n'), { ref: 'main', commit: '' }, '5%');
    expect(small.threshold).toEqual({ percent: 5, crossed: false });
    expect(costCommentMarkdown(small)).toBeUndefined();
    expect(thresholdCrossed({ before: 100, difference: 5 }, 5)).toBe(true);
    expect(thresholdCrossed({ before: 100, difference: -4.99 }, 5)).toBe(false);
    expect(thresholdCrossed({ before: 0, difference: 1 }, 5)).toBe(true);
    const big = compareCosts(
      at(2),
      estimate(
        parseConfig(
          pairText('terraform', AWS, DR)
            .replace(/ {2}- \{ name: two.*\n/, '')
            .replace(/^dr: .*\n/m, ''),
          'p.yaml',
        ),
      ),
      { ref: 'main', commit: '' },
      '5%',
    );
    expect(big.threshold?.crossed).toBe(true);
    expect(costCommentMarkdown(big)).toMatch(/Threshold 5%: crossed\./);
  });
});

describe('reports', () => {
  const report: CostReport = { ...at(2), delta: compareCosts(at(2), at(3), { ref: 'main', commit: '' }) };
  test('the table prints lines with quantity × unit price, folds the free ones, and lists what is not priced', () => {
    const text = renderCostTable(report);
    expect(text).toMatch(/^cluster\/one\s+[\d,.]+\s+up to [\d,.]+$/m);
    expect(text).toMatch(/cluster · EKS control plane: 730 cluster-hour × 0\.10\s+73\.00/);
    expect(text).toMatch(/\+ \d+ at no charge \(aws_vpc, /);
    expect(text).toMatch(/Not priced \(\d+\), listed and never counted as zero:/);
    expect(text).toMatch(/Change against main:/);
  });
  test('Markdown has the delta first, then stacks, regions, tenants and assumptions', () => {
    const md = renderCostMarkdown(report);
    expect(md.indexOf('### Cost:')).toBe(0);
    expect(md).toContain('| region | cloud | monthly | max | of which workloads |');
    expect(md).toContain('| team | starter |');
    expect(md).toMatch(/Usage assumptions \(defaults; /);
  });
});
