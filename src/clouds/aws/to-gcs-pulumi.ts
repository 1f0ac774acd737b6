/** AWS → GCP backup replication for the Pulumi engine (registered in the AWS primary's stack). */
import * as pulumi from '@pulumi/pulumi';
import { Provider as GcpProvider } from '@pulumi/gcp/provider.js';
import { getTransferProjectServiceAccountOutput } from '@pulumi/gcp/storage/getTransferProjectServiceAccount.js';
import { TransferJob } from '@pulumi/gcp/storage/transferJob.js';
import { BucketIAMMember } from '@pulumi/gcp/storage/bucketIAMMember.js';
import type { Provider } from '@pulumi/aws/provider.js';
import { Role } from '@pulumi/aws/iam/role.js';
import { RolePolicy } from '@pulumi/aws/iam/rolePolicy.js';
import { TRANSFER_SCHEDULE } from '../common.js';
import { TRANSFER_SINK_ROLES } from '../gcp/names.js';
import type { Registry } from '../pulumi-shared.js';
import { gcsTransferTrust, s3ReadPolicy } from './policies.js';

/** Storage Transfer Service pulls the S3 bucket into the DR region's GCS bucket every 15 minutes. */
export function registerS3ToGcsTransfer(
  reg: Registry,
  aws: Provider,
  a: { sourceBucket: pulumi.Output<string>; sourceBucketArn: pulumi.Output<string>; name: string; target: { region: string; location: string; bucket: string } },
): void {
  const google = reg.add(new GcpProvider('google', { region: a.target.location }));
  const agent = getTransferProjectServiceAccountOutput({}, { provider: google });
  const role = reg.add(new Role('transfer-role', { name: `${a.name}-to-gcs`, assumeRolePolicy: agent.subjectId.apply(gcsTransferTrust) }, { provider: aws }));
  reg.add(new RolePolicy('transfer-read', { role: role.id, policy: a.sourceBucketArn.apply(s3ReadPolicy) }, { provider: aws }));
  // The transfer agent writes into the DR bucket (created by the DR region's cluster stack).
  const grants = TRANSFER_SINK_ROLES.map((role) =>
    reg.add(new BucketIAMMember(`transfer-sink-${role.split('.').pop()}`, { bucket: a.target.bucket, role, member: pulumi.interpolate`serviceAccount:${agent.email}` }, { provider: google })),
  );
  reg.add(
    new TransferJob(
      'backup-bucket-replication',
      {
        description: `${a.name} → ${a.target.bucket} (${a.target.region})`,
        transferSpec: {
          awsS3DataSource: { bucketName: a.sourceBucket, roleArn: role.arn },
          gcsDataSink: { bucketName: a.target.bucket },
          transferOptions: { deleteObjectsUniqueInSink: true, overwriteWhen: 'DIFFERENT' },
        },
        schedule: TRANSFER_SCHEDULE,
      },
      { provider: google, dependsOn: grants },
    ),
  );
}
