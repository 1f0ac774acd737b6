import { describe, expect, it } from 'vitest';
import type { PolicyInput } from '../../src/policy/input.js';
import { splitByStack } from '../../src/policy/opa.js';

describe('splitByStack', () => {
  it('splits by stack into runs of about the same size that cover every stack once, in order', () => {
    const input = {
      stacks: [3, 500, 700, 2, 900, 100, 800].map((n, i) => ({ stack: { id: `s${i}` }, objects: Array.from({ length: n }, () => ({})) })),
    } as unknown as PolicyInput;
    expect(splitByStack(input, 1)).toHaveLength(1);
    const parts = splitByStack(input, 2);
    expect(parts.map((p) => p.offset)).toEqual([0, 5]);
    expect(parts.flatMap((p) => p.part.stacks.map((s) => s.stack.id))).toEqual(input.stacks.map((s) => s.stack.id));
    expect(splitByStack({ stacks: input.stacks.slice(0, 2) }, 8)).toHaveLength(1); // 503 objects: not worth a second process
  });
});
