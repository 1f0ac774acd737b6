/**
 * The `pulumi-resource-platform` provider plugin process: `@pulumi/pulumi/provider`'s gRPC server with
 * our `platform:kubernetes:Object` provider behind it. Started by pulumi through the launcher the engine
 * puts on its PATH (`node dist/engines/pulumi/provider/main.js`).
 *
 * Two RPCs of the SDK's server are replaced because it does not expose them to providers: Configure
 * (the SDK ignores provider configuration; ours is the region's kubeconfig file or data + context + force) and Diff
 * (the SDK drops detailed diffs; ours are per field, from a server-side dry-run apply).
 */
import { createRequire } from 'node:module';
import * as provider from '@pulumi/pulumi/provider/index.js';
import { KubeClient } from '../../../kube/client.js';
import { ObjectProvider, type ObjectInputs, type ObjectOutputs, type PropertyDiffKind } from './object.js';
import { OBJECT_TYPE } from '../state.js';

const require = createRequire(import.meta.url);
// The same module instances the SDK's server uses (resolved from its own location).
const sdkRequire = createRequire(require.resolve('@pulumi/pulumi/provider/server.js'));
const grpc = sdkRequire('@grpc/grpc-js') as typeof import('@grpc/grpc-js');
const provproto = sdkRequire('../proto/provider_pb.js') as typeof import('@pulumi/pulumi/proto/provider_pb.js');

export const PROVIDER_VERSION = '0.1.0';

interface ProviderConfig {
  blobDir?: string;
  kubeconfig: string;
  /** Kubeconfig content (a cloud cluster stack's secret output), held in memory only. */
  kubeconfigData?: string;
  context: string;
  force: boolean;
  awaitReady: boolean;
}

/** Pulumi's marker of a secret value in a Struct. */
const SECRET_SIG = '4dabf18193072939515e22adb298388d';

let config: ProviderConfig | undefined;
let objects: Promise<ObjectProvider> | undefined;

function objectProvider(): Promise<ObjectProvider> {
  if (!config) return Promise.reject(new Error('the platform provider was not configured (kubeconfig/context missing)'));
  const access = config.kubeconfigData
    ? { kubeconfig: 'the cluster stack output', context: config.context, kubeconfigData: config.kubeconfigData }
    : { kubeconfig: config.kubeconfig, context: config.context };
  objects ??= KubeClient.connect(access).then(
    (client) => new ObjectProvider(client, { force: config!.force, awaitReady: config!.awaitReady, blobDir: config!.blobDir }),
  );
  objects.catch(() => (objects = undefined));
  return objects;
}

const asBool = (v: unknown): boolean => v === true || v === 'true';

function readConfig(request: ConfigureRequest): ProviderConfig {
  const args = request.getArgs()?.toJavaScript() ?? {};
  const variables = Object.fromEntries(
    request
      .getVariablesMap()
      .toObject()
      .map(([k, v]) => [k.replace(/^platform:(config:)?/, ''), v]),
  );
  // A secret argument (the kubeconfig data) arrives wrapped: `{ <secret signature>: …, value }`.
  const reveal = (v: unknown): unknown => (v && typeof v === 'object' && SECRET_SIG in v ? (v as { value?: unknown }).value : v);
  const pick = (k: string): unknown => reveal(args[k]) ?? variables[k];
  const text = (k: string): string | undefined => {
    const value = pick(k);
    return typeof value === 'string' ? value : undefined;
  };
  return {
    kubeconfig: text('kubeconfig') ?? '',
    kubeconfigData: text('kubeconfigData') || undefined,
    context: text('context') ?? '',
    force: asBool(pick('force')),
    awaitReady: pick('awaitReady') === undefined ? true : asBool(pick('awaitReady')),
    blobDir: text('blobDir') || undefined,
  };
}

const DIFF_KIND = provproto.PropertyDiff.Kind;
const KIND_ENUM: Record<PropertyDiffKind, import('@pulumi/pulumi/proto/provider_pb.js').PropertyDiff.Kind> = {
  add: DIFF_KIND.ADD,
  'add-replace': DIFF_KIND.ADD_REPLACE,
  delete: DIFF_KIND.DELETE,
  'delete-replace': DIFF_KIND.DELETE_REPLACE,
  update: DIFF_KIND.UPDATE,
  'update-replace': DIFF_KIND.UPDATE_REPLACE,
};

