/** GCP names both engines use (pure; no SDK import). */
import { dashed, parentDomain } from '../common.js';

export { peerClusterName } from '../common.js';

/** The Velero/GKE workload identity member of a Kubernetes service account. */
export const workloadIdentityMember = (project: string, namespace: string, serviceAccount: string): string =>
  `serviceAccount:${project}.svc.id.goog[${namespace}/${serviceAccount}]`;
/** Service-account ids: 6–30 characters. */
export const serviceAccountId = (name: string): string => name.slice(0, 30).replace(/-+$/, '');
/** The Cloud DNS managed zone of a host's parent domain, by convention named after it (`acme-example`). */
export const managedZoneName = (host: string): string => dashed(parentDomain(host));
/** The regional static address the region's Istio gateway load balancer uses. */
export const gatewayAddressName = (cluster: string): string => `${cluster}-gateway`;
/** Roles the Storage Transfer agent needs on a GCS source and sink. */
export const TRANSFER_SOURCE_ROLES = ['roles/storage.objectViewer', 'roles/storage.legacyBucketReader'];
export const TRANSFER_SINK_ROLES = ['roles/storage.objectAdmin', 'roles/storage.legacyBucketWriter'];
/** GKE's kubectl credential plugin: no secret in the kubeconfig. */
export const GKE_EXEC = { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'gke-gcloud-auth-plugin', args: [] as string[] };
/** Cloud DNS health checks of external endpoints probe from (exactly) three source regions. */
export const HEALTH_CHECK_SOURCE_REGIONS = ['us-east4', 'europe-west1', 'asia-southeast1'];
