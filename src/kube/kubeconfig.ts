/**
 * Plain kubeconfigs (server + CA + client certificate or bearer token — the local plane's and most CI
 * kubeconfigs) read without @kubernetes/client-node: that package alone costs ~0.4 s of process start,
 * a third of drift's budget. Anything else (exec plugins, auth providers, proxies, basic auth) is left
 * to client-node (KubeClient.connect decides).
 */
import { existsSync, readFileSync } from 'node:fs';
import type https from 'node:https';
import { dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import type { KubeAccess } from './access.js';

interface NamedEntry<T> {
  name: string;
  [key: string]: unknown;
  cluster?: T;
  user?: T;
  context?: T;
}

type Fields = Record<string, unknown>;

const CLUSTER_KEYS = new Set(['server', 'certificate-authority', 'certificate-authority-data', 'insecure-skip-tls-verify', 'tls-server-name', 'extensions']);
const USER_KEYS = new Set(['client-certificate', 'client-certificate-data', 'client-key', 'client-key-data', 'token', 'tokenFile', 'extensions']);

/** TLS/auth options for a plain kubeconfig context; undefined when it needs the full client. */
export function plainKubeconfigOptions(access: KubeAccess): { server: string; options: https.RequestOptions } | undefined {
  if (access.kubeconfigData === undefined && !existsSync(access.kubeconfig)) return undefined;
  let doc: { contexts?: NamedEntry<Fields>[]; clusters?: NamedEntry<Fields>[]; users?: NamedEntry<Fields>[] };
  try {
    doc = (parse(access.kubeconfigData ?? readFileSync(access.kubeconfig, 'utf8')) as typeof doc | null) ?? {};
  } catch {
    return undefined;
  }
  const context = doc.contexts?.find((c) => c.name === access.context)?.context;
  const cluster = doc.clusters?.find((c) => c.name === context?.cluster)?.cluster;
  const user = context?.user ? doc.users?.find((u) => u.name === context.user)?.user : {};
  if (!context || !cluster || !user || typeof cluster.server !== 'string') return undefined;
  if (Object.keys(cluster).some((k) => !CLUSTER_KEYS.has(k)) || Object.keys(user).some((k) => !USER_KEYS.has(k))) return undefined;

  // Data held in memory names no file of its own: relative paths inside it are the working directory's.
  const base = access.kubeconfigData === undefined ? dirname(access.kubeconfig) : process.cwd();
  const file = (p: unknown): Buffer => readFileSync(isAbsolute(String(p)) ? String(p) : join(base, String(p)));
  const data = (inline: unknown, path: unknown): Buffer | undefined =>
    typeof inline === 'string' ? Buffer.from(inline, 'base64') : path !== undefined ? file(path) : undefined;
  try {
    const options: https.RequestOptions = {};
    const ca = data(cluster['certificate-authority-data'], cluster['certificate-authority']);
    if (ca) options.ca = ca;
    if (cluster['insecure-skip-tls-verify'] === true) options.rejectUnauthorized = false;
    if (typeof cluster['tls-server-name'] === 'string') options.servername = cluster['tls-server-name'];
    const cert = data(user['client-certificate-data'], user['client-certificate']);
    const key = data(user['client-key-data'], user['client-key']);
    if (cert) options.cert = cert;
    if (key) options.key = key;
    const token = typeof user.token === 'string' ? user.token : user.tokenFile !== undefined ? file(user.tokenFile).toString('utf8').trim() : undefined;
    if (token) options.headers = { authorization: `Bearer ${token}` };
    return { server: cluster.server, options };
  } catch {
    return undefined; // unreadable certificate files: let the full client report it
  }
}
