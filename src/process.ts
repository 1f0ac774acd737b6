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

/** The pid a pid file holds; null when the file is missing or holds no pid. */
export function readPidFile(file: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isFinite(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Alive, and its command line names `path`: a daemon we started names files in its own folder. A pid
 * reused after a reboot then does not pass for ours (we would skip starting it, or stop a stranger).
 */
export function isOurDaemon(pid: number | null, path: string): pid is number {
  if (pid === null || !isProcessAlive(pid)) return false;
  if (process.platform !== 'linux') return true;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(path);
  } catch {
    return false;
  }
}
