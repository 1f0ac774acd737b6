/** What a zod schema allows, for "did you mean" messages: the keys at a path of a config document. */
import { z } from 'zod';

type PathSegment = string | number;

/** The keys an object schema allows at a path (through records, arrays and optional/default/pipe wrappers). */
export function keysAt(schema: z.ZodType, path: PathSegment[]): string[] {
  let s = unwrap(schema);
  for (const seg of path) {
    const inner: z.core.SomeType | undefined =
      s instanceof z.ZodRecord
        ? s.valueType
        : s instanceof z.ZodArray && typeof seg === 'number'
          ? s.element
          : s instanceof z.ZodObject && typeof seg === 'string'
            ? (s.shape[seg] as z.core.SomeType | undefined)
            : undefined;
    if (!inner) return [];
    s = unwrap(inner);
  }
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

/** The schema inside optional, nullable, default, prefault and pipe (its input side) wrappers. */
function unwrap(schema: z.core.SomeType): z.core.SomeType {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault || s instanceof z.ZodPrefault) s = s.unwrap();
    else if (s instanceof z.ZodPipe) s = s.in;
    else return s;
  }
}
