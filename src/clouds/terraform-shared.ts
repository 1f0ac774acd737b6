/**
 * Terraform-engine pieces every cloud renderer uses, and where a record's CDKTF binding comes from.
 * Loaded only when a stack is on a cloud (src/clouds/index.ts `loadClouds` and the cloud modules).
 */
import { TerraformOutput, TerraformStack, type TerraformElement, type TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';
import { Bug } from '../errors.js';
import { TERRAFORM_PROVIDERS } from './common.js';
import type { CloudBuild, CloudResource, ClusterAccess } from './records.js';

/**
 * `required_providers` with the registry source and the exact version the bindings were generated for
 * (CDKTF would write `source: "aws", version: "~> 6.0"`): the offline mirror holds exactly one version.
 */
export function pinProvider(scope: Construct, p: { name: string; source: string; version: string }): void {
  TerraformStack.of(scope).addOverride(`terraform.required_providers.${p.name}`, { source: p.source, version: p.version });
}

/** A CDKTF binding class (resource or data source): `tfResourceType` is the Terraform type. */
export interface TerraformClass {
  readonly tfResourceType: string;
  new (scope: Construct, id: string, config: never): TerraformElement;
}

/** The binding classes loaded so far, by record kind (`aws_vpc`, `data.aws_route53_zone`). */
const classes = new Map<string, TerraformClass>();

/**
 * Where a record kind's binding lives: the provider package by the type's prefix, the module by the
 * type's name (`aws_s3_bucket` → `@cdktf/provider-aws/lib/s3-bucket/index.js`; a data source keeps its
 * `data-` prefix: `data.aws_route53_zone` → `lib/data-aws-route53-zone/index.js`). Deep imports: a
 * package index loads every resource of the provider (~10 s for AWS).
 */
export function terraformModule(kind: string): { specifier: string; tfResourceType: string } {
  const data = kind.startsWith('data.');
  const tfResourceType = data ? kind.slice('data.'.length) : kind;
  const provider = tfResourceType.split('_')[0];
  if (!Object.values(TERRAFORM_PROVIDERS).some((p) => p.name === provider)) throw new Bug(`record kind ${kind}: no CDKTF provider package for "${provider}"`);
  const module = (data ? `data_${tfResourceType}` : tfResourceType.slice(provider.length + 1)).replaceAll('_', '-');
  return { specifier: `@cdktf/provider-${provider}/lib/${module}/index.js`, tfResourceType };
}

/**
 * Import the binding classes of `kinds` (once each): the module's export whose `tfResourceType` is the
 * kind's type (some carry a suffix, `S3BucketVersioningA`). src/clouds/index.ts `loadClouds` calls it
 * with every kind the stacks' records use, so that rendering stays synchronous.
 */
export async function loadTerraformClasses(kinds: Iterable<string>): Promise<void> {
  const missing = [...new Set(kinds)].filter((k) => !classes.has(k));
  await Promise.all(missing.map(async (kind) => classes.set(kind, await importTerraformClass(kind))));
}

/** The binding class of a record (loaded by `loadTerraformClasses`; a Bug naming the kind when it was not). */
export function terraformClass(r: Pick<CloudResource, 'kind' | 'name'>): TerraformClass {
  return classes.get(r.kind) ?? fail(`the CDKTF binding for ${r.kind} (record ${r.name}) was not loaded before rendering (call loadClouds first)`);
}

async function importTerraformClass(kind: string): Promise<TerraformClass> {
  const { specifier, tfResourceType } = terraformModule(kind);
  let exports: Record<string, unknown>;
  try {
    exports = (await import(specifier)) as Record<string, unknown>;
  } catch (e) {
    throw new Bug(`no CDKTF binding for ${kind}: ${specifier} does not load (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
  }
  const found = Object.values(exports).find((v) => typeof v === 'function' && (v as Partial<TerraformClass>).tfResourceType === tfResourceType);
  return (found as TerraformClass | undefined) ?? fail(`no CDKTF binding for ${kind}: ${specifier} exports no class with tfResourceType ${tfResourceType}`);
}

/**
 * The records of a build as CDKTF constructs: each record's class by its kind (loaded by
 * `loadTerraformClasses`), its values as they are (references are already Terraform interpolations),
 * its dependsOn as constructs; the outputs as TerraformOutputs (snake_case names).
 */
export function renderRecords(scope: Construct, build: CloudBuild): void {
  const made = new Map<string, TerraformElement>();
  for (const r of build.resources) {
    const Class = terraformClass(r);
    const dependsOn = r.dependsOn?.map((name) => made.get(name) ?? fail(`${r.name} depends on ${name}, which comes later or does not exist`));
    made.set(r.name, new Class(scope, r.name, { ...r.values, ...(dependsOn ? { dependsOn } : {}) } as never));
  }
  for (const o of build.outputs)
    new TerraformOutput(
      scope,
      o.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
      { value: o.value, description: o.description, ...(o.sensitive ? { sensitive: true } : {}) },
    );
}

const fail = (message: string): never => {
  throw new Bug(message);
};

/** `${x}` → `${base64decode(x)}`: a reference to base64 content, decoded by Terraform. */
const base64decode = (reference: string): string => reference.replace(/^\$\{(.*)\}$/, '$${base64decode($1)}');

/**
 * The stack's own kubectl provider pointed at the new cluster: a cloud cluster stack's Velero objects
 * are applied right after the cluster, without a kubeconfig file (other stacks read the `kubeconfig`
 * output, src/clouds/index.ts).
 */
export function connectKubectl(kubectl: TerraformProvider, access: ClusterAccess): void {
  kubectl.addOverride('config_path', undefined);
  kubectl.addOverride('config_context', undefined);
  kubectl.addOverride('load_config_file', false);
  const config: Record<string, unknown> = { host: access.host };
  if (access.clientCertificate) config.client_certificate = base64decode(access.clientCertificate);
  if (access.clientKey) config.client_key = base64decode(access.clientKey);
  config.cluster_ca_certificate = base64decode(access.caCertificate);
  if (access.exec) config.exec = { api_version: access.exec.apiVersion, command: access.exec.command, args: access.exec.args };
  for (const [key, value] of Object.entries(config)) kubectl.addOverride(key, value);
}
