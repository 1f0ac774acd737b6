/**
 * The inline Pulumi program of one stack: one `platform` provider for the stack's region and one
 * `platform:kubernetes:Object` per desired object (the stack's CRDs first). The engine runs it through
 * the Automation API; synth lists what it registers (registrations.ts), under runtime mocks where the
 * stack has cloud resources or reads its cluster's kubeconfig.
 */
import { createRequire } from 'node:module';
import * as pulumi from '@pulumi/pulumi';
import { registerPulumiCloud, type PulumiCloudResult } from '../../clouds/index.js';
import { Bug } from '../../errors.js';
import type { ClusterOutputAccess, RegionAccess } from '../../kube/access.js';
import type { StackInstance } from '../../stacks/types.js';
import { manifestDigest } from '../../objects/digest.js';
import { isCrd } from '../../objects/identity.js';
import type { DesiredObject, KubeObject } from '../../objects/model.js';
import { PROVIDER_PACKAGE, programObjects, providerNameOf } from './registrations.js';
import { OBJECT_TYPE, pulumiStackName } from './state.js';

/**
 * The Node SDK logs every RegisterResource response at debug level through the engine — resolved
 * secret values in clear included — and each such log is one more RPC. Our programs send no debug
 * logs at all: this closes the leak into pulumi's event log and saves thousands of RPCs per run.
 */
const sdkLog = createRequire(import.meta.url)('@pulumi/pulumi/log/index.js') as { debug: (...args: unknown[]) => Promise<void> };
sdkLog.debug = () => Promise.resolve();

/** The provider's configuration: a kubeconfig file, or kubeconfig data (a secret output), and the context. */
export interface PlatformProviderArgs {
  kubeconfig?: string;
  kubeconfigData?: pulumi.Input<string>;
  context: string;
  force: string;
  awaitReady: string;
  blobDir: string;
}

class PlatformProvider extends pulumi.ProviderResource {
  constructor(name: string, args: PlatformProviderArgs, opts?: pulumi.ResourceOptions) {
    super(PROVIDER_PACKAGE, name, args, opts);
  }
}

/** The DIY backend's fully qualified name of another stack of the same project. */
export const stackReferenceName = (project: string, stackId: string): string => `organization/${project}/${pulumiStackName(stackId)}`;

/**
 * A value no one knows yet, as a secret: what a preview feeds the provider when the cluster stack has
 * not been applied (Pulumi then neither configures the provider nor checks the objects: they plan as
 * creates, like any resource whose provider waits on another's outputs).
 */
const unknownSecret = (): pulumi.Output<string> => pulumi.secret(pulumi.output(pulumi.unknown as unknown as string));

class KubernetesObject extends pulumi.CustomResource {
  constructor(
    name: string,
    args: { manifest: KubeObject; manifestDigest?: string; secretData?: pulumi.Input<Record<string, string>> },
    opts?: pulumi.CustomResourceOptions,
  ) {
    // live/resourceVersion are outputs only.
    super(OBJECT_TYPE, name, { ...args, live: undefined, resourceVersion: undefined }, opts);
  }
}

export interface ProgramInputs {
  stack: StackInstance;
  /** How the region is reached (src/kube/access.ts). */
  access: RegionAccess;
  /**
   * A cloud region whose cluster stack has no `kubeconfig` output yet (a plan on a fresh estate): the
   * provider's kubeconfig is unknown, so the preview shows every object as to be created.
   */
  clusterPending?: boolean;
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
const passByDigest = isCrd;

/** What stays in inputs/state of a manifest passed by digest: its identity and labels. */
const stubOf = (m: KubeObject): KubeObject => ({
  apiVersion: m.apiVersion,
  kind: m.kind,
  metadata: {
    name: m.metadata.name,
    ...(m.metadata.namespace ? { namespace: m.metadata.namespace } : {}),
    ...(m.metadata.labels ? { labels: m.metadata.labels } : {}),
  },
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
  /** A cloud region's cluster kubeconfig as the provider gets it (a secret); undefined for a kubeconfig file. */
  kubeconfigData?: pulumi.Output<string>;
}

/** Registers the stack's resources; returns them (synth awaits their registration). */
export function registerStack(inputs: ProgramInputs): ProgramResources {
  const { stack, access, crds, force } = inputs;
  // A cluster stack's cloud resources first: on a cloud region its own objects use the new cluster.
  const cloud = registerPulumiCloud(stack);
  const providerName = providerNameOf(stack);
  const kubeconfigData = access.via === 'cluster-output' ? clusterKubeconfig(stack, access, cloud, inputs.clusterPending === true) : undefined;
  const provider = new PlatformProvider(providerName, {
    ...(access.via === 'kubeconfig' ? { kubeconfig: access.access.kubeconfig, context: access.access.context } : { kubeconfigData, context: access.context }),
    force: String(force),
    awaitReady: 'true',
    blobDir: inputs.blobs?.dir ?? '',
  });

  // CRs wait for their CRD and namespaced objects for their Namespace when the same stack creates them
  // (and are deleted before them on destroy).
  const registered = new Map<string, pulumi.CustomResource>();
  const objects: pulumi.CustomResource[] = [];
  const names: string[] = [];
  for (const { object, name, dependsOn } of programObjects(stack, crds)) {
    const m = object.manifest;
    let args: { manifest: KubeObject; manifestDigest?: string; secretData?: pulumi.Output<Record<string, string>> };
    if (object.secretEnv) args = { manifest: m, secretData: pulumi.secret(inputs.secretsFor(object)) };
    else if (passByDigest(m)) {
      const digest = manifestDigest(m);
      inputs.blobs?.store(digest, m);
      args = { manifest: stubOf(m), manifestDigest: digest };
    } else args = { manifest: m };
    const resource = new KubernetesObject(name, args, { provider, dependsOn: dependsOn.map((d) => registered.get(d)!) });
    registered.set(name, resource);
    objects.push(resource);
    names.push(name);
  }
  return { provider, providerName, objects, names, cloud, kubeconfigData };
}

/**
 * The kubeconfig of a cloud region's cluster, always a secret: the cluster stack's own output (its
 * own objects are applied right after the cluster), else the cluster stack's output through a
 * StackReference — or unknown while that stack has not been applied (a plan on a fresh estate).
 */
function clusterKubeconfig(stack: StackInstance, access: ClusterOutputAccess, cloud: PulumiCloudResult, pending: boolean): pulumi.Output<string> {
  if (stack.id === access.clusterStack) {
    const own = cloud.outputs[access.output] as pulumi.Output<unknown> | undefined;
    if (!own) throw new Bug(`${stack.id} registers no ${access.output} output for its own objects`);
    return pulumi.secret(own) as pulumi.Output<string>;
  }
  if (pending) return unknownSecret();
  const cluster = new pulumi.StackReference(pulumiStackName(access.clusterStack), { name: stackReferenceName(stack.project, access.clusterStack) });
  return pulumi.secret(cluster.requireOutput(access.output)) as pulumi.Output<string>;
}

/** The inline program the Automation API runs. */
export const stackProgram = (inputs: ProgramInputs) => (): Promise<Record<string, unknown>> => {
  const { objects, cloud } = registerStack(inputs);
  // Cloud outputs (e.g. `kubeconfig`, a secret where it holds credentials) become stack outputs.
  return Promise.resolve({ objectCount: objects.length, ...cloud.outputs });
};
