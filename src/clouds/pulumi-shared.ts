/**
 * Pulumi-engine pieces every cloud renderer uses: where a record's Pulumi class or invoke comes from
 * (its token), and the records of a build (./resources.ts) registered as Pulumi resources, their
 * Terraform-style references resolved to the other resources' outputs. Loaded only when a stack is on a
 * cloud (src/clouds/index.ts `loadClouds` and the cloud modules).
 */
import * as pulumi from '@pulumi/pulumi';
import { Bug } from '../errors.js';
import { PULUMI_PLUGINS } from './common.js';
import type { PulumiCloudResult } from './pulumi-types.js';
import type { CloudBuild, CloudResource } from './records.js';

/** Collects what a renderer registers, so the program can await it and synth can report it. */
export class Registry {
  readonly result: PulumiCloudResult = { resources: [], outputs: {} };
  add<T extends pulumi.Resource>(resource: T): T {
    this.result.resources.push(resource);
    return resource;
  }
  output(name: string, value: pulumi.Input<unknown>, secret = false): void {
    this.result.outputs[name] = secret ? pulumi.secret(value) : pulumi.output(value);
  }
}

/** A Pulumi resource class: its token is the record's `pulumiType`. */
export interface PulumiClass {
  readonly __pulumiType: string;
  new (name: string, args: never, opts?: pulumi.CustomResourceOptions): pulumi.CustomResource;
}

/** A data source's Pulumi invoke: its arguments (resolved) → its result. */
export type Invoke = (args: Record<string, unknown>, opts: pulumi.InvokeOutputOptions) => pulumi.Output<Record<string, unknown>>;

/** The classes and invokes loaded so far, by token (a record's `pulumiType`). */
const classes = new Map<string, PulumiClass>();
const invokes = new Map<string, Invoke>();

/**
 * Where a token's class or invoke lives. The SDKs generate one module per resource and per function,
 * named after the token's module and its name with the leading word in lower case; the module `index`
 * is the package root. Per-module imports: a package index loads every service of the cloud.
 *
 *   aws:ec2/vpc:Vpc                            → @pulumi/aws/ec2/vpc.js, Vpc
 *   gcp:serviceaccount/iAMMember:IAMMember     → @pulumi/gcp/serviceaccount/iammember.js, IAMMember
 *   azure-native:network:PublicIPAddress       → @pulumi/azure-native/network/publicIPAddress.js, PublicIPAddress
 *   aws:route53/getZone:getZone (an invoke)    → @pulumi/aws/route53/getZone.js, getZoneOutput
 */
export function pulumiModule(token: string): { specifier: string; exportName: string; invoke: boolean } {
  const [pkg, module, name] = token.split(':');
  if (!name || !Object.values(PULUMI_PLUGINS).some((p) => p.name === pkg)) throw new Bug(`Pulumi token ${token}: not a resource or invoke of a cloud SDK`);
  const dir = module.split('/')[0];
  const file = name.replace(/^[A-Z0-9]+[a-z]*/, (word) => word.toLowerCase());
  const invoke = /^[a-z]/.test(name);
  return {
    specifier: `@pulumi/${pkg}/${dir === 'index' ? '' : `${dir}/`}${file === 'index' ? 'index_' : file}.js`,
    exportName: invoke ? `${name}Output` : name,
    invoke,
  };
}

/**
 * Import the classes and invokes of `tokens` (once each). src/clouds/index.ts `loadClouds` calls it with
 * every token the stacks' records use, so that registering stays synchronous.
 */
export async function loadPulumiClasses(tokens: Iterable<string>): Promise<void> {
  const missing = [...new Set(tokens)].filter((t) => !classes.has(t) && !invokes.has(t));
  await Promise.all(missing.map((token) => importPulumiExport(token)));
}

type RecordNames = Pick<CloudResource, 'kind' | 'pulumiType' | 'name'>;
const notLoaded = (r: RecordNames, what: string): never =>
  fail(`the Pulumi ${what} ${r.pulumiType} (record ${r.kind} ${r.name}) was not loaded before registering (call loadClouds first)`);

/** The resource class of a record, by its token (loaded by `loadPulumiClasses`; a Bug naming the kind when it was not). */
export const pulumiClass = (r: RecordNames): PulumiClass => classes.get(r.pulumiType) ?? notLoaded(r, 'class');
/** The invoke of a data-source record, by its token (as `pulumiClass`). */
export const pulumiInvoke = (r: RecordNames): Invoke => invokes.get(r.pulumiType) ?? notLoaded(r, 'invoke');

