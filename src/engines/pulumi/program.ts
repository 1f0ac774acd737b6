/**
 * The inline Pulumi program of one stack: one `platform` provider for the stack's region and one
 * `platform:kubernetes:Object` per desired object (the stack's CRDs first). The engine runs it through
 * the Automation API; `synthPulumi` runs the very same function under runtime mocks.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import * as pulumi from '@pulumi/pulumi';
import { registerPulumiCloud, type PulumiCloudResult } from '../../clouds/index.js';
import type { KubeAccess } from '../../kube/access.js';
import type { DesiredObject, KubeObject, StackInstance } from '../../stacks/types.js';
import { OBJECT_TYPE } from './provider/object.js';

export const PROVIDER_PACKAGE = 'platform';

/**
 * The Node SDK logs every RegisterResource response at debug level through the engine — resolved
 * secret values in clear included — and each such log is one more RPC. Our programs send no debug
 * logs at all: this closes the leak into pulumi's event log and saves thousands of RPCs per run.
 */
const sdkLog = createRequire(import.meta.url)('@pulumi/pulumi/log/index.js') as { debug: (...args: unknown[]) => Promise<void> };
sdkLog.debug = () => Promise.resolve();

class PlatformProvider extends pulumi.ProviderResource {
  constructor(name: string, args: { kubeconfig: string; context: string; force: string; awaitReady: string; blobDir: string }, opts?: pulumi.ResourceOptions) {
    super(PROVIDER_PACKAGE, name, args, opts);
  }
}

class KubernetesObject extends pulumi.CustomResource {
  constructor(name: string, args: { manifest: KubeObject; manifestDigest?: string; secretData?: pulumi.Input<Record<string, string>> }, opts?: pulumi.CustomResourceOptions) {
    // live/resourceVersion are outputs only.
    super(OBJECT_TYPE, name, { ...args, live: undefined, resourceVersion: undefined }, opts);
  }
}

/** Stable, unique logical name: `Kind[.group]:namespace/name` (cluster-scoped: `Kind[.group]:name`). */
export function logicalName(o: KubeObject): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  const kind = group ? `${o.kind}.${group}` : o.kind;
  return `${kind}:${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}

/** `<apiVersion>:<kind>` and `namespace/name`: how results name a Kubernetes object (both engines). */
export const resultType = (o: KubeObject): string => `${o.apiVersion}:${o.kind}`;
export const resultName = (o: KubeObject): string => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name);

export interface ProgramInputs {
  stack: StackInstance;
  access: KubeAccess;
  /** CRD manifests the stack installs ahead of its own objects. */
  crds: KubeObject[];
  force: boolean;
  /** Secret data of an object with secretEnv (clear values; wrapped in pulumi.secret here). */
  secretsFor: (object: DesiredObject) => Record<string, string>;
  /**
   * Where big manifests (CRDs, up to MBs each) are stored by digest for the provider to read, and
   * how: they then cross RPCs and state as a stub + sha256. Without a store (synth) only the digest.
   */
  blobs?: { dir: string; store: (digest: string, manifest: KubeObject) => void };
}

/** CRDs are passed by digest: their schemas make every RPC, event and state write slow. */
const passByDigest = (m: KubeObject): boolean => m.kind === 'CustomResourceDefinition';

export const manifestDigest = (m: KubeObject): string => createHash('sha256').update(JSON.stringify(m)).digest('hex');

/** What stays in inputs/state of a manifest passed by digest: its identity and labels. */
const stubOf = (m: KubeObject): KubeObject => ({
  apiVersion: m.apiVersion,
  kind: m.kind,
  metadata: { name: m.metadata.name, ...(m.metadata.namespace ? { namespace: m.metadata.namespace } : {}), ...(m.metadata.labels ? { labels: m.metadata.labels } : {}) },
  ...(m.kind === 'CustomResourceDefinition' ? { spec: { group: (m.spec as { group?: string }).group, names: (m.spec as { names?: unknown }).names } } : {}),
});

export interface ProgramResources {
  provider: pulumi.ProviderResource;
  providerName: string;
  objects: pulumi.CustomResource[];
  /** Logical names of `objects`, in registration order. */
  names: string[];
  /** A cluster stack's cloud resources and outputs (src/clouds; empty for local regions). */
  cloud: PulumiCloudResult;
}

/** Registers the stack's resources; returns them (synth awaits their registration). */
export function registerStack(inputs: ProgramInputs): ProgramResources {
  const { stack, access, crds, force } = inputs;
  const providerName = `region-${stack.region.name}`;
  const provider = new PlatformProvider(providerName, {
    kubeconfig: access.kubeconfig,
    context: access.context,
    force: String(force),
    awaitReady: 'true',
    blobDir: inputs.blobs?.dir ?? '',
  });

  const desired: DesiredObject[] = [...crds.map((manifest) => ({ manifest })), ...stack.objects];
  // CRs wait for their CRD and namespaced objects for their Namespace when the same stack creates them
  // (and are deleted before them on destroy).
  const crdByKind = new Map<string, pulumi.Resource>();
  const namespaceByName = new Map<string, pulumi.Resource>();
  const seen = new Set<string>();
  const objects: pulumi.CustomResource[] = [];
  const names: string[] = [];
  for (const object of desired) {
    const m = object.manifest;
    const name = logicalName(m);
    if (seen.has(name)) continue; // one CRD may come from several bundles
    seen.add(name);
    const group = m.apiVersion.includes('/') ? m.apiVersion.split('/')[0] : '';
    const dependsOn: pulumi.Resource[] = [];
    const crd = crdByKind.get(`${group}/${m.kind}`);
    if (crd) dependsOn.push(crd);
    const ns = m.metadata.namespace ? namespaceByName.get(m.metadata.namespace) : undefined;
    if (ns) dependsOn.push(ns);
    let args: { manifest: KubeObject; manifestDigest?: string; secretData?: pulumi.Output<Record<string, string>> };
    if (object.secretEnv) args = { manifest: m, secretData: pulumi.secret(inputs.secretsFor(object)) };
    else if (passByDigest(m)) {
      const digest = manifestDigest(m);
      inputs.blobs?.store(digest, m);
      args = { manifest: stubOf(m), manifestDigest: digest };
    } else args = { manifest: m };
    const resource = new KubernetesObject(name, args, { provider, dependsOn });
    objects.push(resource);
    names.push(name);
    if (m.kind === 'CustomResourceDefinition') {
      const spec = m.spec as { group?: string; names?: { kind?: string } } | undefined;
      if (spec?.group && spec.names?.kind) crdByKind.set(`${spec.group}/${spec.names.kind}`, resource);
    }
    if (m.kind === 'Namespace' && m.apiVersion === 'v1') namespaceByName.set(m.metadata.name, resource);
  }
  return { provider, providerName, objects, names, cloud: registerPulumiCloud(stack) };
}

/** The inline program the Automation API runs. */
export const stackProgram = (inputs: ProgramInputs) => async (): Promise<Record<string, unknown>> => {
  const { objects, cloud } = registerStack(inputs);
  // Cloud outputs (e.g. `kubeconfig`, a secret where it holds credentials) become stack outputs.
  return { objectCount: objects.length, ...cloud.outputs };
};
