/** Kubernetes resource quantities (`250m`, `1.5`, `256Mi`, `2G`, `1e3`) as numbers. */

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const SUFFIX: Partial<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The quantity's value in base units (cores, bytes), or undefined when it is not a quantity. */
export function parseQuantity(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const m = QUANTITY.exec(v.trim());
  const factor = m ? SUFFIX[m.at(2) ?? ''] : undefined;
  return m && factor !== undefined ? Number(m[1]) * factor : undefined;
}

/** CPU in millicores (NaN when not a quantity). */
export const millicores = (q: string): number => Math.round((parseQuantity(q) ?? Number.NaN) * 1e6) / 1e3;

/** Memory in bytes (NaN when not a quantity). */
export const bytes = (q: string): number => parseQuantity(q) ?? Number.NaN;