async function importPulumiExport(token: string): Promise<void> {
  const { specifier, exportName, invoke } = pulumiModule(token);
  let exported: unknown;
  try {
    exported = ((await import(specifier)) as Record<string, unknown>)[exportName];
  } catch (e) {
    throw new Bug(
      `no Pulumi ${invoke ? 'invoke' : 'class'} for ${token}: ${specifier} does not load (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`,
    );
  }
  if (typeof exported !== 'function') throw new Bug(`no Pulumi ${invoke ? 'invoke' : 'class'} for ${token}: ${specifier} exports no ${exportName}`);
  if (!invoke) {
    const Class = exported as PulumiClass;
    if (Class.__pulumiType !== token) throw new Bug(`${specifier} ${exportName} registers ${Class.__pulumiType}, not ${token}`);
    classes.set(token, Class);
    return;
  }
  // The SDKs' invokes take `(args, opts)`, or only `(opts)` when the function has no inputs.
  const fn = exported as (...params: unknown[]) => pulumi.Output<Record<string, unknown>>;
  if (fn.length !== 1 && fn.length !== 2) throw new Bug(`${specifier} ${exportName} takes ${fn.length} parameters, not (args, opts) or (opts)`);
  invokes.set(token, fn.length === 1 ? (_, opts) => fn(opts) : (args, opts) => fn(args, opts));
}

/** Where an attribute's Pulumi output differs from the camelCase of its Terraform path. */
export type AttributeMap = Record<string, string | ((resource: pulumi.Resource, record: CloudResource, resolve: Resolver) => pulumi.Output<unknown>)>;

export interface PulumiCloud {
  /** The provider resource for a token's package (`aws`, `gcp`, `azure-native`). */
  provider: (pulumiPackage: string) => pulumi.ProviderResource;
  /** Per kind: the record's values in the Pulumi SDK's shape (list blocks plural, ARM's names, …); references resolve afterwards. */
  args?: Partial<Record<string, (values: Record<string, unknown>, ctx: RegisterContext, record: CloudResource) => Record<string, unknown>>>;
  /** `<kind>.<terraform attribute path>` → the Pulumi path (or how to get it). */
  attributes?: Partial<AttributeMap>;
  /** Per kind: register the record yourself (a record that maps onto several resources or needs more options). */
  custom?: Partial<Record<string, (record: CloudResource, ctx: RegisterContext) => pulumi.Resource | undefined>>;
}

export type Resolver = <T>(value: T) => pulumi.Input<T>;

export interface RegisterContext {
  registry: Registry;
  resolve: Resolver;
  /**
   * Register a resource of the record's class (by its token) with `args` (references resolved), named
   * like the record unless `name` says otherwise; `dependsOn` adds to the record's own.
   */
  create: (record: CloudResource, args: Record<string, unknown>, extra?: { name?: string; dependsOn?: pulumi.Resource[] }) => pulumi.CustomResource;
  opts: (record: CloudResource) => pulumi.CustomResourceOptions;
  /** The record a reference (`${kind.name.attr}`) or a logical name points at. */
  record: (referenceOrName: string) => CloudResource;
  /** A resource registered earlier under a logical name (a record's, or one a custom mapping added). */
  lookup: (name: string) => pulumi.Resource | undefined;
  /** Remember an extra resource a custom mapping registered (for dependsOn and lookups). */
  remember: (name: string, resource: pulumi.Resource) => void;
}

const REFERENCE = /\$\{((?:data\.)?[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([^}]+)\}/g;

/** snake_case → camelCase (`default_route_table_id` → `defaultRouteTableId`). */
const camel = (s: string): string => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** `identity[0].oidc[0].issuer` → ['identity', 0, 'oidc', 0, 'issuer'] */
const pathSegments = (path: string): Array<string | number> =>
  (path.split(/\.|\[(\d+)\]/) as Array<string | undefined>)
    .filter((s): s is string => s !== undefined && s !== '')
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));

/** A referred value inside a string: scalars as they print, anything else as JSON (never `[object Object]`). */
const scalarText = (v: unknown): string =>
  v === undefined || v === null ? '' : typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);

const walk = (value: unknown, segments: Array<string | number>): unknown =>
  segments.reduce<unknown>((v, k) => (v === null || v === undefined ? undefined : (v as Record<string | number, unknown>)[k]), value);

