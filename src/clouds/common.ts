/**
 * Engine-neutral facts the cloud renderers share: how a cluster stack's intents are grouped, subnet
 * ranges, zone names, DNS names and the versions of the provider plugins the bindings were generated for.
 * Nothing here imports a cloud SDK (src/clouds/index.ts loads those lazily).
 */
import type { Region } from '../config/schema.js';
import { UsageError } from '../errors.js';
import type { CloudIntent, StackInstance } from '../stacks/types.js';

export type CloudName = Exclude<Region['cloud'], 'local'>;
export const CLOUD_NAMES: readonly CloudName[] = ['aws', 'gcp', 'azure'];

/**
 * The provider plugins each engine needs for a cloud, pinned to the versions the installed bindings
 * were generated for (@cdktf/provider-aws 21.22.1 → hashicorp/aws 6.25.0, …; @pulumi/aws 7.48.0 → the
 * `aws` resource plugin 7.48.0, …). Bump together with package.json.
 */
export const TERRAFORM_PROVIDERS: Record<CloudName, { name: string; source: string; version: string }> = {
  aws: { name: 'aws', source: 'hashicorp/aws', version: '6.25.0' },
  gcp: { name: 'google', source: 'hashicorp/google', version: '6.50.0' },
  azure: { name: 'azurerm', source: 'hashicorp/azurerm', version: '4.55.0' },
};
export const PULUMI_PLUGINS: Record<CloudName, { name: string; version: string }> = {
  aws: { name: 'aws', version: '7.48.0' },
  gcp: { name: 'gcp', version: '9.37.0' },
  azure: { name: 'azure-native', version: '3.28.0' },
};

/**
 * The shape of each cloud's region ids (to catch a region *name* such as `eu` given where an id is meant)
 * and the ids `platform init` proposes when a region's name gives no hint. The cloud of a location always
 * comes from config, never from its shape.
 */
export const CLOUD_LOCATIONS: Record<CloudName, { pattern: RegExp; example: string; fallback: string[] }> = {
  aws: {
    pattern: /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$/,
    example: 'eu-west-1',
    fallback: ['us-east-1', 'eu-west-1', 'us-west-2', 'eu-central-1', 'ap-southeast-1'],
  },
  gcp: { pattern: /^[a-z]+-[a-z]+\d+$/, example: 'europe-west1', fallback: ['us-central1', 'europe-west1', 'us-east1', 'europe-west4', 'asia-southeast1'] },
  azure: { pattern: /^[a-z]+[a-z0-9]*$/, example: 'westeurope', fallback: ['eastus', 'westeurope', 'westus2', 'northeurope', 'southeastasia'] },
};

/** The ids `platform init` proposes for a region whose name starts with a hint (`eu`, `eu-2`…): a row per geography, side by side per cloud. */
const LOCATIONS_BY_HINT: Record<string, Record<CloudName, string[]>> = {
  eu: { aws: ['eu-west-1', 'eu-central-1'], gcp: ['europe-west1', 'europe-west4'], azure: ['westeurope', 'northeurope'] },
  us: { aws: ['us-east-1', 'us-west-2'], gcp: ['us-central1', 'us-east1'], azure: ['eastus', 'westus2'] },
  ap: { aws: ['ap-southeast-1', 'ap-northeast-1'], gcp: ['asia-southeast1', 'asia-northeast1'], azure: ['southeastasia', 'japaneast'] },
  ca: { aws: ['ca-central-1'], gcp: ['northamerica-northeast1'], azure: ['canadacentral'] },
  sa: { aws: ['sa-east-1'], gcp: ['southamerica-east1'], azure: ['brazilsouth'] },
};
/** Other words for a hint. */
const HINT_ALIASES: Record<string, string> = { asia: 'ap' };

/** The location `platform init` proposes for each region (distinct ids; the region name as a hint). */
export function defaultLocations(cloud: CloudName, regions: string[]): string[] {
  const { fallback } = CLOUD_LOCATIONS[cloud];
  const hints = [...Object.keys(LOCATIONS_BY_HINT), ...Object.keys(HINT_ALIASES)];
  const taken = new Set<string>();
  return regions.map((name, i) => {
    const hint = hints.find((h) => name === h || name.startsWith(`${h}-`));
    const byHint = hint ? LOCATIONS_BY_HINT[HINT_ALIASES[hint] ?? hint][cloud] : [];
    const pick = [...byHint, ...fallback].find((l) => !taken.has(l)) ?? fallback[i % fallback.length];
    taken.add(pick);
    return pick;
  });
}

type Of<K extends CloudIntent['kind']> = Extract<CloudIntent, { kind: K }>;

/** A cluster stack's intents, by kind (the stack model emits at most one of each, and dnsFailover per host). */
export interface ClusterIntents {
  network?: Of<'network'>;
  cluster?: Of<'cluster'>;
  bucket?: Of<'backupBucket'>;
  identity?: Of<'backupIdentity'>;
  dns: Array<Of<'dnsFailover'>>;
}

export function groupIntents(intents: CloudIntent[]): ClusterIntents {
  const out: ClusterIntents = { dns: [] };
  for (const i of intents) {
    if (i.kind === 'network') out.network = i;
    else if (i.kind === 'cluster') out.cluster = i;
    else if (i.kind === 'backupBucket') out.bucket = i;
    else if (i.kind === 'backupIdentity') out.identity = i;
    else out.dns.push(i);
  }
  // The renderers wire the identity to the cluster's OIDC issuer and the bucket to the network's region:
  // an identity without a cluster or bucket is a stack-model bug, not something to render half of.
  if (out.identity && (!out.cluster || !out.bucket))
    throw new UsageError('a backupIdentity intent needs the cluster and backupBucket intents of the same stack');
  return out;
}

