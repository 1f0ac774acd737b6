/**
 * Integration-test harness for the Pulumi engine: a temp project dir with a platform.yaml, the local
 * control plane brought up by src/local (`localUp`/`localDown`), event capture, and a kube client per
 * region. Binaries come from the toolchain (PATH or cache), never from a hard-coded place.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { resolveStateLocation } from '../../../src/state/location.js';
import { loadConfig } from '../../../src/config/load.js';
import type { PlatformConfig, Region } from '../../../src/config/schema.js';
import { kubeAccess, localKubeconfigPath } from '../../../src/kube/access.js';
import { KubeClient } from '../../../src/kube/client.js';
import type { EngineEvent, RunContext } from '../../../src/engines/types.js';
import { PROJECT_LABEL } from '../../../src/stacks/types.js';
import type { KubeObject } from '../../../src/objects/model.js';

export const REPO = resolve(import.meta.dirname, '..', '..', '..');

export interface Project {
  dir: string;
  configFile: string;
  config: PlatformConfig;
  events: EngineEvent[];
  ctx(overrides?: Partial<RunContext>): RunContext;
  reload(): void;
}

/** A temp project: a copy of an example, or a minimal single-region config. */
export function createProject(options: { example?: string; name?: string; regions?: string[] } = {}): Project {
  const dir = mkdtempSync(join(tmpdir(), 'platform-pulumi-'));
  const configFile = join(dir, 'platform.yaml');
  if (options.example) {
    copyFileSync(join(REPO, options.example), configFile);
  } else {
    const regions = options.regions ?? ['eu'];
    writeFileSync(
      configFile,
      stringify({
        apiVersion: 'platform.dev/v1',
        name: options.name ?? 'pulumitest',
        engine: 'pulumi',
        regions: regions.map((name, i) => ({ name, cloud: 'local', location: `local-${name}`, role: i === 0 ? 'primary' : 'dr' })),
        ...(regions.length > 1 ? { dr: { rpoMinutes: 60, rtoMinutes: 30, backupSchedule: '*/30 * * * *', failover: 'dns' } } : {}),
        tenants: [],
        services: [],
      }),
    );
  }
  const project: Project = {
    dir,
    configFile,
    config: loadConfig(configFile).config,
    events: [],
    ctx: (overrides = {}) => ({
      projectDir: dir,
      config: project.config,
      state: resolveStateLocation(project.config.state, dir),
      onEvent: (e) => project.events.push(e),
      ...overrides,
    }),
    reload: () => {
      project.config = loadConfig(configFile).config;
    },
  };
  return project;
}

type LocalModule = {
  localUp: (config: PlatformConfig, projectDir: string) => Promise<unknown>;
  localDown: (config: PlatformConfig, projectDir: string) => Promise<unknown>;
};

// A variable specifier: src/local is another engineer's module and may not exist in every checkout.
const LOCAL_MODULE = '../../../src/local/index.js';

/**
 * Starts the local plane of the project's regions (src/local). Developer override, tests only:
 * PLATFORM_TEST_KUBECONFIG=<file> (+ PLATFORM_TEST_CONTEXT) points every region at an existing cluster.
 */
export async function planeUp(project: Project): Promise<void> {
  const external = process.env.PLATFORM_TEST_KUBECONFIG;
  if (external) {
    const kc = parse(readFileSync(external, 'utf8')) as { contexts: Array<{ name: string; context: unknown }>; 'current-context'?: string };
    const wanted = process.env.PLATFORM_TEST_CONTEXT ?? kc['current-context'];
    const source = kc.contexts.find((c) => c.name === wanted)!;
    kc.contexts = project.config.regions.map((r) => ({ name: r.name, context: source.context }));
    mkdirSync(join(project.dir, '.platform', 'local'), { recursive: true });
    writeFileSync(localKubeconfigPath(project.dir), stringify(kc));
    return;
  }
  const local = (await import(/* @vite-ignore */ LOCAL_MODULE)) as LocalModule;
  await local.localUp(project.config, project.dir);
}

export async function planeDown(project: Project): Promise<void> {
  try {
    if (!process.env.PLATFORM_TEST_KUBECONFIG) {
      const local = (await import(/* @vite-ignore */ LOCAL_MODULE)) as LocalModule;
      await local.localDown(project.config, project.dir);
    }
  } finally {
    rmSync(project.dir, { recursive: true, force: true });
  }
}

export async function clientFor(project: Project, region: Region): Promise<KubeClient> {
  return KubeClient.connect(kubeAccess(project.config, region, project.dir));
}

/** Every object of the given kinds carrying our project label, in any namespace. */
export async function labelledObjects(client: KubeClient, project: string, kinds: Array<[string, string]>): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const [apiVersion, kind] of kinds) {
    if (!(await client.resourceFor(apiVersion, kind))) continue;
    out.push(...(await client.list(apiVersion, kind, undefined, `${PROJECT_LABEL}=${project}`)));
  }
  return out;
}

export const COMMON_KINDS: Array<[string, string]> = [
  ['v1', 'Namespace'],
  ['v1', 'ConfigMap'],
  ['v1', 'Secret'],
  ['v1', 'Service'],
  ['v1', 'ServiceAccount'],
  ['v1', 'ResourceQuota'],
  ['v1', 'LimitRange'],
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'StatefulSet'],
  ['apps/v1', 'DaemonSet'],
  ['autoscaling/v2', 'HorizontalPodAutoscaler'],
  ['policy/v1', 'PodDisruptionBudget'],
  ['networking.k8s.io/v1', 'NetworkPolicy'],
  ['rbac.authorization.k8s.io/v1', 'Role'],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'],
  ['apiextensions.k8s.io/v1', 'CustomResourceDefinition'],
  ['networking.istio.io/v1', 'VirtualService'],
  ['networking.istio.io/v1', 'DestinationRule'],
  ['networking.istio.io/v1', 'Gateway'],
  ['security.istio.io/v1', 'PeerAuthentication'],
  ['security.istio.io/v1', 'AuthorizationPolicy'],
  ['monitoring.coreos.com/v1', 'ServiceMonitor'],
  ['monitoring.coreos.com/v1', 'PrometheusRule'],
  ['monitoring.coreos.com/v1', 'Prometheus'],
  ['monitoring.coreos.com/v1', 'Alertmanager'],
  ['velero.io/v1', 'Schedule'],
  ['velero.io/v1', 'BackupStorageLocation'],
];

/** All files under a directory, concatenated (to search state and logs for secrets). */
export function readTree(dir: string, skip: string[] = []): string {
  let text = '';
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (skip.includes(p)) continue;
      if (statSync(p).isDirectory()) walk(p);
      else text += readFileSync(p, 'latin1');
    }
  };
  if (existsSync(dir)) walk(dir);
  return text;
}
