/** Kubernetes quantities as numbers: CPU in millicores, memory in bytes. */
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
const DECIMAL: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

export function millicores(q: string): number {
  return q.endsWith('m') ? Number(q.slice(0, -1)) : Number(q) * 1000;
}

export function bytes(q: string): number {
  const m = /^([0-9.]+)([A-Za-z]*)$/.exec(q);
  if (!m) return Number.NaN;
  const unit = m[2];
  return Number(m[1]) * (BINARY[unit] ?? DECIMAL[unit] ?? (unit === '' ? 1 : Number.NaN));
}
