/** JSON pointers (RFC 6901): how every diff, drift finding and report names a field. */

export const escapePointer = (segment: string): string => segment.replaceAll('~', '~0').replaceAll('/', '~1');
export const unescapePointer = (segment: string): string => segment.replaceAll('~1', '/').replaceAll('~0', '~');

/** `/a/b~1c` → ['a', 'b/c']; the root (`/` or '') → []. */
export const pointerSegments = (pointer: string): string[] => (pointer === '/' || pointer === '' ? [] : pointer.slice(1).split('/').map(unescapePointer));

/** ['a', 'b/c'] → `/a/b~1c`; [] → `/`. */
export const toPointer = (segments: readonly string[]): string => (segments.length ? `/${segments.map(escapePointer).join('/')}` : '/');

/** The value at a JSON pointer, or undefined. */
export function valueAt(value: unknown, pointer: string): unknown {
  let current: unknown = value;
  for (const key of pointerSegments(pointer)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** `pointer` equals `prefix` or lies below it. */
export const isUnder = (pointer: string, prefix: string): boolean => pointer === prefix || pointer.startsWith(`${prefix}/`);