/** Register every record of `build`, its outputs as stack outputs. */
export function registerRecords(build: CloudBuild, cloud: PulumiCloud): PulumiCloudResult {
  const reg = new Registry();
  const registered = new Map<string, pulumi.Resource>();
  const invoked = new Map<string, pulumi.Output<Record<string, unknown>>>();
  const records = new Map(build.resources.map((r) => [r.name, r]));

  const attribute = (kind: string, name: string, path: string): pulumi.Output<unknown> => {
    const data = invoked.get(name);
    if (data)
      return data.apply((d) =>
        walk(
          d,
          pathSegments(path).map((s) => (typeof s === 'string' ? camel(s) : s)),
        ),
      );
    const resource = registered.get(name) ?? fail(`\${${kind}.${name}.${path}}: ${name} is not registered before it is referred to`);
    const mapped = cloud.attributes?.[`${kind}.${path}`];
    if (typeof mapped === 'function') return mapped(resource, records.get(name)!, resolve);
    const [first, ...rest] = pathSegments(mapped ?? path).map((s) => (typeof s === 'string' ? camel(s) : s));
    const head =
      (resource as unknown as Record<string, unknown>)[first as string] ??
      fail(`${kind} ${name} has no Pulumi output ${String(first)} (\${${kind}.${name}.${path}})`);
    return pulumi.output(head).apply((v: unknown) => walk(v, rest));
  };

  /** Strings holding references become outputs (a lone reference keeps the referred value's type). */
  const resolve: Resolver = <T>(value: T): pulumi.Input<T> => {
    // Already a Pulumi value (an output a mapping computed): nothing to resolve in it.
    if (pulumi.Output.isInstance(value) || pulumi.Resource.isInstance(value)) return value;
    if (typeof value === 'string') {
      const text: string = value;
      const refs = [...text.matchAll(REFERENCE)];
      if (refs.length === 0) return value;
      const outputs = refs.map((m) => attribute(m[1], m[2], m[3]));
      if (refs.length === 1 && refs[0][0] === text) return outputs[0] as unknown as pulumi.Output<T>;
      return pulumi.all(outputs).apply((vs: unknown[]) => refs.reduce((t, m, i) => t.replace(m[0], scalarText(vs[i])), text)) as unknown as pulumi.Output<T>;
    }
    if (Array.isArray(value)) return (value as unknown[]).map((v) => resolve(v)) as pulumi.Input<T>;
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)])) as pulumi.Input<T>;
    return value;
  };

  const opts = (r: CloudResource): pulumi.CustomResourceOptions => ({
    provider: cloud.provider(r.pulumiType.split(':')[0]),
    ...(r.dependsOn
      ? {
          dependsOn: r.dependsOn.map(
            (n) => registered.get(n) ?? fail(`${r.name} depends on ${n}, which is not registered (${records.get(n)?.kind ?? 'unknown'})`),
          ),
        }
      : {}),
  });
  const record = (referenceOrName: string): CloudResource => {
    const name = [...referenceOrName.matchAll(REFERENCE)][0]?.[2] ?? referenceOrName;
    return records.get(name) ?? fail(`no cloud record ${name}`);
  };
  const create: RegisterContext['create'] = (r, args, extra = {}) => {
    const Class = pulumiClass(r);
    const options = opts(r);
    if (extra.dependsOn) options.dependsOn = [...((options.dependsOn as pulumi.Resource[] | undefined) ?? []), ...extra.dependsOn];
    return reg.add(new Class(extra.name ?? r.name, resolve(args) as never, options));
  };
  const ctx: RegisterContext = {
    registry: reg,
    resolve,
    create,
    opts,
    record,
    lookup: (name) => registered.get(name),
    remember: (name, resource) => void registered.set(name, resource),
  };

  for (const r of build.resources) {
    const custom = cloud.custom?.[r.kind];
    if (custom) {
      const made = custom(r, ctx);
      if (made) registered.set(r.name, made);
      continue;
    }
    if (r.kind.startsWith('data.')) {
      const invoke =
        invokes.get(r.pulumiType) ??
        fail(`the Pulumi invoke ${r.pulumiType} (record ${r.kind} ${r.name}) was not loaded before registering (call loadClouds first)`);
      invoked.set(r.name, invoke(resolve(r.values) as Record<string, unknown>, { provider: cloud.provider(r.pulumiType.split(':')[0]) }));
      continue;
    }
    registered.set(r.name, create(r, cloud.args?.[r.kind]?.(r.values, ctx, r) ?? r.values));
  }
  for (const o of build.outputs) reg.output(o.name, resolve(o.value), o.sensitive);
  return reg.result;
}

const fail = (message: string): never => {
  throw new Bug(message);
};

/** Pulumi's bridged providers name a list block in the plural (`taint` → `taints`): rename keys of a record's values. */
export const renameKeys =
  (renames: Record<string, string>) =>
  (values: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(Object.entries(values).map(([k, v]) => [renames[k] ?? k, v]));
