import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { plainKubeconfigOptions } from '../../src/kube/kubeconfig.js';

const dir = mkdtempSync(join(tmpdir(), 'drift-kubeconfig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function kubeconfig(user: Record<string, unknown>, cluster: Record<string, unknown> = {}): string {
  const file = join(dir, `kc-${Math.random().toString(36).slice(2)}`);
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': Buffer.from('CA').toString('base64'), ...cluster } }],
      users: [{ name: 'u', user }],
      contexts: [{ name: 'eu', context: { cluster: 'c', user: 'u' } }],
    }),
  );
  return file;
}

describe('plain kubeconfigs without @kubernetes/client-node', () => {
  it('client certificates from data and from files next to the kubeconfig', () => {
    writeFileSync(join(dir, 'admin.key'), 'KEY');
    const file = kubeconfig({ 'client-certificate-data': Buffer.from('CERT').toString('base64'), 'client-key': 'admin.key' });
    const plain = plainKubeconfigOptions({ kubeconfig: file, context: 'eu' })!;
    expect(plain.server).toBe('https://127.0.0.1:6443');
    expect(plain.options.ca).toEqual(Buffer.from('CA'));
    expect(plain.options.cert).toEqual(Buffer.from('CERT'));
    expect(plain.options.key).toEqual(Buffer.from('KEY'));
  });

  it('bearer tokens', () => {
    const plain = plainKubeconfigOptions({ kubeconfig: kubeconfig({ token: 't0k' }), context: 'eu' })!;
    expect(plain.options.headers).toEqual({ authorization: 'Bearer t0k' });
  });

  it('exec plugins, auth providers, proxies and unknown contexts go to the full client', () => {
    expect(plainKubeconfigOptions({ kubeconfig: kubeconfig({ exec: { command: 'aws' } }), context: 'eu' })).toBeUndefined();
    expect(plainKubeconfigOptions({ kubeconfig: kubeconfig({ 'auth-provider': { name: 'gcp' } }), context: 'eu' })).toBeUndefined();
    expect(plainKubeconfigOptions({ kubeconfig: kubeconfig({ token: 't' }, { 'proxy-url': 'http://proxy' }), context: 'eu' })).toBeUndefined();
    expect(plainKubeconfigOptions({ kubeconfig: kubeconfig({ token: 't' }), context: 'us' })).toBeUndefined();
    expect(plainKubeconfigOptions({ kubeconfig: join(dir, 'absent'), context: 'eu' })).toBeUndefined();
  });

  it('kubeconfig data held in memory (a cloud cluster stack output): no file is read or needed', () => {
    const data = stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'acme-eu', cluster: { server: 'https://aks.mock:443', 'certificate-authority-data': Buffer.from('CA').toString('base64') } }],
      users: [
        {
          name: 'acme-eu',
          user: { 'client-certificate-data': Buffer.from('CERT').toString('base64'), 'client-key-data': Buffer.from('KEY').toString('base64') },
        },
      ],
      contexts: [{ name: 'acme-eu', context: { cluster: 'acme-eu', user: 'acme-eu' } }],
    });
    const plain = plainKubeconfigOptions({ kubeconfig: join(dir, 'never-written'), context: 'acme-eu', kubeconfigData: data })!;
    expect(plain.server).toBe('https://aks.mock:443');
    expect(plain.options.cert).toEqual(Buffer.from('CERT'));
    expect(plain.options.key).toEqual(Buffer.from('KEY'));
  });
});
