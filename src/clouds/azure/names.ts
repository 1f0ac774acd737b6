/** Azure names and role ids both engines use (pure; no SDK import). */
export { peerClusterName, storageAccountName } from '../common.js';

/** Every region's resources live in one resource group named after its cluster (`acme-eu`). */
export const resourceGroupName = (cluster: string): string => cluster;
/** Velero's blob container inside the backup storage account. */
export const BACKUP_CONTAINER = 'velero';
/** AKS pool names: lower-case letters and digits, at most 12 characters. */
export const poolName = (name: string): string => name.replace(/[^a-z0-9]/g, '').slice(0, 12);
/** The audience AKS workload identity tokens carry. */
export const TOKEN_AUDIENCE = 'api://AzureADTokenExchange';
export const BLOB_CONTRIBUTOR = 'Storage Blob Data Contributor';
/** Built-in role id of Storage Blob Data Contributor (the same in every tenant). */
export const BLOB_CONTRIBUTOR_ROLE_ID = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe';
/** Key Vault names: 3–24 letters, digits and dashes, starting with a letter, globally unique. */
export const keyVaultName = (cluster: string): string => `${cluster.slice(0, 21).replace(/-+$/, '')}-kv`;
