/** secretEnv values: read from the environment at plan time, handed to engines as secrets only. */
import { UsageError } from '../errors.js';
import type { DesiredObject } from '../objects/model.js';

/** The secret data keys of one object, resolved from the environment. Never log the result. */
export function resolveSecretEnv(object: DesiredObject, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, variable] of Object.entries(object.secretEnv ?? {})) {
    const value = env[variable];
    if (value === undefined) {
      const m = object.manifest.metadata;
      throw new UsageError(
        `secret ${m.namespace ? `${m.namespace}/` : ''}${m.name} needs environment variable ${variable} (for key ${key}), which is not set`,
        [],
        `Export ${variable} before running plan/apply (it is read at plan time and stored only as an encrypted secret).`,
      );
    }
    out[key] = value;
  }
  return out;
}
