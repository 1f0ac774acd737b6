/**
 * cluster/<region>: cloud intents for real clouds (network, Kubernetes cluster with a system and a
 * workload pool, backup bucket, Velero's identity, DNS failover records) and, in the primary region of
 * an estate with `dr:`, Velero's BackupStorageLocation and Schedule. Local regions get no cloud intents:
 * the local control plane is the cluster.
 */
import { Namespace } from 'kubernetes-models/v1/Namespace';
import type { PlatformConfig, Region } from '../config/schema.js';
import { clusterName, desired, fromEntry, tenantNamespace, VELERO_NAMESPACE } from './names.js';
import type { HardeningOptions } from './hardening.js';
import { INSTALL_IMAGES } from './images.js';
import type { CloudIntent, InstallSpec } from './types.js';
import { backupStorageLocation, goDuration, schedule } from './velero.js';
import type { DesiredObject } from '../objects/model.js';
import { sortForApply } from '../objects/order.js';

/** The Kubernetes minor version clusters are created with (the local control plane runs 1.34 too). */
export const KUBERNETES_VERSION = '1.34';
export const VELERO_SERVICE_ACCOUNT = 'velero';
export const BACKUP_LOCATION = 'default';
export const BACKUP_SCHEDULE = 'tenants';
/** Backups are kept at least this long, and always at least 2× the RPO. */
export const MIN_BACKUP_TTL_MINUTES = 7 * 24 * 60;
/** The gateway health endpoint Istio's ingress gateway serves (status port 15021). */
export const GATEWAY_HEALTH_PATH = '/healthz/ready';

type CloudRegion = Region & { cloud: Exclude<Region['cloud'], 'local'> };

const MACHINES: Record<CloudRegion['cloud'], { system: string; workload: string }> = {
  aws: { system: 'm6i.large', workload: 'm6i.xlarge' },
  gcp: { system: 'e2-standard-2', workload: 'e2-standard-4' },
  azure: { system: 'Standard_D2s_v5', workload: 'Standard_D4s_v5' },
};

export const backupBucketName = (c: PlatformConfig, r: Region): string => `${c.name}-${r.name}-backups`;

/**
 * A /16 per region, from a hash of the region name rather than its position in the list: reordering
 * regions in platform.yaml must not move (and so replace) a network.
 */
export function regionCidr(region: string): string {
  let h = 2166136261;
  for (const ch of region) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return `10.${h % 256}.0.0/16`;
}

export function buildCluster(c: PlatformConfig, r: Region): { objects: DesiredObject[]; cloud: CloudIntent[]; installs: InstallSpec[] } {
  return { objects: sortForApply(veleroObjects(c, r)), cloud: cloudIntents(c, r), installs: veleroInstalls(c, r) };
}

/** The node agent reads other pods' volumes from the node (hostPath, root): the one container allowed root. */
export const VELERO_HARDENING: HardeningOptions = {
  apiAccess: true,
  resources: { requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '1Gi' }, limits: { cpu: '1', memory: '512Mi', 'ephemeral-storage': '1Gi' } },
  rootContainers: ['node-agent'],
};

const veleroResources = (cpu: string, memory: string): { requests: Record<string, string>; limits: Record<string, string> } => ({
  requests: { cpu, memory },
  limits: { cpu: '1', memory: '1Gi' },
});

/**
 * Velero's server and node agent (file-system backups with kopia) in every region of an estate with
 * `dr:` — the primary backs up, the DR regions restore — from Velero's own install code.
 */
function veleroInstalls(c: PlatformConfig, r: Region): InstallSpec[] {
  if (!c.dr) return [];
  const provider = r.cloud === 'local' ? 'aws' : r.cloud;
  return [
    {
      kind: 'velero',
      options: {
        namespace: VELERO_NAMESPACE,
        image: INSTALL_IMAGES.velero,
        provider,
        plugins: [INSTALL_IMAGES.veleroPlugins[provider]],
        useNodeAgent: true,
        veleroPodResources: veleroResources('500m', '128Mi'),
        nodeAgentPodResources: veleroResources('500m', '512Mi'),
        uploaderType: 'kopia',
      },
      hardening: VELERO_HARDENING,
      configSource: ['dr'],
    },
  ];
}

