/**
 * One model of a finished run — plan/apply/destroy (RunReport) or drift (DriftReport) — that every
 * human format reads: the HTML report, the Markdown summary, the graph. Pure: results and stacks in,
 * plain data out. Secret data is redacted again here, whatever the engines already did.
 */
import { emptyCounts, type ChangeCounts, type ResourceChange, type StackResult } from '../engines/types.js';
import type { DriftFinding, DriftReport, StackDrift } from '../drift/types.js';
import type { RunReport } from '../orchestrate/run.js';
import { ORPHAN_ACTION_TEXT, PRUNE_HINT, type OrphanReport } from '../orchestrate/orphans.js';
import { LAYERS, type StackInstance } from '../stacks/types.js';
import { stackGraph, type StackGraph } from './graph.js';
import type { ReportStatus } from './status.js';
import { typeParts } from '../objects/identity.js';
import { redactViews } from '../objects/secrets.js';

export { REPORT_STATUSES, type ReportStatus } from './status.js';

export interface StackErrorInfo {
  kind?: string;
  message: string;
  hint?: string;
}

/**
 * A stack's error whatever its shape: `{ kind, message, hint? }` of a run's StackResult, the plain
 * string of a drift report's stack. Every renderer reads errors through this.
 */
export function stackError(error: string | StackErrorInfo | null | undefined): StackErrorInfo | undefined {
  if (error === undefined || error === null || error === '') return undefined;
  if (typeof error === 'string') return { message: error };
  return { ...(error.kind ? { kind: error.kind } : {}), message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
}

/** Where a stack sits: its layer, region, tenant and service. */
export interface StackPlace {
  id: string;
  layer: string;
  region: string;
  tenant?: string;
  service?: string;
  dependsOn: string[];
}

/** `<layer>/<region>[/<tenant>[/<service>]]` read back into its parts (stacks no longer in the config). */
export function parseStackId(id: string): StackPlace {
  const [layer = '', region = '', tenant, service] = id.split('/');
  if (!(LAYERS as readonly string[]).includes(layer) || !region) return { id, layer: 'unknown', region: 'unknown', dependsOn: [] };
  return { id, layer, region, ...(tenant ? { tenant } : {}), ...(service ? { service } : {}), dependsOn: [] };
}

export function placeOf(stack: StackInstance): StackPlace {
  return {
    id: stack.id,
    layer: stack.layer,
    region: stack.region.name,
    ...(stack.tenant ? { tenant: stack.tenant } : {}),
    ...(stack.service ? { service: stack.service } : {}),
    dependsOn: [...stack.dependsOn],
  };
}

export interface ReportStack extends StackPlace {
  status: ReportStatus;
  /** Run reports: resource counts; drift: undefined. */
  changes?: ChangeCounts;
  /** Run reports: the resources that change (`same` ones are only counted). */
  resources: ResourceChange[];
  /** Drift reports: the findings. */
  findings: DriftFinding[];
  error?: StackErrorInfo;
  /** A stack no longer in platform.yaml whose state outlived it: why it is here and what became of it. */
  orphan?: string;
}

export type ReportOperation = RunReport['operation'] | 'drift';

export interface ReportModel {
  operation: ReportOperation;
  /** The project name from platform.yaml. */
  project?: string;
  /** Drift: the Git ref compared with. */
  ref?: string;
  /** ISO time the report was made. */
  generatedAt: string;
  exitCode: number;
  /** In dependency order. */
  stacks: ReportStack[];
  graph: StackGraph;
}

export interface ReportMeta {
  project?: string;
  generatedAt?: Date;
  exitCode: number;
}

/** The secret policy (src/objects/secrets.ts) once more: an engine that let a Secret's value through does not put it in a report. */
export function redactResource(r: ResourceChange): ResourceChange {
  const type = typeParts(r.type);
  return { ...r, diff: r.diff.map((d) => redactViews(type, d, ['old', 'new'])) };
}

const DRIFT_STATUS: Record<StackDrift['status'], ReportStatus> = { clean: 'ok', drift: 'drifted', error: 'failed' };

function placesOf(stacks: StackInstance[]): Map<string, StackPlace> {
  return new Map(stacks.map((s) => [s.id, placeOf(s)]));
}

function finish(operation: ReportOperation, stacks: ReportStack[], meta: ReportMeta, ref?: string): ReportModel {
  const status = new Map(stacks.map((s) => [s.id, s.status]));
  return {
    operation,
    ...(meta.project ? { project: meta.project } : {}),
    ...(ref ? { ref } : {}),
    generatedAt: (meta.generatedAt ?? new Date()).toISOString(),
    exitCode: meta.exitCode,
    stacks,
    graph: stackGraph(stacks, status),
  };
}

/** A plan/apply/destroy result with the stacks it ran (for layer, region and edges). */
export function runReportModel(report: RunReport, stacks: StackInstance[], meta: ReportMeta): ReportModel {
  const places = placesOf(stacks);
  const rows = report.stacks.map((r: StackResult): ReportStack => {
    // A skipped stack shows why it did not run where a failed one shows its error.
    const error = r.status === 'skipped' ? stackError(r.reason) : stackError(r.error);
    return {
      ...(places.get(r.id) ?? parseStackId(r.id)),
      status: r.status,
      changes: r.changes,
      resources: r.resources.filter((x) => x.op !== 'same').map(redactResource),
      findings: [],
      ...(error ? { error } : {}),
    };
  });
  return finish(report.operation, [...rows, ...(report.orphans ?? []).map(orphanRow)], meta);
}

/**
 * An orphan as a report row, placed by its ID: what plan would destroy and what apply left are pending
 * changes (its resources to delete), what --prune did is that destroy's result.
 */
function orphanRow(o: OrphanReport): ReportStack {
  const pending = o.action === 'pending' || o.action === 'left';
  const error = o.error ?? (o.result?.status === 'skipped' ? stackError(o.result.reason) : stackError(o.result?.error));
  return {
    ...parseStackId(o.id),
    status: pending ? 'changes' : (o.result?.status ?? 'failed'),
    changes: pending || !o.result ? { ...emptyCounts(), delete: o.resources } : o.result.changes,
    resources: (o.result?.resources ?? []).filter((x) => x.op !== 'same').map(redactResource),
    findings: [],
    ...(error ? { error } : {}),
    orphan: `${o.reason}: ${ORPHAN_ACTION_TEXT[o.action]}${pending ? ` — ${o.blocked ? `cannot be destroyed from this config: ${o.blocked}` : PRUNE_HINT}` : ''}`,
  };
}

/** A drift result with the stacks planned from the config at its ref (stacks gone from Git are placed by ID). */
export function driftReportModel(report: DriftReport, stacks: StackInstance[], meta: Omit<ReportMeta, 'exitCode'>): ReportModel {
  const places = placesOf(stacks);
  const rows = report.stacks.map((d): ReportStack => {
    const error = stackError(d.error);
    return { ...(places.get(d.id) ?? parseStackId(d.id)), status: DRIFT_STATUS[d.status], resources: [], findings: d.findings, ...(error ? { error } : {}) };
  });
  return finish('drift', rows, { ...meta, exitCode: report.exitCode }, report.ref);
}

export interface ReportSummary {
  total: number;
  byStatus: Record<ReportStatus, number>;
  /** Regions in the order the stacks list them. */
  byRegion: Array<{ region: string; total: number; byStatus: Record<ReportStatus, number> }>;
}

const zeroStatuses = (): Record<ReportStatus, number> => ({ failed: 0, skipped: 0, drifted: 0, changes: 0, ok: 0 });

export function summarizeReport(model: Pick<ReportModel, 'stacks'>): ReportSummary {
  const byStatus = zeroStatuses();
  const regions = new Map<string, { region: string; total: number; byStatus: Record<ReportStatus, number> }>();
  for (const s of model.stacks) {
    byStatus[s.status]++;
    let r = regions.get(s.region);
    if (!r) regions.set(s.region, (r = { region: s.region, total: 0, byStatus: zeroStatuses() }));
    r.total++;
    r.byStatus[s.status]++;
  }
  return { total: model.stacks.length, byStatus, byRegion: [...regions.values()] };
}

/** How a status reads in a report of this operation (a clean drift check is "clean", not "ok"). */
export function statusLabel(status: ReportStatus, operation: ReportOperation): string {
  if (operation === 'drift') return status === 'ok' ? 'clean' : status === 'failed' ? 'error' : status;
  return status;
}
