/**
 * listr2 progress on stderr for long operations that report typed step events (toolchain install,
 * local up). The operation never prints; the command hands it a StepReporter and this renders it:
 * the default renderer in a terminal, the line-based `simple` renderer when stderr is not a TTY or in CI.
 */
import { Listr, ListrLogger, ProcessOutput, type ListrTask } from 'listr2';

export interface StepReporter {
  started(id: string): void;
  output(id: string, line: string): void;
  finished(id: string, title?: string): void;
  skipped(id: string, why?: string): void;
  failed(id: string, error: Error): void;
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(e: Error): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {}); // observed by listr; never an unhandled rejection
  return { promise, resolve, reject };
}

interface StepState {
  started: Deferred;
  done: Deferred;
  skip: string | undefined;
  settled: boolean;
  title: string | undefined;
  onOutput: ((line: string) => void) | undefined;
}

const isCi = (): boolean => Boolean(process.env.CI) && process.env.CI !== 'false';

/** Render `steps` while `run` reports on them; resolves to what `run` resolves to, rethrows its error. */
export async function withStepProgress<T>(
  steps: Array<{ id: string; title: string }>,
  run: (report: StepReporter) => Promise<T>,
  opts: { concurrent?: boolean } = {},
): Promise<T> {
  const state = new Map<string, StepState>(
    steps.map((s) => [s.id, { started: deferred(), done: deferred(), skip: undefined, settled: false, title: undefined, onOutput: undefined }]),
  );
  const logger = new ListrLogger({ processOutput: new ProcessOutput(process.stderr, process.stderr) });
  const tasks: ListrTask[] = steps.map((step) => ({
    title: step.title,
    task: async (_ctx, task) => {
      const s = state.get(step.id)!;
      s.onOutput = (line) => (task.output = line);
      await s.started.promise;
      if (s.skip !== undefined) {
        task.skip(s.skip || step.title);
        return;
      }
      await s.done.promise;
      if (s.title) task.title = s.title;
    },
  }));
  const listr = new Listr(tasks, {
    // Concurrent when the steps really overlap (regions come up in parallel); otherwise a step shows
    // as running only once the one before it is done, as the line-based renderer prints it.
    concurrent: opts.concurrent ?? false,
    exitOnError: false,
    registerSignalListeners: false,
    renderer: 'default',
    rendererOptions: { logger },
    fallbackRenderer: 'simple',
    fallbackRendererOptions: { logger },
    fallbackRendererCondition: () => !process.stderr.isTTY || isCi(),
  });
  // A step ends once: it counts as started (its task may still wait for that), then done or failed.
  const settle = (id: string, end: (s: StepState) => void) => {
    const s = state.get(id);
    if (!s) return;
    s.settled = true;
    s.started.resolve();
    end(s);
  };
  const reporter: StepReporter = {
    started: (id) => state.get(id)?.started.resolve(),
    output: (id, line) => state.get(id)?.onOutput?.(line),
    finished: (id, title) =>
      settle(id, (s) => {
        s.title = title;
        s.done.resolve();
      }),
    skipped: (id, why) =>
      settle(id, (s) => {
        s.skip = why ?? '';
        s.done.resolve();
      }),
    // The first line only: the command prints the whole error (log tail, hint) once, after the list.
    failed: (id, error) => settle(id, (s) => s.done.reject(new Error(error.message.split('\n')[0]))),
  };
  const rendering = listr.run().catch(() => {});
  try {
    return await run(reporter);
  } finally {
    // Settle what never ran (after a failure) so the renderer finishes before we print the error.
    for (const [id, s] of state) if (!s.settled) reporter.skipped(id, 'not run');
    await rendering;
  }
}