function cloudIntents(c: PlatformConfig, r: Region): CloudIntent[] {
  if (r.cloud === 'local') return [];
  const name = clusterName(c, r);
  const machines = MACHINES[r.cloud];
  const region = c.regions.indexOf(r);
  const intents: CloudIntent[] = [
    { kind: 'network', name, cidr: regionCidr(r.name), zones: 3 },
    {
      kind: 'cluster',
      name,
      version: KUBERNETES_VERSION,
      pools: [
        { name: 'system', role: 'system', min: 2, max: 3, machine: machines.system },
        { name: 'workload', role: 'workload', min: 3, max: 20, machine: machines.workload },
      ],
      publicAccessCidrs: [...(r.cluster?.publicAccessCidrs ?? [])],
      source: ['regions', region, 'cluster', 'publicAccessCidrs'],
    },
  ];

  if (c.dr) {
    const bucket = backupBucketName(c, r);
    // The primary's backups are replicated to the (first) DR region's bucket, so a restore there does
    // not depend on the primary region being reachable.
    const drRegion =
      r.role === 'primary' ? c.regions.find((x): x is Region & { cloud: CloudRegion['cloud'] } => x.role === 'dr' && x.cloud !== 'local') : undefined;
    intents.push({
      kind: 'backupBucket',
      name: bucket,
      versioning: true,
      encryption: true,
      ...(drRegion
        ? { replicateTo: { region: drRegion.name, location: drRegion.location, cloud: drRegion.cloud, bucket: backupBucketName(c, drRegion) } }
        : {}),
      source: ['dr'],
    });
    intents.push({
      kind: 'backupIdentity',
      name: `${name}-velero`,
      bucket,
      namespace: VELERO_NAMESPACE,
      serviceAccount: VELERO_SERVICE_ACCOUNT,
      source: ['dr'],
    });

    if (c.dr.failover === 'dns') {
      (c.mesh?.istio?.enabled ? (c.mesh.istio.gateway?.hosts ?? []) : []).forEach((host, i) => {
        intents.push({
          kind: 'dnsFailover',
          host,
          role: r.role === 'primary' ? 'primary' : 'secondary',
          healthCheckPath: GATEWAY_HEALTH_PATH,
          source: ['mesh', 'istio', 'gateway', 'hosts', i],
        });
      });
    }
  }
  return intents;
}

function veleroObjects(c: PlatformConfig, r: Region): DesiredObject[] {
  if (!c.dr) return [];
  // Velero runs in every region of a DR estate; the primary owns the backup location and schedule.
  if (r.role !== 'primary') return [fromEntry(['dr'], desired(new Namespace({ metadata: { name: VELERO_NAMESPACE } })))];
  return backupObjects(c, c.dr, r).map((o) => fromEntry(['dr'], o));
}

function backupObjects(c: PlatformConfig, dr: NonNullable<PlatformConfig['dr']>, r: Region): DesiredObject[] {
  const provider = r.cloud === 'local' ? 'aws' : r.cloud;
  // Local regions have no object store of their own: the location points at an S3-compatible endpoint
  // in the cluster (e.g. MinIO), which is what Velero's own quick-start uses.
  const config: Record<string, string> | undefined =
    r.cloud === 'local'
      ? { region: 'minio', s3ForcePathStyle: 'true', s3Url: 'http://minio.velero.svc:9000' }
      : r.cloud === 'aws'
        ? { region: r.location }
        : undefined;
  const ttlMinutes = Math.max(2 * dr.rpoMinutes, MIN_BACKUP_TTL_MINUTES);
  return [
    desired(new Namespace({ metadata: { name: VELERO_NAMESPACE } })),
    {
      manifest: backupStorageLocation(
        { name: BACKUP_LOCATION, namespace: VELERO_NAMESPACE },
        { provider, objectStorage: { bucket: backupBucketName(c, r), prefix: r.name }, ...(config ? { config } : {}), default: true, accessMode: 'ReadWrite' },
      ),
    },
    {
      manifest: schedule(
        { name: BACKUP_SCHEDULE, namespace: VELERO_NAMESPACE },
        {
          schedule: dr.backupSchedule,
          useOwnerReferencesInBackup: false,
          template: {
            includedNamespaces: c.tenants.map((t) => tenantNamespace(t)).sort(),
            storageLocation: BACKUP_LOCATION,
            ttl: goDuration(ttlMinutes),
            snapshotVolumes: true,
          },
        },
      ),
    },
  ];
}
