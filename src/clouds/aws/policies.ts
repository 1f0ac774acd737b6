import { kubeconfigYaml } from '../common.js';

/**
 * AWS IAM documents and the kubeconfig shape, as plain functions of strings: the Terraform renderer
 * passes CDKTF tokens, the Pulumi renderer resolved Output values. No SDK import here.
 */

/** Managed policies every EKS node role needs (kubelet, VPC CNI, image pulls). */
export const eksNodePolicies = [
  'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
  'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy',
  'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
];

/** An IAM policy document of `Allow` statements (every document here only allows). */
function allowPolicy(...statements: Record<string, unknown>[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements.map((statement) => ({ Effect: 'Allow', ...statement })) });
}

export const assumeRole = (service: string): string => allowPolicy({ Principal: { Service: service }, Action: 'sts:AssumeRole' });

/** IRSA trust: the cluster's OIDC provider, for exactly one service account. */
export function irsaTrust(oidcArn: string, oidcUrl: string, namespace: string, serviceAccount: string): string {
  // The provider's url attribute has no scheme; the condition keys are `<issuer host/path>:sub|aud`.
  const issuer = oidcUrl.replace(/^https:\/\//, '');
  return allowPolicy({
    Principal: { Federated: oidcArn },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: { StringEquals: { [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`, [`${issuer}:aud`]: 'sts.amazonaws.com' } },
  });
}

/** What Velero's AWS plugin needs: objects in its bucket and EBS snapshots. */
export function veleroS3Policy(bucketArn: string): string {
  return allowPolicy(
    {
      Action: ['s3:GetObject', 's3:DeleteObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      Resource: `${bucketArn}/*`,
    },
    { Action: ['s3:ListBucket'], Resource: bucketArn },
    {
      Action: ['ec2:DescribeVolumes', 'ec2:DescribeSnapshots', 'ec2:CreateTags', 'ec2:CreateVolume', 'ec2:CreateSnapshot', 'ec2:DeleteSnapshot'],
      Resource: '*',
    },
  );
}

/** S3 replication role: read versions from the source, replicate into the destination. */
export function replicationPolicy(sourceArn: string, destinationArn: string): string {
  return allowPolicy(
    { Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'], Resource: sourceArn },
    { Action: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'], Resource: `${sourceArn}/*` },
    { Action: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'], Resource: `${destinationArn}/*` },
  );
}

/** Read-only access to a bucket for Google's Storage Transfer Service (federated by its subject id). */
export function gcsTransferTrust(subjectId: string): string {
  return allowPolicy({
    Principal: { Federated: 'accounts.google.com' },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: { StringEquals: { 'accounts.google.com:sub': subjectId } },
  });
}
export function s3ReadPolicy(bucketArn: string): string {
  return allowPolicy({ Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: bucketArn }, { Action: ['s3:GetObject'], Resource: `${bucketArn}/*` });
}

/** A kubeconfig for the cluster that authenticates with `aws eks get-token` (no secret inside). */
export function awsKubeconfig(c: { name: string; endpoint: string; ca: string; location: string }): string {
  return kubeconfigYaml(c.name, c.endpoint, c.ca, {
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    command: 'aws',
    args: ['eks', 'get-token', '--cluster-name', c.name, '--region', c.location],
  });
}

/** Lets S3 server access logging write into the log bucket (ACLs are off: a bucket policy grants it). */
export function accessLogDeliveryPolicy(logBucketArn: string, sourceBucketArn: string): string {
  return allowPolicy({
    Principal: { Service: 'logging.s3.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: `${logBucketArn}/*`,
    Condition: { ArnLike: { 'aws:SourceArn': sourceBucketArn } },
  });
}
