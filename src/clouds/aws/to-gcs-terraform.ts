/** AWS → GCP backup replication for the Terraform engine (rendered in the AWS primary's stack). */
import type { Construct } from 'constructs';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider/index.js';
import { DataGoogleStorageTransferProjectServiceAccount } from '@cdktf/provider-google/lib/data-google-storage-transfer-project-service-account/index.js';
import { StorageTransferJob } from '@cdktf/provider-google/lib/storage-transfer-job/index.js';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { TERRAFORM_PROVIDERS, TRANSFER_SCHEDULE } from '../common.js';
import { TRANSFER_SINK_ROLES } from '../gcp/names.js';
import { pinProvider } from '../terraform-shared.js';
import { gcsTransferTrust, s3ReadPolicy } from './policies.js';

/**
 * S3 → GCS: Google's Storage Transfer Service pulls the primary's bucket into the DR bucket every 15
 * minutes, assuming a read-only AWS role by federation. A backup reaches the DR region up to 15 minutes
 * after it is written (native S3 replication: seconds to minutes); the intent does not carry the RPO.
 */
export function renderS3ToGcsTransfer(
  scope: Construct,
  a: { sourceBucket: string; sourceBucketArn: string; name: string; target: { region: string; location: string; bucket: string } },
): void {
  new GoogleProvider(scope, 'google', { region: a.target.location });
  pinProvider(scope, TERRAFORM_PROVIDERS.gcp);
  const transferAgent = new DataGoogleStorageTransferProjectServiceAccount(scope, 'transfer-agent', {});
  const role = new IamRole(scope, 'transfer-role', { name: `${a.name}-to-gcs`, assumeRolePolicy: gcsTransferTrust(transferAgent.subjectId) });
  new IamRolePolicy(scope, 'transfer-read', { role: role.id, policy: s3ReadPolicy(a.sourceBucketArn) });
  // The transfer agent writes into the DR bucket (created by the DR region's cluster stack).
  const grants = TRANSFER_SINK_ROLES.map(
    (role) => new StorageBucketIamMember(scope, `transfer-sink-${role.split('.').pop()}`, { bucket: a.target.bucket, role, member: `serviceAccount:${transferAgent.email}` }),
  );
  new StorageTransferJob(scope, 'backup-bucket-replication', {
    description: `${a.name} → ${a.target.bucket} (${a.target.region})`,
    transferSpec: {
      awsS3DataSource: { bucketName: a.sourceBucket, roleArn: role.arn },
      gcsDataSink: { bucketName: a.target.bucket },
      transferOptions: { deleteObjectsUniqueInSink: true, overwriteWhen: 'DIFFERENT' },
    },
    schedule: TRANSFER_SCHEDULE,
    dependsOn: grants,
  });
}
