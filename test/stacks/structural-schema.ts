/**
 * A small validator for Kubernetes structural schemas (a CRD's openAPIV3Schema), as strict as the API
 * server with `fieldValidation=Strict`: unknown fields are errors unless the schema preserves them.
 * Covers type, properties, required, items, additionalProperties, enum, pattern, min/max, int-or-string
 * and preserve-unknown-fields; CEL rules (x-kubernetes-validations) are not evaluated.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
type Schema = Record<string, any>;

export function validateStructural(schema: Schema, value: unknown, path = ''): string[] {
  const errors: string[] = [];
  const at = path || '/';
  if (value === null || value === undefined) {
    if (!schema.nullable) errors.push(`${at}: null is not allowed`);
    return errors;
  }
  if (schema['x-kubernetes-int-or-string']) {
    if (typeof value !== 'string' && !Number.isInteger(value)) errors.push(`${at}: must be an integer or a string`);
    return errors;
  }
  const type = schema.type as string | undefined;
  const actual = Array.isArray(value) ? 'array' : typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : typeof value;
  if (type && !(type === actual || (type === 'number' && actual === 'integer'))) {
    errors.push(`${at}: must be ${type}, is ${actual}`);
    return errors;
  }
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${at}: must be one of ${JSON.stringify(schema.enum)}`);
  if (typeof value === 'string') {
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) errors.push(`${at}: does not match ${schema.pattern}`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength) errors.push(`${at}: longer than ${schema.maxLength}`);
    if (schema.minLength !== undefined && value.length < schema.minLength) errors.push(`${at}: shorter than ${schema.minLength}`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${at}: below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${at}: above ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) errors.push(`${at}: more than ${schema.maxItems} items`);
    if (schema.minItems !== undefined && value.length < schema.minItems) errors.push(`${at}: fewer than ${schema.minItems} items`);
    if (schema.items) value.forEach((v, i) => errors.push(...validateStructural(schema.items, v, `${path}/${i}`)));
  } else if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    for (const r of schema.required ?? []) if (!(r in obj)) errors.push(`${at}: missing required field ${r}`);
    const props = (schema.properties ?? {}) as Record<string, Schema | undefined>;
    for (const [k, v] of Object.entries(obj)) {
      // The type fields and ObjectMeta are validated by the API server itself, not by the CRD schema
      // (which often leaves them out or says only `object`).
      if (path === '' && (k === 'metadata' || k === 'apiVersion' || k === 'kind')) continue;
      if (props[k]) errors.push(...validateStructural(props[k], v, `${path}/${k}`));
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object')
        errors.push(...validateStructural(schema.additionalProperties, v, `${path}/${k}`));
      else if (!schema['x-kubernetes-preserve-unknown-fields'] && schema.additionalProperties !== true) errors.push(`${path}/${k}: unknown field`);
    }
  }
  return errors;
}
