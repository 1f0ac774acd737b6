/** How `platform state list | unlock | migrate` read to a person (results on stdout, notes on stderr). */
import type { MigrateEvent, StateListResult, StateMigrateResult, StateUnlockResult } from '../../state-admin.js';
import { describeHolder } from '../../state/lock.js';
import { color, info, printResult } from '../ui.js';

export function renderStateList({ backend, stacks }: StateListResult): void {
  if (stacks.length === 0) {
    info(`no state at ${backend}`);
    return;
  }
  const width = Math.max(5, ...stacks.map((s) => s.id.length));
  printResult(color.bold(`${'STACK'.padEnd(width)}  ENGINE     RESOURCES  UPDATED               LOCKED BY`));
  for (const s of stacks) {
    const updated = s.updated ? s.updated.replace('T', ' ').slice(0, 19) : '-';
    const resources = s.resources === null ? '?' : String(s.resources);
    const lock = s.lockedBy ? color.yellow(describeHolder(s.lockedBy)) : color.dim('-');
    printResult(`${s.id.padEnd(width)}  ${s.engine.padEnd(9)}  ${resources.padStart(9)}  ${updated.padEnd(20)}  ${lock}`);
    if (s.error) info(`  ${color.red('error')} ${s.id}: ${s.error}`);
  }
  info(color.dim(`state: ${backend}`));
}

export function renderStateUnlock({ stacks }: StateUnlockResult): void {
  if (stacks.length === 0) info('no stack was locked');
  for (const s of stacks) {
    if (s.removed.length === 0) printResult(`${s.id}: not locked`);
    for (const r of s.removed)
      printResult(
        `${s.id}: removed the ${r.owner === 'platform' ? 'platform stack' : r.owner} lock${r.holder ? ` of ${describeHolder(r.holder)}` : ''} (${r.where})`,
      );
  }
}

export function migrateProgress(e: MigrateEvent): void {
  if (e.type === 'planned') info(`moving the state of ${e.stacks} stack${e.stacks === 1 ? '' : 's'} (${e.objects} objects)…`);
  else if (e.type === 'copied' && (e.done === e.total || e.done % 20 === 0)) info(color.dim(`  copied ${e.done}/${e.total}`));
  else if (e.type === 'verified') info(color.dim(`  verified ${e.objects} objects at the new location`));
}

export function renderStateMigrate(r: StateMigrateResult): void {
  printResult(`state moved: ${r.from} → ${r.to} (${r.stacks.length} stacks, ${r.copied} objects copied${r.skipped ? `, ${r.skipped} already there` : ''})`);
  info(`${r.configFile} now says state: ${r.to}. The old state is still at ${r.left}: delete it once every checkout and CI job uses the new location.`);
}
