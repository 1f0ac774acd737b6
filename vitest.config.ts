import { defineConfig } from 'vitest/config';

// Two projects: `unit` (fast, no binaries) and `integration` (*.int.test.ts: real pulumi/tofu against
// the local control plane). `npm run test:fast` runs unit only.
export default defineConfig({
  test: {
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], exclude: ['**/*.int.test.ts', '**/node_modules/**'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['src/**/*.int.test.ts', 'test/**/*.int.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
