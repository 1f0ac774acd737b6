/**
 * The built toolchain runs offline: every child process gets a dead HTTP(S) proxy, so any attempt to
 * reach a registry, an update check or a plugin download fails instead of silently succeeding.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiException, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import * as pulumi from '@pulumi/pulumi';
import { LocalWorkspace, PulumiCommand } from '@pulumi/pulumi/automation/index.js';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { localDown, localUp } from '../../src/local/index.js';
import { loadCrdBundle, pulumiCommandRoot, pulumiEnv, resolveTool, tofuCliConfigFile } from '../../src/toolchain/index.js';
import { CRD_BUNDLE_NAMES } from '../../src/toolchain/versions.js';

const OFFLINE = { HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9', NO_PROXY: '127.0.0.1,localhost', GOPROXY: 'off' };
const work = mkdtempSync(join(tmpdir(), 'platform-engines-it-'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('engines and tools, offline', () => {
  it('pulumi, tofu and promtool report the pinned versions', async () => {
    const env = { ...pulumiEnv(work), ...OFFLINE };
    expect((await execa(resolveTool('pulumi'), ['version'], { env })).stdout.trim()).toBe('v3.250.0');
    expect((await execa(resolveTool('tofu'), ['version'], { env: OFFLINE })).stdout).toMatch(/^OpenTofu v1\.12\.6$/m);
    expect((await execa(resolveTool('promtool'), ['--version'], { env: OFFLINE })).stdout).toMatch(/^promtool, version 3\.15\.0 /);
  });

  it('promtool checks a rules file (what the SLO rules go through)', async () => {
    const rules = join(work, 'rules.yaml');
    writeFileSync(rules, 'groups:\n  - name: g\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n');
    const ok = await execa(resolveTool('promtool'), ['check', 'rules', rules], { env: OFFLINE });
    expect(ok.stdout).toContain('SUCCESS: 1 rules found');
    writeFileSync(rules, 'groups:\n  - name: g\n    rules:\n      - record: bad\n        expr: sum by (job (up)\n');
    const bad = await execa(resolveTool('promtool'), ['check', 'rules', rules], { env: OFFLINE, reject: false });
    expect(bad.exitCode).not.toBe(0);
  });

  it('tofu init installs the kubectl provider from the mirror alone', async () => {
    const dir = join(work, 'tofu');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'main.tf.json'),
      JSON.stringify({
        terraform: { required_providers: { kubectl: { source: 'gavinbunney/kubectl', version: '1.19.0' } } },
        provider: { kubectl: { load_config_file: false, host: 'https://127.0.0.1:1' } },
      }),
    );
    const env = { ...OFFLINE, TF_CLI_CONFIG_FILE: tofuCliConfigFile(), TF_IN_AUTOMATION: '1', TF_DATA_DIR: join(dir, '.terraform') };
    const init = await execa(resolveTool('tofu'), ['init', '-input=false', '-no-color'], { cwd: dir, env, reject: false });
    expect(init.exitCode, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/Installed gavinbunney\/kubectl v1\.19\.0/);
    const validate = await execa(resolveTool('tofu'), ['validate', '-no-color'], { cwd: dir, env });
    expect(validate.stdout).toContain('The configuration is valid');
  });

  it('a provider the mirror does not hold is refused, not fetched', async () => {
    const dir = join(work, 'tofu-other');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'main.tf.json'),
      JSON.stringify({ terraform: { required_providers: { kubectl: { source: 'gavinbunney/kubectl', version: '1.18.0' } } } }),
    );
    const init = await execa(resolveTool('tofu'), ['init', '-input=false', '-no-color'], {
      cwd: dir,
      env: { ...OFFLINE, TF_CLI_CONFIG_FILE: tofuCliConfigFile(), TF_IN_AUTOMATION: '1' },
      reject: false,
    });
    expect(init.exitCode).not.toBe(0);
  });

  it('pulumi previews and runs an inline Automation API program with a file:// backend', async () => {
    const dir = join(work, 'pulumi');
    mkdirSync(join(dir, 'state'), { recursive: true });
    const stack = await LocalWorkspace.createOrSelectStack(
      { projectName: 'offline', stackName: 'dev', program: () => Promise.resolve({ greeting: pulumi.output('hello').apply((s) => `${s}, offline`) }) },
      {
        pulumiCommand: await PulumiCommand.get({ root: pulumiCommandRoot() }),
        projectSettings: { name: 'offline', runtime: 'nodejs', backend: { url: `file://${join(dir, 'state')}` } },
        envVars: { ...pulumiEnv(dir), ...OFFLINE, PULUMI_CONFIG_PASSPHRASE: 'integration-test' },
      },
    );
    const preview = await stack.preview();
    expect(preview.changeSummary).toEqual({ create: 1 }); // the stack resource itself
    const up = await stack.up();
    expect(up.outputs.greeting.value).toBe('hello, offline');
  });
});

describe('CRD bundles on a local region', () => {
  const dir = mkdtempSync(join(tmpdir(), 'platform-crds-it-'));
  writeFileSync(
    join(dir, 'platform.yaml'),
    'apiVersion: platform.dev/v1\nname: crds\nregions:\n  - { name: eu, cloud: local, location: local-eu, role: primary }\n',
  );
  const { config } = loadConfig(join(dir, 'platform.yaml'));

  afterAll(async () => {
    await localDown(config, dir, { purge: true }).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  it('the API server accepts every CRD, establishes it and validates CRs against its schema', async () => {
    const status = await localUp(config, dir);
    const kc = new KubeConfig();
    kc.loadFromFile(status.kubeconfig);
    kc.setCurrentContext('eu');
    // Applied with our kubectl (server-side: the big CRDs exceed client-side apply's annotation limit).
    // client-node's typed CRD API would drop `x-kubernetes-*` schema keys, so it is not used here.
    const crds = CRD_BUNDLE_NAMES.flatMap((b) => loadCrdBundle(b));
    expect(crds.length).toBeGreaterThan(20);
    const kubectl = (args: string[], input?: string) =>
      execa(resolveTool('kubectl'), ['--kubeconfig', status.kubeconfig, '--context', 'eu', ...args], { input, env: OFFLINE, reject: false });
    const applied = await kubectl(
      ['apply', '--server-side', '--field-manager', 'platform-test', '-f', '-'],
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items: crds }),
    );
    expect(applied.exitCode, applied.stderr).toBe(0);
    const names = crds.map((c) => c.metadata.name);
    const established = await kubectl(['wait', '--for=condition=Established', '--timeout=60s', ...names.map((n) => `crd/${n}`)]);
    expect(established.exitCode, established.stderr).toBe(0);
    expect(established.stdout.trim().split('\n')).toHaveLength(names.length);
    expect(names).toEqual(expect.arrayContaining(['virtualservices.networking.istio.io', 'servicemonitors.monitoring.coreos.com', 'schedules.velero.io']));

    const custom = kc.makeApiClient(CustomObjectsApi);
    const serviceMonitor = (endpoints: unknown) => ({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'checkout' },
      spec: { selector: { matchLabels: { app: 'checkout' } }, endpoints },
    });
    const base = { group: 'monitoring.coreos.com', version: 'v1', namespace: 'default', plural: 'servicemonitors' };
    await custom.createNamespacedCustomObject({ ...base, body: serviceMonitor([{ port: 'http', interval: '30s' }]) });
    const refused = await custom
      .createNamespacedCustomObject({ ...base, body: { ...serviceMonitor('not-a-list'), metadata: { name: 'bad' } } })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiException);
    expect((refused as ApiException<unknown>).code).toBe(422);
  });
});
