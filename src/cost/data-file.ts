/**
 * The data files cost reads besides platform.yaml — usage assumptions (`cost.usage`) and price tables
 * (`prices/*.json`, `--prices FILE`) — parsed with positions (JSON is YAML) and checked with zod, so
 * every problem names file:line:col and the field, like platform.yaml's own errors (src/config/load.ts).
 */
import { relative } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { closest, formatPath, offsetOf } from '../config/load.js';
import { keysAt } from '../config/schema-keys.js';
import { UsageError, type Problem } from '../errors.js';

type PathSegment = string | number;

export interface ParsedDataFile<T> {
  data: T;
  /** `file:line:col` of the node at a path (or of its closest existing parent). */
  at: (path: PathSegment[]) => string;
}

/** Parse `text` (named `name` in messages) against `schema`; UsageError listing every problem. */
export function parseDataFile<T extends z.ZodType>(text: string, name: string, schema: T, hint: string): ParsedDataFile<z.output<T>> {
  // Fast path for valid JSON (the shipped price tables): positions are only needed to report a problem.
  const fast = parseValidJson(text, schema);
  let positions: ReturnType<typeof withPositions> | undefined;
  const located = () => (positions ??= withPositions(text, name));
  const at = (path: PathSegment[]): string => located().at(path);
  if (fast) return { data: fast, at };
  const { doc, where } = located();
  if (doc.errors.length)
    throw invalid(
      name,
      doc.errors.map((e) => ({ where: where(e.pos[0]), message: `YAML: ${e.message.split('\n')[0]}` })),
      hint,
    );
  const parsed = schema.safeParse(doc.toJS() ?? {});
  if (!parsed.success)
    throw invalid(
      name,
      parsed.error.issues.flatMap((issue) => problemsOf(issue, doc, schema, at)),
      hint,
    );
  return { data: parsed.data, at };
}

function parseValidJson<T extends z.ZodType>(text: string, schema: T): z.output<T> | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function withPositions(text: string, name: string): { doc: Document; where: (offset?: number) => string; at: (path: PathSegment[]) => string } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const where = (offset: number | undefined): string => {
    if (offset === undefined) return `${name}:1:1`;
    const { line, col } = lines.linePos(offset);
    return `${name}:${line}:${col}`;
  };
  return { doc, where, at: (path) => where(offsetOf(doc, path)) };
}

export function invalid(name: string, problems: Problem[], hint: string): UsageError {
  const n = problems.length;
  return new UsageError(`${name} is invalid (${n} problem${n === 1 ? '' : 's'})`, problems, hint);
}

function problemsOf(issue: z.core.$ZodIssue, doc: Document, schema: z.ZodType, at: (path: PathSegment[]) => string): Problem[] {
  const path = issue.path.filter((p): p is PathSegment => typeof p !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const known = keysAt(schema, path);
    return issue.keys.map((key) => {
      const near = closest(key, known);
      return {
        where: at([...path, key]),
        path: formatPath([...path, key]),
        message: `unknown key "${key}"${near ? ` (did you mean "${near}"?)` : ''}; valid keys: ${known.join(', ')}`,
      };
    });
  }
  const message = issue.code === 'invalid_type' && !doc.hasIn(path) ? `is required (${issue.expected})` : issue.message;
  return [{ where: at(path), path: formatPath(path), message }];
}

/** A file as messages name it: relative to the working directory when inside it. */
export function displayName(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') ? rel : abs;
}
