import { closest } from '../config/load.js';
import { UsageError } from '../errors.js';
import type { StackInstance } from './types.js';

/** The stacks named by `--stack` (all when none); unknown IDs are a usage error with a suggestion. */
export function selectStacks(stacks: StackInstance[], ids: string[] | undefined): StackInstance[] {
  if (!ids?.length) return stacks;
  const known = new Set(stacks.map((s) => s.id));
  const problems = ids
    .filter((id) => !known.has(id))
    .map((id) => {
      const near = closest(id, [...known]);
      return { path: '--stack', message: `no stack "${id}"${near ? ` (did you mean "${near}"?)` : ''}` };
    });
  if (problems.length) throw new UsageError('unknown stack ID', problems, 'List them with `platform stacks list`.');
  const wanted = new Set(ids);
  return stacks.filter((s) => wanted.has(s.id));
}
