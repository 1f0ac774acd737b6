/**
 * AWS → GCP backup replication (in the AWS primary's stack): Google's Storage Transfer Service pulls the
 * primary's bucket into the DR bucket every 15 minutes, assuming a read-only AWS role by federation. A
 * backup reaches the DR region up to 15 minutes after it is written (native S3 replication: seconds to
 * minutes); the intent does not carry the RPO.
 */
import type { SourcePath } from '../../objects/model.js';
import { TRANSFER_SCHEDULE } from '../common.js';
import { TRANSFER_SINK_ROLES } from '../gcp/names.js';
import type { CloudBuilder } from '../records.js';
import { gcsTransferTrust, s3ReadPolicy } from './policies.js';

export function buildS3ToGcsTransfer(
  b: CloudBuilder,
  a: { sourceBucket: string; sourceBucketArn: string; name: string; target: { region: string; location: string; bucket: string } },
  src: { source?: SourcePath },
): void {
  b.provider({ cloud: 'gcp', region: a.target.location });
  const agent = b.add(
    'data.google_storage_transfer_project_service_account',
    'gcp:storage/getTransferProjectServiceAccount:getTransferProjectServiceAccount',
    'transfer-agent',
    {},
    src,
  );
  const role = b.add(
    'aws_iam_role',
    'aws:iam/role:Role',
    'transfer-role',
    { name: `${a.name}-to-gcs`, assumeRolePolicy: gcsTransferTrust(agent.attr('subject_id')) },
    src,
  );
  b.add('aws_iam_role_policy', 'aws:iam/rolePolicy:RolePolicy', 'transfer-read', { role: role.id, policy: s3ReadPolicy(a.sourceBucketArn) }, src);
  // The transfer agent writes into the DR bucket (created by the DR region's cluster stack).
  const grants = TRANSFER_SINK_ROLES.map((r) =>
    b.add(
      'google_storage_bucket_iam_member',
      'gcp:storage/bucketIAMMember:BucketIAMMember',
      `transfer-sink-${r.split('.').pop()}`,
      { bucket: a.target.bucket, role: r, member: `serviceAccount:${agent.attr('email')}` },
      src,
    ),
  );
  b.add(
    'google_storage_transfer_job',
    'gcp:storage/transferJob:TransferJob',
    'backup-bucket-replication',
    {
      description: `${a.name} → ${a.target.bucket} (${a.target.region})`,
      transferSpec: {
        awsS3DataSource: { bucketName: a.sourceBucket, roleArn: role.attr('arn') },
        gcsDataSink: { bucketName: a.target.bucket },
        transferOptions: { deleteObjectsUniqueInSink: true, overwriteWhen: 'DIFFERENT' },
      },
      schedule: TRANSFER_SCHEDULE,
    },
    { ...src, dependsOn: grants },
  );
}
