/** Content digests of manifests: how big objects (CRDs) travel and are compared by reference. */
import { createHash } from 'node:crypto';
import type { KubeObject } from './model.js';

/** sha256 (hex) of a manifest's JSON text as written by JSON.stringify. */
export const manifestDigest = (m: KubeObject): string => createHash('sha256').update(JSON.stringify(m)).digest('hex');
