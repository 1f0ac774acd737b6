/** Values on one line for people: JSON, absent as `∅`, long ones cut with a count of what was cut. */

/** `"abc…" (+1,234 chars)`: at most `max` characters of the value's JSON, then how many more there were. */
export function shortValue(v: unknown, max = 80): string {
  if (v === undefined) return '∅';
  if (typeof v === 'string') {
    if (v.length <= max) return JSON.stringify(v);
    return `${JSON.stringify(v.slice(0, max)).slice(0, -1)}…" (+${count(v.length - max)} chars)`;
  }
  const text = JSON.stringify(v) ?? String(v);
  return text.length <= max ? text : `${text.slice(0, max)}… (+${count(text.length - max)} chars)`;
}

const count = (n: number): string => n.toLocaleString('en-US');
