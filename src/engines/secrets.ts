/** secretEnv values: read from the environment at plan time, handed to engines as secrets only. */
import { UsageError, type Problem } from '../errors.js';
import { objectName } from '../objects/identity.js';
import type { DesiredObject } from '../objects/model.js';

/** Each secret key of an object whose environment variable is not set. */
export function missingSecretVariables(object: DesiredObject, env: NodeJS.ProcessEnv = process.env): Problem[] {
  return Object.entries(object.secretEnv ?? {})
    .filter(([, variable]) => env[variable] === undefined)
    .map(([key, variable]) => ({ path: `secret ${objectName(object.manifest)}`, message: `environment variable ${variable} (for key ${key}) is not set` }));
}

export const MISSING_SECRET_HINT = 'Export each named variable before plan/apply: it is read at plan time and stored only as an encrypted secret.';

/** The secret data keys of one object, resolved from the environment. Never log the result. */
export function resolveSecretEnv(object: DesiredObject, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const missing = missingSecretVariables(object, env);
  if (missing.length)
    throw new UsageError(
      `secret ${objectName(object.manifest)} needs ${missing.map((p) => p.message.split(' (')[0]).join(', ')}`,
      missing,
      MISSING_SECRET_HINT,
    );
  return Object.fromEntries(Object.entries(object.secretEnv ?? {}).map(([key, variable]) => [key, env[variable]!]));
}
