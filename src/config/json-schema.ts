/** The JSON Schema of platform.yaml, derived from the zod schema (editors validate with it). */
import { z } from 'zod';
import { platformSchema } from './schema.js';

export const SCHEMA_ID = 'https://platform.dev/schema/platform.v1.json';

export function platformJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(platformSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  return { ...schema, $id: SCHEMA_ID, title: 'platform.yaml (platform.dev/v1)' };
}
