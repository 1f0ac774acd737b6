/** Terraform-engine pieces every cloud renderer uses. Imported only by the lazily loaded cloud modules. */
import { TerraformOutput, TerraformStack, type TerraformElement, type TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';
import { Bug } from '../errors.js';
import type { CloudBuild, ClusterAccess } from './records.js';

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

/**
 * The records of a build as CDKTF constructs: each record's class by its kind (`data.<type>` for data
 * sources), its values as they are (references are already Terraform interpolations), its dependsOn as
 * constructs; the outputs as TerraformOutputs (snake_case names).
 */
export function renderRecords(scope: Construct, build: CloudBuild, classes: { resources: TerraformClass[]; dataSources: TerraformClass[] }): void {
  const byKind = new Map<string, TerraformClass>([
    ...classes.resources.map((c) => [c.tfResourceType, c] as const),
    ...classes.dataSources.map((c) => [`data.${c.tfResourceType}`, c] as const),
  ]);
  const made = new Map<string, TerraformElement>();
  for (const r of build.resources) {
    const Class = byKind.get(r.kind);
    if (!Class) throw new Bug(`no CDKTF binding for ${r.kind} (record ${r.name}): add it to the cloud's terraform.ts`);
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
