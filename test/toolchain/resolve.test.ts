import { existsSync, realpathSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExternalError } from '../../src/errors.js';
import { findOnPath, forgetResolvedTools, toolStatus } from '../../src/toolchain/discover.js';
import { pulumiCommandRoot, pulumiEnv, resolveTool } from '../../src/toolchain/index.js';
import { planInstall, toolchainStatus } from '../../src/toolchain/install.js';
import { cachedToolPath } from '../../src/toolchain/layout.js';
import { TOOL_NAMES } from '../../src/toolchain/versions.js';
import { fakeBinary, useTempToolchain } from '../helpers/fake-tools.js';

describe('resolving tools', () => {
  const tmp = useTempToolchain();

  it('says missing, with the install hint, when neither PATH nor cache has it', () => {
    expect(toolStatus('tofu')).toMatchObject({
      name: 'tofu',
      version: 'v1.12.6',
      pinned: 'v1.12.6',
      accepts: '>=v1.10.0 <v2.0.0',
      path: null,
      source: 'missing',
    });
    try {
      resolveTool('tofu');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ExternalError);
      expect((e as ExternalError).hint).toContain('platform toolchain install');
    }
  });

  it('uses a PATH binary whose version matches', () => {
    const onPath = fakeBinary(join(tmp(), 'bin', 'tofu'), 'OpenTofu v1.12.6');
    expect(resolveTool('tofu')).toBe(onPath);
    expect(toolStatus('tofu').source).toBe('path');
  });

  it('passes over a PATH binary of another version and takes the cache', () => {
    const onPath = fakeBinary(join(tmp(), 'bin', 'kubectl'), 'Client Version: v1.32.4-dispatcher');
    const cached = fakeBinary(cachedToolPath('kubectl'), 'Client Version: v1.34.2');
    const status = toolStatus('kubectl');
    expect(status).toMatchObject({ source: 'cache', path: cached, ignoredOnPath: { path: onPath, version: 'v1.32.4-dispatcher' } });
    expect(resolveTool('kubectl')).toBe(cached);
  });

  it('never counts the cache itself as a PATH binary', () => {
    const cached = fakeBinary(cachedToolPath('etcd'), 'etcd Version: 3.6.14');
    process.env.PATH = join(cached, '..');
    expect(findOnPath('etcd')).toBeNull();
    expect(toolStatus('etcd', { fresh: true }).source).toBe('cache');
  });

  it('remembers version answers across processes, keyed by size and mtime', () => {
    const file = fakeBinary(join(tmp(), 'bin', 'pulumi'), 'v3.250.0');
    const { mtime } = statSync(file);
    expect(toolStatus('pulumi').source).toBe('path');
    // Same size and mtime, different answer: a new process trusts the memo and does not run it again.
    fakeBinary(file, 'v3.249.9');
    utimesSync(file, mtime, mtime);
    forgetResolvedTools();
    expect(toolStatus('pulumi').source).toBe('path');
    // A changed mtime means a changed binary: asked again.
    utimesSync(file, new Date(mtime.getTime() + 5_000), new Date(mtime.getTime() + 5_000));
    forgetResolvedTools();
    expect(toolStatus('pulumi')).toMatchObject({ source: 'missing', ignoredOnPath: { version: 'v3.249.9' } });
  });

  it('status lists every tool a user needs in the documented JSON shape (not the test servers)', () => {
    fakeBinary(join(tmp(), 'bin', 'pulumi'), 'v3.250.0');
    const tools = toolchainStatus();
    expect(tools.map((t) => t.name)).toEqual(TOOL_NAMES.filter((n) => n !== 'fake-gcs-server'));
    for (const t of tools) {
      expect(Object.keys(t).sort()).toEqual(expect.arrayContaining(['accepts', 'name', 'path', 'pinned', 'reason', 'source', 'version']));
      expect(['path', 'cache', 'missing']).toContain(t.source);
    }
    expect(tools.find((t) => t.name === 'pulumi')?.source).toBe('path');
  });

  it('gives pulumi an offline env under the project and a PulumiCommand root', () => {
    const cached = fakeBinary(cachedToolPath('pulumi'), 'v3.250.0');
    const env = pulumiEnv('/work/proj');
    expect(env).toMatchObject({
      PULUMI_HOME: '/work/proj/.platform/pulumi-home',
      PULUMI_SKIP_UPDATE_CHECK: '1',
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
    });
    expect(env.PATH.split(':')[0]).toBe(join(cached, '..'));
    const root = pulumiCommandRoot();
    expect(existsSync(join(root, 'bin', 'pulumi'))).toBe(true); // what PulumiCommand.get({ root }) runs
    expect(realpathSync(join(root, 'bin', 'pulumi'))).toBe(realpathSync(cached));
  });

  it('plans only what is missing', () => {
    const cold = planInstall();
    expect(cold.every((s) => s.needed)).toBe(true);
    fakeBinary(join(tmp(), 'bin', 'etcd'), 'etcd Version: 3.6.14');
    fakeBinary(cachedToolPath('kwok'), '');
    const plan = Object.fromEntries(planInstall().map((s) => [s.id, s.needed]));
    expect(plan.etcd).toBe(false); // from PATH
    expect(plan.kwok).toBe(true); // kwokctl still missing
    expect(plan.tofu).toBe(true);
  });

  it("installs the state tests' object stores only when asked (--test-servers, or --only)", () => {
    const servers = ['fake-gcs-server', 'moto', 'azurite'];
    for (const id of servers) expect(planInstall().map((s) => s.id)).not.toContain(id);
    expect(planInstall(undefined, true).map((s) => s.id)).toEqual(expect.arrayContaining([...servers, 'tofu', 'etcd']));
    expect(planInstall(['moto']).map((s) => s.id)).toEqual(['moto']);
  });
});
