/** One status vocabulary for every format: run statuses as they are; drift `clean` → ok, `drift` → drifted, `error` → failed. */
export type ReportStatus = 'ok' | 'changes' | 'drifted' | 'failed' | 'skipped';

/** Most severe first: the order summaries list them in, and how a group of stacks takes one colour. */
export const REPORT_STATUSES: readonly ReportStatus[] = ['failed', 'skipped', 'drifted', 'changes', 'ok'];

export const mostSevere = (statuses: Iterable<ReportStatus>): ReportStatus | undefined => {
  const present = new Set(statuses);
  return REPORT_STATUSES.find((s) => present.has(s));
};
