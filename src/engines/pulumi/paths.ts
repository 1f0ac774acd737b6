/**
 * JSON pointers (our diff paths) ↔ Pulumi property paths (the keys of a provider's detailed diff),
 * e.g. `/metadata/labels/platform.dev~1stack` ↔ `manifest.metadata.labels["platform.dev/stack"]`.
 */

import { pointerSegments, toPointer } from '../../objects/pointer.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function pointerToPropertyPath(pointer: string, root: string): string {
  if (pointer === '' || pointer === '/') return root;
  let out = root;
  for (const key of pointerSegments(pointer)) {
    if (/^(0|[1-9][0-9]*)$/.test(key)) out += `[${key}]`;
    else if (IDENTIFIER.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out;
}

/** Parses a property path into its root and the JSON pointer below it. */
export function propertyPathToPointer(path: string): { root: string; pointer: string } {
  const segments: string[] = [];
  let i = 0;
  const readIdentifier = (): string => {
    const start = i;
    while (i < path.length && path[i] !== '.' && path[i] !== '[') i++;
    return path.slice(start, i);
  };
  const root = readIdentifier();
  while (i < path.length) {
    if (path[i] === '.') {
      i++;
      segments.push(readIdentifier());
    } else if (path[i] === '[') {
      if (path[i + 1] === '"') {
        // A JSON string literal up to the matching unescaped quote.
        let j = i + 2;
        while (j < path.length && !(path[j] === '"' && path[j - 1] !== '\\')) j++;
        segments.push(JSON.parse(path.slice(i + 1, j + 1)) as string);
        i = j + 2;
      } else {
        const close = path.indexOf(']', i);
        segments.push(path.slice(i + 1, close));
        i = close + 1;
      }
    } else {
      throw new Error(`malformed property path: ${path}`);
    }
  }
  return { root, pointer: toPointer(segments) };
}
