/**
 * docs/config.md cannot drift from the zod schema: its reference validates, and every field the schema
 * knows appears in it (a new field without docs, or a renamed one, fails here).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { platformJsonSchema } from '../../src/config/json-schema.js';
import { platformSchema, serviceOverridesSchema } from '../../src/config/schema.js';
import { repoRoot } from '../helpers/cli.js';

const doc = readFileSync(join(repoRoot, 'docs', 'config.md'), 'utf8');
const yamlBlocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1]) as unknown);

/** Every property path of a JSON Schema: `services[].slo.availability`, `drift.ignore[].kind`… */
function schemaPaths(node: unknown, prefix = '', out = new Set<string>()): Set<string> {
  if (!node || typeof node !== 'object') return out;
  const n = node as Record<string, unknown>;
  for (const [key, child] of Object.entries((n.properties ?? {}) as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    out.add(path);
    schemaPaths(child, path, out);
  }
  if (n.items) schemaPaths(n.items, `${prefix}[]`, out);
  for (const k of ['anyOf', 'oneOf', 'allOf']) for (const alt of (n[k] ?? []) as unknown[]) schemaPaths(alt, prefix, out);
  return out;
}

/** Every key path of a YAML value, arrays as `[]` (free-form maps such as env contribute their own path only). */
function valuePaths(value: unknown, prefix = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) valuePaths(v, `${prefix}[]`, out);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${key}` : key;
      out.add(path);
      valuePaths(child, path, out);
    }
  }
  return out;
}

describe('docs/config.md', () => {
  const [reference, overrides] = yamlBlocks;

  it('the reference is a valid platform.yaml', () => {
    const parsed = platformSchema.safeParse(reference);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  it('documents every field of the schema', () => {
    const documented = valuePaths(reference);
    const missing = [...schemaPaths(platformJsonSchema())].filter((p) => !documented.has(p));
    expect(missing).toEqual([]);
  });

  it('documents every key of services/<name>/overrides.yaml, and the example is valid', () => {
    const parsed = serviceOverridesSchema.safeParse(overrides);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    expect(Object.keys(serviceOverridesSchema.shape).filter((k) => !(k in (overrides as object)))).toEqual([]);
  });
});
