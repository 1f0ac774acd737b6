/**
 * Where state lives: `state:` from platform.yaml, resolved once (here) for every engine, drift and the
 * lock. `file://` paths are relative to the project directory, `~` is the home directory; remote URLs
 * (`s3://bucket/prefix`, `gs://bucket/prefix`, `azblob://container/prefix`) keep their bucket and prefix.
 */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';

export const DEFAULT_STATE = 'file://.platform/state';

export type StateScheme = 'file' | 's3' | 'gs' | 'azblob';

export interface StateLocation {
  /** The URL as written in platform.yaml (or the default). */
  url: string;
  scheme: StateScheme;
  /** file://: the absolute directory. */
  dir?: string;
  /** s3/gs: the bucket; azblob: the container. */
  bucket?: string;
  /** Key prefix inside the bucket, without leading or trailing `/` ('' for none). */
  prefix: string;
}

const URL_PATTERN = /^(file|s3|gs|azblob):\/\/(.+)$/;

export function resolveStateLocation(state: string | undefined, projectDir: string, home: string = process.env.HOME ?? homedir()): StateLocation {
  const url = state ?? DEFAULT_STATE;
  const match = URL_PATTERN.exec(url);
  if (!match)
    throw new UsageError(`state "${url}" is not a supported URL`, [
      { path: 'state', message: 'must be file://PATH, s3://bucket/prefix, gs://bucket/prefix or azblob://container/prefix' },
    ]);
  const [, scheme, rest] = match as unknown as [string, StateScheme, string];
  if (scheme === 'file') {
    const dir = rest === '~' || rest.startsWith('~/') ? join(home, rest.slice(1)) : isAbsolute(rest) ? rest : resolve(projectDir, rest);
    return { url, scheme, dir, prefix: '' };
  }
  const [bucket, ...path] = rest.split('/');
  return { url, scheme, bucket, prefix: path.filter(Boolean).join('/') };
}

/** `<prefix>/<name>` (or just `<name>` without a prefix): a key inside the state location. */
export const stateKey = (location: StateLocation, name: string): string => (location.prefix ? `${location.prefix}/${name}` : name);
