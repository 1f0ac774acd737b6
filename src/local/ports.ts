/**
 * Port choice for new clusters. kwokctl's own allocator scans down from 32767 in every process, so two
 * clusters created at the same time (our two regions, or another project's test) pick the same ports.
 * We pick random free ports below that range and above the common service ports instead, never hand
 * out the same port twice within one process, and reserve each for a while in a machine-wide folder so
 * a concurrent `local up` in another project does not take it before our components bind it.
 */
import { mkdirSync, openSync, closeSync, statSync, rmSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LOW = 20_000;
const HIGH = 30_000; // kwokctl's scan starts at 32767; the kernel's ephemeral range at 32768
const handedOut = new Set<number>();

function canListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Free on loopback and on the wildcard address (a wildcard listener blocks loopback too). */
export async function isPortFree(port: number): Promise<boolean> {
  return (await canListen(port, '127.0.0.1')) && (await canListen(port, '0.0.0.0'));
}

/** How long a reservation holds: the components bind their ports within seconds of creation. */
const RESERVATION_MS = 120_000;
const reservationsDir = (): string => join(tmpdir(), 'platform-local-ports');

/** Claim `port` machine-wide unless someone claimed it within RESERVATION_MS. */
export function reservePort(port: number, now = Date.now()): boolean {
  const dir = reservationsDir();
  mkdirSync(dir, { recursive: true });
  const file = join(dir, String(port));
  for (let tries = 0; tries < 2; tries++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return true; // no shared tmp: the bind check still stands
      try {
        if (now - statSync(file).mtimeMs < RESERVATION_MS) return false;
        rmSync(file, { force: true }); // expired: take it over
      } catch {
        // removed meanwhile: try again
      }
    }
  }
  return false;
}

export async function allocatePorts(count: number, random: () => number = Math.random): Promise<number[]> {
  const ports: number[] = [];
  for (let attempts = 0; ports.length < count; attempts++) {
    if (attempts > 500) throw new Error(`no ${count} free TCP ports between ${LOW} and ${HIGH}`);
    const port = LOW + Math.floor(random() * (HIGH - LOW));
    if (handedOut.has(port) || !(await isPortFree(port)) || !reservePort(port)) continue;
    handedOut.add(port);
    ports.push(port);
  }
  return ports;
}
