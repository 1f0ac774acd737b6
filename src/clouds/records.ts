/**
 * A cluster stack's cloud resources as engine-neutral data (see ./resources.ts): the record shape, the
 * providers and outputs of a build, and the builder the per-cloud `<cloud>/resources.ts` fill.
 */
import { Bug } from '../errors.js';
import type { SourcePath } from '../objects/model.js';
import type { CloudName } from './common.js';

export interface CloudResource {
  kind: string;
  pulumiType: string;
  name: string;
  values: Record<string, unknown>;
  /** Records that must exist first although no value refers to them (logical names). */
  dependsOn?: string[];
  /** The config entry it comes from (its intent's). */
  source?: SourcePath;
}

/** A provider the stack configures: the cloud, its region, the tags every resource carries. */
export interface CloudProvider {
  cloud: CloudName;
  region?: string;
  tags?: Record<string, string>;
}

/** A stack output (Pulumi: this name; Terraform: the name in snake_case). */
export interface CloudOutput {
  name: string;
  value: string;
  description: string;
  sensitive?: boolean;
}

/** How a new cluster is reached (Terraform points the stack's own kubectl provider at it). */
export interface ClusterAccess {
  host: string;
  /** References to base64-encoded PEM. */
  caCertificate: string;
  /** `args`: the list, or a reference to one. */
  exec?: { apiVersion: string; command: string; args: string[] | string };
  clientCertificate?: string;
  clientKey?: string;
}

export interface CloudBuild {
  providers: CloudProvider[];
  resources: CloudResource[];
  outputs: CloudOutput[];
  clusterAccess?: ClusterAccess;
}

/** `${kind.name.attribute}`: a reference to another record's attribute, as Terraform writes it. */
export const ref = (kind: string, name: string, attribute: string): string => `\${${kind}.${name}.${attribute}}`;

/** A record being built: its references. */
export interface Handle {
  kind: string;
  name: string;
  /** `${kind.name.id}` */
  id: string;
  attr(attribute: string): string;
}

/** Collects a stack's records; `add` returns the handle other records refer to it by. */
export class CloudBuilder {
  readonly build: CloudBuild = { providers: [], resources: [], outputs: [] };

  constructor(private readonly source?: SourcePath) {}

  add(kind: string, pulumiType: string, name: string, values: Record<string, unknown>, opts: { dependsOn?: Handle[]; source?: SourcePath } = {}): Handle {
    // One namespace for every record: CDKTF construct ids are unique per stack whatever their type.
    if (this.build.resources.some((r) => r.name === name)) throw new Bug(`two cloud records named ${name} (${kind})`);
    this.build.resources.push({
      kind,
      pulumiType,
      name,
      values: withoutUndefined(values),
      ...(opts.dependsOn?.length ? { dependsOn: opts.dependsOn.map((d) => d.name) } : {}),
      ...((opts.source ?? this.source) ? { source: opts.source ?? this.source } : {}),
    });
    return handle(kind, name);
  }

  provider(p: CloudProvider): void {
    this.build.providers.push(p);
  }

  output(o: CloudOutput): void {
    this.build.outputs.push(o);
  }
}

export const handle = (kind: string, name: string): Handle => ({ kind, name, id: ref(kind, name, 'id'), attr: (a) => ref(kind, name, a) });

/** Records hold plain JSON: an argument left undefined is not set at all. */
function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutUndefined) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, withoutUndefined(v)]),
    ) as T;
  return value;
}
