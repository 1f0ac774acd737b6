/** How the local commands show progress and status (stderr progress, stdout table). */
import { color, info, printResult } from '../ui.js';
import type { StepReporter } from './progress.js';
import type { LocalEvent, LocalStatus } from '../../local/index.js';

const VERB = { create: 'created', start: 'started', none: 'already running', stop: 'stopped', delete: 'deleted' } as const;

export function reportLocalEvent(report: StepReporter, e: LocalEvent): void {
  if (e.type === 'region-started') report.started(e.region);
  else if (e.type === 'region-output') report.output(e.region, e.line);
  else if (e.type === 'region-finished') {
    if (e.action === 'none') report.skipped(e.region, VERB.none);
    else report.finished(e.region, `region ${e.region} ${VERB[e.action]} (${(e.durationMs / 1000).toFixed(1)} s)`);
  } else report.failed(e.region, e.error);
}

export function renderLocalStatus(status: LocalStatus): void {
  const width = Math.max(6, ...status.regions.map((r) => r.name.length));
  for (const r of status.regions) {
    const state = r.state === 'running' ? color.green(r.state) : r.state === 'stopped' ? color.yellow(r.state) : color.dim(r.state);
    const operator = r.prometheusOperator
      ? `  prometheus-operator ${r.prometheusOperator === 'running' ? color.green('running') : r.prometheusOperator === 'waiting' ? color.yellow('waiting for its CRDs') : color.dim('stopped')}`
      : '';
    printResult(`${r.name.padEnd(width)}  ${state.padEnd(7)}  ${r.server ?? '-'}  context ${r.context}${operator}`);
  }
  info(color.dim(`kubeconfig: ${status.kubeconfig}`));
}
