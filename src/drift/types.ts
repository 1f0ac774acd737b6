/** The drift report: its JSON is the `platform drift --json` document (issue 7), version 1. */

export type DriftClass = 'pending' | 'drifted' | 'missing' | 'unmanaged';
export const DRIFT_CLASSES: DriftClass[] = ['pending', 'drifted', 'missing', 'unmanaged'];

/** One differing field. `git`/`state`/`live` appear where that view has a value (absent = no value there). */
export interface DriftPath {
  /** JSON pointer, e.g. /spec/replicas or /metadata/labels/team. */
  path: string;
  git?: unknown;
  state?: unknown;
  live?: unknown;
}

/**
 * One object in one class. `paths` is empty for `missing` and `unmanaged` (the whole object is the
 * finding); a pending create/delete has the one path `/` with `git` or `state` set to "(object)".
 */
export interface DriftFinding {
  class: DriftClass;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  paths: DriftPath[];
}

export type StackDriftStatus = 'clean' | 'drift' | 'error';

export interface StackDrift {
  id: string;
  status: StackDriftStatus;
  error?: string;
  findings: DriftFinding[];
}

export interface DriftReport {
  version: 1;
  ref: string;
  exitCode: number;
  stacks: StackDrift[];
}
