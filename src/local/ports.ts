/**
 * Port choice for new clusters. kwokctl's own allocator scans down from 32767 in every process, so two
 * clusters created at the same time (our two regions, or another project's test) pick the same ports.
 * We pick random free ports below that range and above the common service ports instead, and never
 * hand out the same port twice within one process.
 */
import { createServer } from 'node:net';

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

export async function allocatePorts(count: number, random: () => number = Math.random): Promise<number[]> {
  const ports: number[] = [];
  for (let attempts = 0; ports.length < count; attempts++) {
    if (attempts > 500) throw new Error(`no ${count} free TCP ports between ${LOW} and ${HIGH}`);
    const port = LOW + Math.floor(random() * (HIGH - LOW));
    if (handedOut.has(port) || !(await isPortFree(port))) continue;
    handedOut.add(port);
    ports.push(port);
  }
  return ports;
}
