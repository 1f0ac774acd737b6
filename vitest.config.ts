import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Three projects: `unit` (fast, no binaries), `integration` (*.int.test.ts: real pulumi/tofu against
// the local control plane) and `faults` (the whole reliability suite: every fault against both engines,
// and the soak at SOAK_CYCLES: `npm run test:faults`, `npm run test:soak`). `npm test` runs unit and
// integration, which holds the suite's short files (test/faults/short-*: a few faults per engine) and
// the soak at its default 1 cycle (a whole edit → plan → apply → clean plan → clean drift per engine); `npm run test:fast` unit only.
/** Every fault against one engine: minutes each, outside `npm test`. */
const WHOLE_FAULT_SUITE = ['test/faults/terraform.int.test.ts', 'test/faults/pulumi.int.test.ts'];

export default defineConfig({
  test: {
    // Vitest's default is one worker per core but one: on a 2-core runner the unit files ran one at a
    // time. Integration files also run one per core: each starts its own plane on its own ports and
    // names, and while one waits on an API server or a rollout the other uses the CPU (measured on 2
    // cores: the whole run 1,885 s against 2,026 s one file at a time).
    maxWorkers: availableParallelism(),
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], exclude: ['**/*.int.test.ts', '**/node_modules/**'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['src/**/*.int.test.ts', 'test/**/*.int.test.ts'],
          exclude: [...WHOLE_FAULT_SUITE, '**/node_modules/**'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'faults',
          include: [...WHOLE_FAULT_SUITE, 'test/soak/**/*.int.test.ts'],
          testTimeout: 900_000,
          hookTimeout: 900_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
