/**
 * Tools already on PATH (issue 14 item 5): a version inside the tool's accepted range is used instead
 * of building the pin, `toolchain status` says which was taken and why, and without Go the install
 * says what is missing and how to get it. Fake binaries on a temp PATH (shell scripts printing a version).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExternalError } from '../../src/errors.js';
import { acceptedRange, forgetResolvedTools, parseToolVersion, toolStatus, VERSION_PROBES, versionAccepted } from '../../src/toolchain/discover.js';
import { installToolchain, planInstall } from '../../src/toolchain/install.js';
import { cachedToolPath } from '../../src/toolchain/layout.js';
import { ACCEPTED_RANGES, TOOL_NAMES, TOOL_VERSIONS, type ToolName } from '../../src/toolchain/versions.js';
import { fakeBinary, useTempToolchain } from '../helpers/fake-tools.js';

/** What each tool prints for `--version` (or `version`), for a given version. */
const say: Partial<Record<ToolName, (v: string) => string>> = {
  etcd: (v) => `etcd Version: ${v.slice(1)}`,
  kwok: (v) => `kwok version ${v} go1.26.8 (linux/amd64)`,
  kwokctl: (v) => `kwokctl version ${v} go1.26.8 (linux/amd64)`,
  'kube-apiserver': (v) => `Kubernetes ${v}`,
  'kube-controller-manager': (v) => `Kubernetes ${v}`,
  'kube-scheduler': (v) => `Kubernetes ${v}`,
  kubectl: (v) => `Client Version: ${v}`,
  tofu: (v) => `OpenTofu ${v}`,
  pulumi: (v) => v,
  promtool: (v) => `promtool, version ${v.slice(1)} (branch: , revision: unknown)`,
  actionlint: (v) => v,
  helm: (v) => `${v}+g5c2a1f8`,
  'prometheus-operator': (v) => `prometheus-operator, version ${v.slice(1)} (branch: , revision: unknown)\n  go version:       go1.26.8`,
  opa: (v) => `Version: ${v.slice(1)}\nBuild Commit: \nRego Version: v1\n`,
};

