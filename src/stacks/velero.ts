import type { KubeObject } from '../objects/model.js';
/**
 * Velero objects (apiVersion velero.io/v1). There is no kubernetes-models package for Velero's CRDs,
 * so the two kinds we create are typed here with small local interfaces covering only the fields we
 * set (from Velero's v1 API: pkg/apis/velero/v1). The API server validates them against the real CRD
 * schema on apply (local regions install the Velero CRD bundle).
 */

export const VELERO_API_VERSION = 'velero.io/v1';

interface VeleroMeta {
  name: string;
  namespace: string;
  labels?: Record<string, string>;
  [key: string]: unknown;
}

export interface BackupStorageLocation extends KubeObject {
  apiVersion: typeof VELERO_API_VERSION;
  kind: 'BackupStorageLocation';
  metadata: VeleroMeta;
  spec: {
    provider: string;
    objectStorage: { bucket: string; prefix?: string };
    config?: Record<string, string>;
    default?: boolean;
    accessMode?: 'ReadWrite' | 'ReadOnly';
  };
}

export interface Schedule extends KubeObject {
  apiVersion: typeof VELERO_API_VERSION;
  kind: 'Schedule';
  metadata: VeleroMeta;
  spec: {
    /** Cron, 5 fields. */
    schedule: string;
    useOwnerReferencesInBackup?: boolean;
    template: {
      includedNamespaces: string[];
      storageLocation: string;
      /** Go duration, e.g. "168h0m0s". */
      ttl: string;
      snapshotVolumes?: boolean;
      defaultVolumesToFsBackup?: boolean;
    };
  };
}

export function backupStorageLocation(metadata: VeleroMeta, spec: BackupStorageLocation['spec']): BackupStorageLocation {
  return { apiVersion: VELERO_API_VERSION, kind: 'BackupStorageLocation', metadata, spec };
}

export function schedule(metadata: VeleroMeta, spec: Schedule['spec']): Schedule {
  return { apiVersion: VELERO_API_VERSION, kind: 'Schedule', metadata, spec };
}

/** Minutes as a Go duration string, the format Velero prints back (so drift sees no change). */
export function goDuration(minutes: number): string {
  return `${Math.floor(minutes / 60)}h${minutes % 60}m0s`;
}
