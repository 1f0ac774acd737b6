/**
 * Integration harness: a temp project with its own real local plane (kwok clusters through
 * src/local), the real tofu from the toolchain, and kubectl to look at what is live.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { platformSchema, type PlatformConfig, type PlatformInput } from '../../../src/config/schema.js';
import type { EngineEvent, RunContext } from '../../../src/engines/types.js';
import { resolveStateLocation } from '../../../src/state/location.js';
import { kubeAccess } from '../../../src/kube/access.js';
import { localDown, localUp } from '../../../src/local/index.js';
import { resolveTool } from '../../../src/toolchain/index.js';
import type { KubeObject } from '../../../src/objects/model.js';

export interface Harness {
  projectDir: string;
  config: PlatformConfig;
  events: EngineEvent[];
  ctx: (extra?: Partial<RunContext>) => RunContext;
  kubectl: (region: string, args: string[]) => string;
  get: (region: string, kind: string, name: string, namespace?: string) => KubeObject | undefined;
  /** Every object carrying our project label, over the kinds the tests create. */
  labelled: (region: string, project: string) => string[];
  down: () => Promise<void>;
}

export async function startHarness(input: Omit<PlatformInput, 'apiVersion'>): Promise<Harness> {
  const projectDir = mkdtempSync(join(tmpdir(), 'tf-int-'));
  const config = platformSchema.parse({ apiVersion: 'platform.dev/v1', ...input });
  await localUp(config, projectDir);
  const events: EngineEvent[] = [];
  const kubectlBin = resolveTool('kubectl');
  const kubectl = (regionName: string, args: string[]): string => {
    const region = config.regions.find((r) => r.name === regionName)!;
    const access = kubeAccess(config, region, projectDir);
    return execFileSync(kubectlBin, ['--kubeconfig', access.kubeconfig, '--context', access.context, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  };
  return {
    projectDir,
    config,
    events,
    ctx: (extra = {}) => ({ projectDir, config, state: resolveStateLocation(config.state, projectDir), onEvent: (e) => events.push(e), ...extra }),
    kubectl,
    get: (region, kind, name, namespace) => {
      try {
        return JSON.parse(kubectl(region, ['get', kind, name, ...(namespace ? ['-n', namespace] : []), '-o', 'json'])) as KubeObject;
      } catch {
        return undefined;
      }
    },
    labelled: (region, project) =>
      kubectl(region, [
        'get',
        'namespaces,configmaps,secrets,deployments,services,serviceaccounts,roles,rolebindings',
        '-A',
        '-l',
        `platform.dev/project=${project}`,
        '-o',
        'name',
      ])
        .split('\n')
        .filter(Boolean),
    down: async () => {
      try {
        await localDown(config, projectDir, { purge: true });
      } finally {
        rmSync(projectDir, { recursive: true, force: true });
      }
    },
  };
}
