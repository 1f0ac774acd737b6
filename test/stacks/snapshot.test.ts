import { describe, expect, it } from 'vitest';
import { planStacks } from '../../src/stacks/plan.js';
import { EXAMPLES, loadExample } from './helpers.js';

describe.each(EXAMPLES)('planned stacks of %s', (file) => {
  const config = loadExample(file);
  const stacks = planStacks(config);

  it('has the same stack IDs and dependencies', () => {
    expect(stacks.map((s) => ({ id: s.id, engine: s.engine, dependsOn: s.dependsOn }))).toMatchSnapshot();
  });

  it('has the same objects and cloud intents in every stack', () => {
    for (const s of stacks) {
      expect({ objects: s.objects, cloud: s.cloud }).toMatchSnapshot(s.id);
    }
  });

  it('is deterministic: planning twice gives byte-identical output', () => {
    expect(JSON.stringify(planStacks(loadExample(file)))).toBe(JSON.stringify(stacks));
  });
});