describe('PATH versions within a tested compatible range', () => {
  const tmp = useTempToolchain();
  const onPath = (name: ToolName, version: string): string => fakeBinary(join(tmp(), 'bin', name), say[name]!(version));

  it.each([
    ['tofu', 'v1.10.0', true],
    ['tofu', 'v1.11.4', true],
    ['tofu', 'v1.9.9', false],
    ['tofu', 'v2.0.0', false],
    ['tofu', 'v1.12.0-rc1', false],
    ['pulumi', 'v3.260.0', true],
    ['pulumi', 'v3.249.0', false],
    ['pulumi', 'v4.0.0', false],
    ['etcd', 'v3.5.21', true],
    ['etcd', 'v3.4.30', false],
    ['kwokctl', 'v0.8.1', true],
    ['kwokctl', 'v0.9.0', false],
    ['kube-apiserver', 'v1.34.0', true],
    ['kube-apiserver', 'v1.35.1', false],
    ['promtool', 'v3.0.1', true],
    ['promtool', 'v2.55.1', false],
    ['actionlint', 'v1.7.12', true],
    ['actionlint', 'v1.7.11', false],
    ['prometheus-operator', 'v0.85.2', true],
    ['prometheus-operator', 'v0.86.0', false],
    ['prometheus-operator', 'v0.84.1', false],
  ] as const)('%s %s on PATH: taken = %s', (name, version, taken) => {
    const file = onPath(name, version);
    const status = toolStatus(name);
    if (taken) {
      expect(status).toMatchObject({ source: 'path', path: file, version, pinned: TOOL_VERSIONS[name] });
      expect(status.reason).toContain(`${version} on PATH is in ${status.accepts}`);
    } else {
      expect(status).toMatchObject({ source: 'missing', path: null, version: TOOL_VERSIONS[name], ignoredOnPath: { path: file, version } });
      expect(status.reason).toMatch(version.includes('-rc') ? /a pre-release/ : new RegExp(`outside ${status.accepts}`));
      expect(status.reason).toContain('platform toolchain install');
    }
  });

  it('kubectl: within one minor of the API server that will be used; vendor suffixes are fine, pre-releases are not', () => {
    // No API server anywhere: the pin (v1.34.x) decides.
    expect(acceptedRange('kubectl')).toMatchObject({ min: 'v1.33.0', below: 'v1.36.0' });
    for (const [v, ok] of [
      ['v1.33.1-eks-1552ad0', true],
      ['v1.35.0', true],
      ['v1.32.4-dispatcher', false],
      ['v1.36.0', false],
      ['v1.35.0-beta.0', false],
    ] as const) {
      onPath('kubectl', v);
      forgetResolvedTools();
      expect(toolStatus('kubectl').source, v).toBe(ok ? 'path' : 'missing');
    }
  });

  it('the cache is used when PATH has no usable copy, and status says why', () => {
    const cached = fakeBinary(cachedToolPath('tofu'), 'OpenTofu v1.12.6');
    onPath('tofu', 'v1.6.2');
    expect(toolStatus('tofu')).toMatchObject({
      source: 'cache',
      path: cached,
      version: 'v1.12.6',
      reason: expect.stringContaining('v1.6.2, outside >=v1.10.0 <v2.0.0'),
    });
    // The provider plugin has no version flag: never from PATH.
    fakeBinary(join(tmp(), 'bin', 'terraform-provider-kubectl'), 'v1.19.0');
    expect(toolStatus('terraform-provider-kubectl')).toMatchObject({ source: 'missing', accepts: null });
  });

  it('every tool with a version probe has a range that holds its own pin', () => {
    for (const name of TOOL_NAMES) {
      const range = acceptedRange(name);
      // No version flag to check (the provider plugin, a test server): always the cached build.
      if (VERSION_PROBES[name] === null) expect(range, name).toBeNull();
      else {
        expect(range, name).not.toBeNull();
        expect(range!.why.length, name).toBeGreaterThan(20);
        expect(versionAccepted(TOOL_VERSIONS[name], range), name).toBe(true);
        expect(versionAccepted(parseToolVersion(name, say[name]!(TOOL_VERSIONS[name])), range), name).toBe(true);
      }
    }
    expect(Object.keys(ACCEPTED_RANGES)).toHaveLength(TOOL_NAMES.length - 1); // kubectl's is computed
  });

  it('install builds only what PATH does not provide', () => {
    onPath('tofu', 'v1.10.0');
    onPath('pulumi', 'v3.260.0');
    const plan = Object.fromEntries(planInstall().map((s) => [s.id, s.needed]));
    expect(plan).toMatchObject({ tofu: false, pulumi: false, etcd: true, kubernetes: true });
  });

  it('without Go: names each missing tool with its range, and the two ways to get them; builds nothing', async () => {
    onPath('tofu', 'v1.10.0'); // already fine: not listed
    onPath('pulumi', 'v3.100.0'); // too old: listed
    const error = await installToolchain().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ExternalError);
    const { message, hint } = error as ExternalError;
    expect(message).toContain('`go` is not on PATH');
    expect(message).toMatch(/^ {2}pulumi >=v3\.250\.0 <v4\.0\.0$/m);
    expect(message).toMatch(/^ {2}etcd >=v3\.5\.0 <v3\.7\.0$/m);
    expect(message).not.toMatch(/^ {2}tofu /m);
    expect(message).toMatch(/only through Go.*terraform-provider-kubectl.*CRD bundles/);
    expect(hint).toMatch(/\(1\) install Go >= 1\.26.*\(2\) put binaries in the ranges above on PATH/s);
    expect(existsSync(join(tmp(), 'cache')) ? readdirSync(join(tmp(), 'cache')).filter((f) => !f.endsWith('.json')) : []).toEqual([]);
  });
});
