/**
 * The one kubeconfig of the local plane: a context per local region, named after the region, with the
 * cluster's CA and admin credentials inlined (self-contained: engines, kubectl and client-node all read
 * it without following paths into kwok's workdir). Private key inside, so the file is 0600.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { localKubeconfigPath } from '../kube/access.js';

export interface KubeconfigEntry {
  /** Region name: cluster, user and context are all named after it. */
  region: string;
  server: string;
  caPem: string;
  clientCertPem: string;
  clientKeyPem: string;
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** Kubeconfig YAML for these entries; current-context is `current` (else the first entry). */
export function kubeconfigYaml(entries: KubeconfigEntry[], current?: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: entries.map((e) => ({ name: e.region, cluster: { server: e.server, 'certificate-authority-data': b64(e.caPem) } })),
    users: entries.map((e) => ({ name: e.region, user: { 'client-certificate-data': b64(e.clientCertPem), 'client-key-data': b64(e.clientKeyPem) } })),
    contexts: entries.map((e) => ({ name: e.region, context: { cluster: e.region, user: e.region } })),
    'current-context': current && entries.some((e) => e.region === current) ? current : (entries[0]?.region ?? ''),
  });
}

/** Read a kwok cluster's credentials (kwokctl keeps them under `<clusterDir>/pki`). */
export function entryFromCluster(region: string, dir: string, server: string): KubeconfigEntry | null {
  const pki = join(dir, 'pki');
  const files = ['ca.crt', 'admin.crt', 'admin.key'].map((f) => join(pki, f));
  if (!files.every((f) => existsSync(f))) return null;
  const [caPem, clientCertPem, clientKeyPem] = files.map((f) => readFileSync(f, 'utf8'));
  return { region, server, caPem, clientCertPem, clientKeyPem };
}

/** Write (atomically) or, with no entries, remove the project's local kubeconfig. */
export function writeLocalKubeconfig(projectDir: string, entries: KubeconfigEntry[], current?: string): string {
  const file = localKubeconfigPath(projectDir);
  if (entries.length === 0) {
    rmSync(file, { force: true });
    return file;
  }
  const text = kubeconfigYaml(entries, current);
  try {
    if (readFileSync(file, 'utf8') === text) return file; // unchanged: leave it (and its mtime) alone
  } catch {
    // not there yet
  }
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.tmp-${process.pid}`;
  writeFileSync(temp, text, { mode: 0o600 });
  renameSync(temp, file);
  return file;
}
