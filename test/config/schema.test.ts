import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { platformJsonSchema } from '../../src/config/json-schema.js';
import { repoRoot } from '../helpers/cli.js';

/** The parts of a JSON Schema these tests read. */
interface JsonSchema {
  additionalProperties?: boolean | JsonSchema;
  required?: string[];
  enum?: unknown[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
}

describe('JSON Schema', () => {
  it('the committed schema/platform.schema.json matches the zod schema (regenerate: platform schema > schema/platform.schema.json)', () => {
    const committed = JSON.parse(readFileSync(join(repoRoot, 'schema', 'platform.schema.json'), 'utf8'));
    expect(committed).toEqual(platformJsonSchema());
  });

  it('rejects unknown keys everywhere and knows every enum', () => {
    const s = platformJsonSchema() as JsonSchema;
    expect(s.additionalProperties).toBe(false);
    expect(s.properties?.regions.items?.additionalProperties).toBe(false);
    expect(s.properties?.engine.enum).toEqual(['pulumi', 'terraform']);
    expect(s.required).toEqual(expect.arrayContaining(['apiVersion', 'name', 'regions']));
  });
});
