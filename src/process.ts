/** Whether a process runs: the one liveness test every lock and the local plane use. */
import { readFileSync } from 'node:fs';

/**
 * true while `pid` runs on this host. A killed process whose parent died stays a zombie until init
 * reaps it (slow in containers): a zombie counts as gone. EPERM means it runs under another user.
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false; // exited between the two looks
  }
}
