/** docs/cost.md says how every number is computed: it names every price key the catalog uses or a table ships. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { billOfMaterials } from '../../src/cost/catalog/index.js';
import { priceFileSchema, PRICE_CLOUDS, shippedPriceFile } from '../../src/cost/prices.js';
import { DEFAULT_USAGE, HOURS_PER_MONTH } from '../../src/cost/usage.js';
import { planStacks } from '../../src/stacks/plan.js';
import { repoRoot } from '../helpers/cli.js';
import { EXAMPLES, exampleConfig, pairConfig, PAIRS } from './fixtures.js';

test('docs/cost.md names every price key of the catalog and of the shipped tables, and every usage assumption', () => {
  const doc = readFileSync(join(repoRoot, 'docs', 'cost.md'), 'utf8');
  const configs = [...EXAMPLES.map((e) => exampleConfig(e, 'terraform')), ...PAIRS.map((p) => pairConfig('terraform', p.primary, p.dr))];
  const used = new Set<string>();
  for (const config of configs) {
    for (const stack of planStacks(config)) {
      for (const item of billOfMaterials(stack, DEFAULT_USAGE, HOURS_PER_MONTH)) for (const c of item.charges) if (c.kind === 'rate') used.add(c.key);
    }
  }
  expect(used.size).toBeGreaterThan(20);
  const shipped = PRICE_CLOUDS.flatMap((cloud) => Object.keys(priceFileSchema.parse(JSON.parse(readFileSync(shippedPriceFile(cloud), 'utf8'))).rates ?? {}));
  const missing = [...new Set([...used, ...shipped])].filter((key) => !doc.includes(`\`${key}\``));
  expect(missing).toEqual([]);
  for (const key of Object.keys(DEFAULT_USAGE)) expect(doc).toContain(`\`${key}\``);
  expect(doc).toContain('https://github.com/opencost/opencost/blob/develop/pkg/costmodel/costmodel.go');
});
