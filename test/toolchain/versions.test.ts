import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { acceptedRange, parseToolVersion, versionAccepted } from '../../src/toolchain/discover.js';
import { CRD_BUNDLES, INSTALL_SOURCES, MATCHING_NPM_VERSIONS, TOOL_NAMES, TOOL_VERSIONS } from '../../src/toolchain/versions.js';

// Real outputs of the pinned tools (copied from the binaries built by the recipes).
const OUTPUTS = {
  etcd: 'etcd Version: 3.6.14\nGit SHA: Not provided (use ./build instead of go build)\nGo Version: go1.26.8\nGo OS/Arch: linux/amd64\n',
  kwok: 'kwok version v0.8.0 go1.26.8 (linux/amd64)\n',
  kwokctl: 'kwokctl version v0.8.0 go1.26.8 (linux/amd64)\n',
  'kube-apiserver': 'Kubernetes v1.34.2\n',
  'kube-controller-manager': 'Kubernetes v1.34.2\n',
  'kube-scheduler': 'Kubernetes v1.34.2\n',
  kubectl: 'Client Version: v1.34.2\nKustomize Version: v5.7.1\n',
  tofu: 'OpenTofu v1.12.6\non linux_amd64\n',
  pulumi: 'v3.250.0\n',
  promtool: 'promtool, version 3.15.0 (branch: , revision: unknown)\n  build user:       \n  go version:       go1.26.8\n',
  opa: 'Version: 1.22.3\nBuild Commit: \nBuild Timestamp: \nBuild Hostname: \nGo Version: go1.26.8\nPlatform: linux/amd64\nRego Version: v1\nWebAssembly: unavailable\n',
  actionlint: 'v1.7.12\ninstalled by building from source\nbuilt with go1.26.8 compiler for linux/amd64\n',
  helm: 'v3.22.0\n',
  'prometheus-operator':
    'prometheus-operator, version 0.85.0 (branch: , revision: unknown)\n  build user:       \n  build date:       \n  go version:       go1.26.8\n  platform:         linux/amd64\n  tags:             unknown',
} as const;

describe('parseToolVersion', () => {
  it.each(Object.entries(OUTPUTS))('reads %s', (name, output) => {
    const v = parseToolVersion(name as keyof typeof OUTPUTS, output);
    expect(v).toBe(TOOL_VERSIONS[name as keyof typeof OUTPUTS]);
    expect(versionAccepted(v, acceptedRange(name as keyof typeof OUTPUTS))).toBe(true);
  });

  it('keeps suffixes (a vendor build is not the pin; the range decides whether it is usable)', () => {
    const v = parseToolVersion('kubectl', 'Client Version: v1.34.2-dispatcher\nKustomize Version: v5.5.0\n');
    expect(v).toBe('v1.34.2-dispatcher');
    expect(v).not.toBe(TOOL_VERSIONS.kubectl);
    expect(parseToolVersion('tofu', 'OpenTofu v1.12.0-rc1\n')).toBe('v1.12.0-rc1');
  });

  it('rejects unrelated output', () => {
    expect(parseToolVersion('tofu', 'Terraform v1.12.6\n')).toBeNull();
    expect(parseToolVersion('etcd', '')).toBeNull();
  });

  it('reads an upstream helm release build (with its commit suffix)', () => {
    expect(parseToolVersion('helm', 'v3.22.0+g5c2a1f8\n')).toBe('v3.22.0');
  });

  it('has no probe for the provider plugin (it cannot be asked its version)', () => {
    expect(parseToolVersion('terraform-provider-kubectl', 'anything v1.19.0')).toBeNull();
  });
});

describe('pinned versions', () => {
  it('pins every tool, with a v prefix', () => {
    for (const name of TOOL_NAMES) expect(TOOL_VERSIONS[name]).toMatch(/^v\d+\.\d+\.\d+$/);
  });

  it('runs the same prometheus-operator release on the local plane as the bundle and the CRDs it installs', () => {
    expect(TOOL_VERSIONS['prometheus-operator']).toBe(INSTALL_SOURCES['prometheus-operator-bundle'].version);
    expect(TOOL_VERSIONS['prometheus-operator']).toBe(CRD_BUNDLES['prometheus-operator'].version);
  });

  it('match the npm packages that talk to those tools', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    for (const [name, version] of Object.entries(MATCHING_NPM_VERSIONS)) expect(pkg.dependencies[name]).toBe(version);
  });
});
