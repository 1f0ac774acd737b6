/**
 * CRD bundles from the toolchain cache (`platform toolchain install` downloads them): every
 * CustomResourceDefinition document of the bundle's YAML files, parsed once per process.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ExternalError } from '../errors.js';
import type { KubeObject } from '../stacks/types.js';
import { crdBundleDir } from './layout.js';
import { CRD_BUNDLES, type CrdBundle } from './versions.js';

export type { CrdBundle } from './versions.js';

const parsed = new Map<string, KubeObject[]>();

/** The CRDs of a bundle, in file order. Each call returns fresh objects (callers may mutate them). */
export function loadCrdBundle(bundle: CrdBundle): KubeObject[] {
  const dir = crdBundleDir(bundle);
  let crds = parsed.get(dir);
  if (!crds) {
    crds = readCrdDir(dir, bundle);
    parsed.set(dir, crds);
  }
  return structuredClone(crds);
}

/** Parse every CustomResourceDefinition in the YAML files of `dir`. */
export function parseCrdYaml(text: string, source: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) throw new ExternalError(`${source}: not valid YAML: ${doc.errors[0].message}`, 'Delete the bundle folder and run `platform toolchain install` again.');
    const value = doc.toJS({ maxAliasCount: -1 }) as KubeObject | null;
    if (value && typeof value === 'object' && value.kind === 'CustomResourceDefinition') out.push(value);
  }
  return out;
}

function readCrdDir(dir: string, bundle: CrdBundle): KubeObject[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  } catch {
    const { module, version } = CRD_BUNDLES[bundle];
    throw new ExternalError(`the ${bundle} CRD bundle (${module} ${version}) is not in the toolchain cache (${dir})`, 'Run `platform toolchain install`.');
  }
  return files.flatMap((f) => parseCrdYaml(readFileSync(join(dir, f), 'utf8'), join(dir, f)));
}