/** The stacks whose cloud resources an engine must render (cluster stacks of aws/gcp/azure regions). */
export const cloudOf = (stack: StackInstance): CloudName | undefined =>
  stack.region.cloud !== 'local' && stack.cloud.length > 0 ? stack.region.cloud : undefined;

/** `count` /20 subnets inside the region's /16 (10.N.0.0/16 → 10.N.0.0/20, 10.N.16.0/20, …). */
export function subnetCidrs(cidr: string, count: number): string[] {
  const m = /^(\d+)\.(\d+)\.0\.0\/16$/.exec(cidr);
  if (!m) throw new UsageError(`network CIDR ${cidr} is not a /16 of the form A.B.0.0/16`);
  return Array.from({ length: count }, (_, i) => `${m[1]}.${m[2]}.${i * 16}.0/20`);
}

/** A second, non-overlapping range of the same /16 for Kubernetes pods/services where a cloud needs one. */
export function secondaryCidrs(cidr: string): { pods: string; services: string } {
  const m = /^(\d+)\.(\d+)\.0\.0\/16$/.exec(cidr)!;
  return { pods: `${m[1]}.${m[2]}.128.0/17`, services: `${m[1]}.${m[2]}.96.0/20` };
}

/** AWS availability zones are the region id plus a letter. */
export const awsZones = (location: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${location}${'abcdef'[i]}`);
/** Azure availability zones are numbered. */
export const azureZones = (count: number): string[] => Array.from({ length: count }, (_, i) => String(i + 1));

/**
 * Each region's gateway is published as `<region>.<host>` (the origin: external-dns, or whoever owns the
 * gateway's load balancer, points it at the region's ingress); the failover record `<host>` answers with
 * the healthy origin.
 */
export const originHost = (region: string, host: string): string => `${region}.${host}`;
/** The DNS zone a host lives in: its parent domain (`shop.acme.example` → `acme.example`). */
export const parentDomain = (host: string): string => host.split('.').slice(1).join('.');
/** Resource-name-safe form of a host (`shop.acme.example` → `shop-acme-example`). */
export const dashed = (s: string): string => s.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase();

/** Another region's cluster name in the same estate (`acme-eu` → `acme-us`: src/stacks/cluster.ts clusterName). */
export const peerClusterName = (cluster: string, region: string, peerRegion: string): string => `${cluster.slice(0, -region.length)}${peerRegion}`;

/** Storage account names: 3–24 lower-case letters and digits, globally unique. */
export const storageAccountName = (bucket: string): string => bucket.replace(/[^a-z0-9]/g, '').slice(0, 24);

/**
 * Replication the renderers support: within a cloud natively (S3 replication, a Storage Transfer job,
 * Blob object replication) and into GCS from S3 (Storage Transfer pulls from S3). Other cross-cloud
 * pairs need a copy agent this version does not render.
 */
export function replicationKind(source: CloudName, target: CloudName): 'native' | 's3-to-gcs' {
  if (source === target) return 'native';
  if (source === 'aws' && target === 'gcp') return 's3-to-gcs';
  throw new UsageError(
    `backup replication from ${source} to ${target} is not supported yet`,
    [],
    'Put the DR region on the same cloud as the primary, or use aws → gcp (Storage Transfer Service).',
  );
}

/**
 * How often a Storage Transfer job mirrors a backup bucket into the DR bucket (GCS sources, and S3 → GCS):
 * every 15 minutes from a fixed start date (a moving date would change the job on every synth).
 */
export const TRANSFER_SCHEDULE = { scheduleStartDate: { year: 2026, month: 1, day: 1 }, repeatInterval: '900s' };

/** The output a region with DNS failover publishes: its gateway's static address (Azure, GCP; AWS answers by name). */
export const gatewayAddressOutput = (value: string) => ({ name: 'gatewayAddress', value, description: 'loadBalancerIP of the Istio ingress gateway' });

/**
 * The failover records a region renders — the primary's `dns` entries; a DR region renders none — each with
 * its host's resource-name-safe id and the platform.yaml entry its cloud records point back to.
 */
export const failoverRecords = (intents: ClusterIntents): Array<{ record: Of<'dnsFailover'>; id: string; src: Pick<CloudIntent, 'source'> }> =>
  intents.dns.filter((d) => d.role === 'primary').map((record) => ({ record, id: dashed(record.host), src: { source: record.source } }));

/** The DR region a primary fails over to (its bucket's replication target), if it is on a cloud. */
export const drPeer = (intents: ClusterIntents): { region: string; location: string; cloud: CloudName } | undefined => intents.bucket?.replicateTo;

/** Tags/labels every cloud resource carries: which stack owns it (the Kubernetes label, cloud-safe). */
export const cloudTags = (stack: StackInstance): Record<string, string> => ({ 'platform-dev-stack': stack.label.replaceAll('.', '-') });

/** The one kubeconfig shape the exec-authenticated clouds (EKS, GKE) share; the context is the cluster name. */
export function kubeconfigYaml(name: string, server: string, caBase64: string, exec: { apiVersion: string; command: string; args: string[] }): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server, 'certificate-authority-data': caBase64 } }],
    users: [{ name, user: { exec: { ...exec, interactiveMode: 'Never' } } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
  });
}
