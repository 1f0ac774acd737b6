/**
 * The report's contact with the outside: the project's graph (config, --affected, --status) and the
 * HTML file — checked before a long run starts, written whole (temp file + rename) at its end.
 */
import { existsSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import { UsageError } from '../errors.js';
import { affectedStacks } from '../orchestrate/affected.js';
import { planStacks } from '../stacks/plan.js';
import type { StackInstance } from '../stacks/types.js';
import { stackGraph, type StackGraph } from './graph.js';
import { placeOf } from './model.js';
import { readStatusFile } from './status-file.js';

export interface ProjectGraphOptions {
  configFile: string;
  /** Only the stacks affected since the merge base with this ref. */
  affectedBase?: string;
  affectedFor?: 'plan' | 'apply' | 'destroy';
  /** A saved plan/apply/destroy/drift `--json` document: colours nodes by status. */
  statusFile?: string;
}

export interface ProjectGraph {
  graph: StackGraph;
  /** Stacks the status file names that are not in the graph. */
  notInGraph: string[];
}

export function projectGraph(opts: ProjectGraphOptions): ProjectGraph {
  const status = opts.statusFile ? readStatusFile(opts.statusFile) : undefined;
  const loaded = loadConfig(opts.configFile);
  const all = planStacks(loaded.config);
  const stacks: StackInstance[] =
    opts.affectedBase !== undefined ? affectedStacks(loaded, opts.affectedBase, opts.affectedFor ?? 'plan', all).stacks.map((a) => a.stack) : all;
  const graph = stackGraph(stacks.map(placeOf), status);
  const ids = new Set(stacks.map((s) => s.id));
  return { graph, notInGraph: [...(status?.keys() ?? [])].filter((id) => !ids.has(id)) };
}

/** Fails before anything runs when the report could not be written there. */
export function checkReportTarget(file: string): void {
  const path = resolve(file);
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError(`--report ${file}: the directory ${dir} does not exist`, [], 'Create it first, or pass another path.');
  if (existsSync(path) && statSync(path).isDirectory())
    throw new UsageError(`--report ${file}: that is a directory`, [], 'Pass a file name such as report.html.');
}

/** Writes the whole file or nothing (a reader never sees half a report). */
export function writeWhole(file: string, text: string): void {
  const path = resolve(file);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}
