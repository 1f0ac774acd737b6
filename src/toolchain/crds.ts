/**
 * CRD bundles from the toolchain cache (`platform toolchain install` downloads them): every
 * CustomResourceDefinition document of the bundle's YAML files, parsed once per process.
 */
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ExternalError } from '../errors.js';
import { crdBundleDir } from './layout.js';
import { CRD_BUNDLES, type CrdBundle } from './versions.js';
import type { KubeObject } from '../objects/model.js';

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
    if (doc.errors.length)
      throw new ExternalError(`${source}: not valid YAML: ${doc.errors[0].message}`, 'Delete the bundle folder and run `platform toolchain install` again.');
    const value = doc.toJS({ maxAliasCount: -1 }) as KubeObject | null;
    if (value && typeof value === 'object' && value.kind === 'CustomResourceDefinition') out.push(value);
  }
  return out;
}

/**
 * Parsing the YAML (~5 MB for Istio and prometheus-operator) costs ~0.5–1.5 s; the parsed bundle is
 * kept beside it as JSON (tens of milliseconds to read), keyed by the YAML files' names, sizes and times.
 */
const JSON_SIDECAR = '.parsed.json';

function readCrdDir(dir: string, bundle: CrdBundle): KubeObject[] {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .sort();
  } catch {
    const { module, version } = CRD_BUNDLES[bundle];
    throw new ExternalError(`the ${bundle} CRD bundle (${module} ${version}) is not in the toolchain cache (${dir})`, 'Run `platform toolchain install`.');
  }
  const key = files
    .map((f) => {
      const st = statSync(join(dir, f));
      return `${f}:${st.size}:${st.mtimeMs}`;
    })
    .join('|');
  try {
    const cached = JSON.parse(readFileSync(join(dir, JSON_SIDECAR), 'utf8')) as { key: string; crds: KubeObject[] };
    if (cached.key === key) return cached.crds;
  } catch {
    // no sidecar yet (or unreadable): parse the YAML
  }
  const crds = files.flatMap((f) => parseCrdYaml(readFileSync(join(dir, f), 'utf8'), join(dir, f)));
  try {
    const tmp = join(dir, `${JSON_SIDECAR}.${process.pid}`);
    writeFileSync(tmp, JSON.stringify({ key, crds }));
    renameSync(tmp, join(dir, JSON_SIDECAR));
  } catch {
    // a read-only cache still works, only slower
  }
  return crds;
}