type Callback = (err: unknown, value?: unknown) => void;
type ConfigureRequest = import('@pulumi/pulumi/proto/provider_pb.js').ConfigureRequest;
type DiffRequest = import('@pulumi/pulumi/proto/provider_pb.js').DiffRequest;
type CheckRequest = import('@pulumi/pulumi/proto/provider_pb.js').CheckRequest;

function configure(call: { request: ConfigureRequest }, callback: Callback): void {
  try {
    config = readConfig(call.request);
    objects = undefined;
    const resp = new provproto.ConfigureResponse();
    resp.setAcceptsecrets(true);
    resp.setAcceptresources(true);
    resp.setAcceptoutputs(true);
    callback(undefined, resp);
  } catch (e) {
    callback(e);
  }
}

function diff(call: { request: DiffRequest }, callback: Callback): void {
  const req = call.request;
  const olds = req.getOlds()?.toJavaScript() as unknown as ObjectOutputs;
  const news = req.getNews()?.toJavaScript() as unknown as ObjectInputs;
  objectProvider()
    .then((p) => p.diff(olds, news))
    .then((d) => {
      const resp = new provproto.DiffResponse();
      resp.setChanges(d.changes ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE);
      if (d.replace) resp.setReplacesList(['manifest']);
      resp.setDeletebeforereplace(d.deleteBeforeReplace);
      if (d.changes) resp.setDiffsList(['manifest']);
      resp.setHasdetaileddiff(true);
      const map = resp.getDetaileddiffMap();
      for (const [path, kind] of Object.entries(d.detailed)) {
        const pd = new provproto.PropertyDiff();
        pd.setKind(KIND_ENUM[kind]);
        pd.setInputdiff(true);
        map.set(path, pd);
      }
      callback(undefined, resp);
    })
    .catch((e: unknown) => callback({ code: grpc.status.UNKNOWN, details: (e as Error).message, message: (e as Error).message }));
}

function checkConfig(call: { request: CheckRequest }, callback: Callback): void {
  const resp = new provproto.CheckResponse();
  resp.setInputs(call.request.getNews());
  callback(undefined, resp);
}

function diffConfig(call: { request: DiffRequest }, callback: Callback): void {
  // A different kubeconfig path or force flag never replaces objects.
  const resp = new provproto.DiffResponse();
  const olds = call.request.getOlds()?.toJavaScript();
  const news = call.request.getNews()?.toJavaScript();
  const changed = JSON.stringify(olds) !== JSON.stringify(news);
  resp.setChanges(changed ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE);
  callback(undefined, resp);
}

// Swap our handlers into the SDK server's service implementation as it is registered.
// eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the server as `this`
const originalAddService = grpc.Server.prototype.addService;
grpc.Server.prototype.addService = function (service, implementation) {
  Object.assign(implementation, { configure, diff, checkConfig, diffConfig });
  originalAddService.call(this, service, implementation);
};

const objectTypeOnly = (urn: string): void => {
  if (!urn.includes(`::${OBJECT_TYPE}::`)) throw new Error(`unknown resource type in ${urn}`);
};

const platformProvider: provider.Provider = {
  version: PROVIDER_VERSION,
  async check(urn, _olds, news) {
    objectTypeOnly(urn);
    const inputs = news as ObjectInputs;
    const failures = (await objectProvider()).check(inputs);
    return { inputs, failures };
  },
  async create(urn, inputs) {
    objectTypeOnly(urn);
    return (await objectProvider()).create(inputs as ObjectInputs);
  },
  async update(_id, urn, _olds, news) {
    objectTypeOnly(urn);
    return { outs: await (await objectProvider()).update(news as ObjectInputs) };
  },
  async read(_id, urn, props) {
    objectTypeOnly(urn);
    const found = await (await objectProvider()).read(props as ObjectOutputs);
    // No id means "gone" to the engine.
    return found ?? { id: undefined, props: {} };
  },
  async delete(_id, urn, props) {
    objectTypeOnly(urn);
    await (await objectProvider()).delete(props as ObjectOutputs);
  },
};

// pulumi stops its plugins when it exits; killed (kill -9, out of memory) it cannot, and the SDK's server
// never checks its engine: a plugin whose parent is gone (re-parented) has no one left to serve.
const engineProcess = process.ppid;
setInterval(() => {
  if (process.ppid !== engineProcess) process.exit(0);
}, 1000).unref();

void provider.main(platformProvider, process.argv.slice(2));
