/** Step progress settles every step once — finished, skipped, failed or never run — and returns what the operation returns. */
import { describe, expect, it, vi } from 'vitest';
import { withStepProgress } from '../../../src/cli/render/progress.js';

const steps = [
  { id: 'a', title: 'step a' },
  { id: 'b', title: 'step b' },
  { id: 'c', title: 'step c' },
];

describe('withStepProgress', () => {
  it('renders finished, skipped and never-run steps and resolves to the result', async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
    try {
      const result = await withStepProgress(steps, (report) => {
        report.started('a');
        report.finished('a', 'step a: done in 1 s');
        report.skipped('b', 'already there');
        report.finished('unknown-step'); // ignored, not a crash
        return Promise.resolve(42);
      });
      expect(result).toBe(42);
    } finally {
      spy.mockRestore();
    }
    const text = written.join('');
    expect(text).toContain('step a: done in 1 s');
    expect(text).toContain('already there');
    expect(text).toContain('not run'); // c never ran: settled as skipped so the renderer finishes
  });

  it('rethrows the operation’s error after showing the failed step’s first line', async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
    try {
      await expect(
        withStepProgress(steps, (report) => {
          report.started('a');
          report.failed('a', new Error('boom\nlong log tail'));
          return Promise.reject(new Error('the operation failed'));
        }),
      ).rejects.toThrow('the operation failed');
    } finally {
      spy.mockRestore();
    }
    const text = written.join('');
    expect(text).toContain('boom');
    expect(text).not.toContain('long log tail');
  });
});
