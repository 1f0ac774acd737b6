/**
 * The Pulumi side of src/clouds under runtime mocks: every resource a cluster stack registers, with its
 * inputs, for the examples (snapshots) and per cloud (replication, DNS failover, node pools).
 */
import * as pulumi from '@pulumi/pulumi';
import { describe, expect, test } from 'vitest';
import { loadClouds, registerPulumiCloud } from '../../src/clouds/index.js';
import { synthPulumi } from '../../src/engines/pulumi/synth.js';
import type { StackInstance } from '../../src/stacks/types.js';
import { clusterStacks, exampleStacks, pairStacks, SAME_CLOUD } from './fixtures.js';
import { pulumiStackName } from '../../src/engines/pulumi/state.js';

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

const promiseOf = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((resolve) => o.apply((v) => (resolve(v), v)));
const KUBECONFIG = 'apiVersion: v1\nkind: Config\n';

/** What the clouds would compute: just enough for the renderers' outputs and cross-references. */
function computed(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  switch (type) {
    case 'aws:eks/cluster:Cluster':
      return {
        endpoint: `https://${name}.eks.mock`,
        certificateAuthority: { data: 'Q0E=' },
        identities: [{ oidcs: [{ issuer: 'https://oidc.eks.mock/id/ABC' }] }],
      };
    case 'aws:iam/openIdConnectProvider:OpenIdConnectProvider':
      // The provider keeps the issuer without its scheme (what the IRSA condition keys are made of).
      return { arn: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.mock/id/ABC', url: String(inputs.url).replace(/^https:\/\//, '') };
    case 'gcp:container/cluster:Cluster':
      return { endpoint: '198.51.100.10', masterAuth: { clusterCaCertificate: 'Q0E=' } };
    case 'azure-native:containerservice:ManagedCluster':
      return { oidcIssuerProfile: { enabled: true, issuerURL: 'https://oidc.aks.mock/issuer/' } };
    case 'azure-native:storage:ObjectReplicationPolicy':
      return { policyId: 'policy-mock' };
    case 'gcp:serviceaccount/account:Account':
      return { email: `${String(inputs.accountId)}@mock-project.iam.gserviceaccount.com` };
    case 'gcp:compute/address:Address':
      return { address: '203.0.113.10' };
    default:
      return {};
  }
}

/** azure-native resources output their `name` (the input that names them: resourceGroupName, accountName, …). */
const AZURE_NAME_INPUT: Record<string, string> = {
  'azure-native:resources:ResourceGroup': 'resourceGroupName',
  'azure-native:storage:StorageAccount': 'accountName',
  'azure-native:storage:BlobContainer': 'containerName',
  'azure-native:containerservice:ManagedCluster': 'resourceName',
  'azure-native:managedidentity:UserAssignedIdentity': 'resourceName',
  'azure-native:network:VirtualNetwork': 'virtualNetworkName',
  'azure-native:trafficmanager:Profile': 'profileName',
};
const azureName = (type: string, inputs: Record<string, unknown>): Record<string, unknown> =>
  AZURE_NAME_INPUT[type] ? { name: inputs[AZURE_NAME_INPUT[type]] } : {};

const calls: Record<string, Record<string, unknown>> = {
  'aws:route53/getZone:getZone': { zoneId: 'ZMOCK' },
  'gcp:organizations/getClientConfig:getClientConfig': { project: 'mock-project' },
  'gcp:storage/getProjectServiceAccount:getProjectServiceAccount': { emailAddress: 'gcs-agent@mock.iam' },
  'gcp:storage/getTransferProjectServiceAccount:getTransferProjectServiceAccount': { email: 'sts-agent@mock.iam', subjectId: '1234567890' },
  'gcp:compute/getAddress:getAddress': { address: '203.0.113.20' },
  'azure-native:authorization:getClientConfig': { subscriptionId: '00000000-0000-0000-0000-000000000001' },
  'azure-native:containerservice:listManagedClusterUserCredentials': {
    kubeconfigs: [{ name: 'clusterUser', value: Buffer.from(KUBECONFIG).toString('base64') }],
  },
};

/** Register one stack's cloud resources under mocks; returns them (sorted) and the resolved outputs. */
async function register(stack: StackInstance): Promise<{ resources: Registered[]; outputs: Record<string, unknown> }> {
  const registered: Registered[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        return {
          id: `${args.name}-id`,
          state: {
            ...args.inputs,
            arn: `arn:mock:${args.name}`,
            ...azureName(args.type, args.inputs),
            ...computed(args.type, args.name, args.inputs as Record<string, unknown>),
          },
        };
      },
      call: (args) => ({ ...args.inputs, ...calls[args.token] }),
    },
    'platform',
    pulumiStackName(stack.id),
    // Not a preview: outputs the mocks do not compute resolve to undefined instead of staying unknown.
    false,
  );
  await loadClouds('pulumi', [stack]);
  const result = registerPulumiCloud(stack);
  await Promise.all(result.resources.map((r) => promiseOf(r.urn)));
  const outputs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(result.outputs)) outputs[k] = await promiseOf(v);
  registered.sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type.localeCompare(b.type)));
  return { resources: registered, outputs };
}

const byType = (rs: Registered[], type: string): Registered[] => rs.filter((r) => r.type === type);
/** The resource of a type with a logical name (a type the stack registers several of). */
const named = (rs: Registered[], type: string, name: string): Registered => {
  const found = byType(rs, type).find((r) => r.name === name);
  expect(found, `${type} ${name}`).toBeDefined();
  return found!;
};
const one = (rs: Registered[], type: string): Registered => {
  const found = byType(rs, type);
  expect(found, type).toHaveLength(1);
  return found[0];
};

describe('Pulumi snapshots of the cluster stacks (resources and inputs under mocks)', { timeout: 60_000 }, () => {
  test('examples/multicloud (AWS primary, GCP DR)', async () => {
    for (const stack of clusterStacks(exampleStacks('multicloud', 'pulumi'))) {
      const { resources, outputs } = await register(stack);
      expect(resources).toMatchSnapshot(`${stack.id} resources`);
      expect(Object.keys(outputs).sort()).toMatchSnapshot(`${stack.id} outputs`);
    }
  });

  test('examples/azure (Azure primary and DR)', async () => {
    for (const stack of clusterStacks(exampleStacks('azure', 'pulumi'))) {
      const { resources, outputs } = await register(stack);
      expect(resources).toMatchSnapshot(`${stack.id} resources`);
      expect(Object.keys(outputs).sort()).toMatchSnapshot(`${stack.id} outputs`);
    }
  });
});

describe('Pulumi rendering per cloud', { timeout: 60_000 }, () => {
  test('AWS: bucket replication to the DR bucket, Route 53 failover records with health checks, system and workload node groups', async () => {
    const { primary, dr } = pairStacks('pulumi', ...SAME_CLOUD.aws);
    const { resources, outputs } = await register(primary);
    const replication = one(resources, 'aws:s3/bucketReplicationConfig:BucketReplicationConfig');
    expect(replication.inputs).toMatchObject({
      bucket: 'backup-bucket-id',
      rules: [{ status: 'Enabled', destination: { bucket: 'arn:aws:s3:::pair-two-backups' } }],
    });
    expect(one(resources, 'aws:s3/bucketVersioning:BucketVersioning').inputs).toMatchObject({ versioningConfiguration: { status: 'Enabled' } });
    expect(
      named(resources, 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration', 'backup-bucket-encryption').inputs,
    ).toMatchObject({
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' } }],
    });
    // Access logs of the backup bucket go to a log bucket of its own.
    expect(one(resources, 'aws:s3/bucketLogging:BucketLogging').inputs).toMatchObject({ bucket: 'backup-bucket-id', targetBucket: 'backup-logs-id' });

    const records = byType(resources, 'aws:route53/record:Record');
    expect(records.map((r) => [r.inputs.name, r.inputs.failoverRoutingPolicies, r.inputs.records, r.inputs.zoneId])).toEqual([
      ['app.pair.example', [{ type: 'PRIMARY' }], ['one.app.pair.example'], 'ZMOCK'],
      ['app.pair.example', [{ type: 'SECONDARY' }], ['two.app.pair.example'], 'ZMOCK'],
    ]);
    const checks = byType(resources, 'aws:route53/healthCheck:HealthCheck');
    expect(records.map((r) => r.inputs.healthCheckId)).toEqual(checks.map((c) => `${c.name}-id`));
    expect(checks.map((c) => [c.inputs.fqdn, c.inputs.resourcePath])).toEqual([
      ['one.app.pair.example', '/healthz/ready'],
      ['two.app.pair.example', '/healthz/ready'],
    ]);

    const pools = byType(resources, 'aws:eks/nodeGroup:NodeGroup');
    expect(pools.map((p) => [p.inputs.nodeGroupName, p.inputs.scalingConfig, p.inputs.instanceTypes, p.inputs.taints])).toEqual([
      ['system', { minSize: 2, maxSize: 3, desiredSize: 2 }, ['m6i.large'], [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NO_SCHEDULE' }]],
      ['workload', { minSize: 3, maxSize: 20, desiredSize: 3 }, ['m6i.xlarge'], undefined],
    ]);
    expect(pools.every((p) => p.inputs.clusterName === 'pair-one')).toBe(true);
    const irsa = JSON.parse(byType(resources, 'aws:iam/role:Role').find((r) => r.name === 'backup-identity')!.inputs.assumeRolePolicy as string);
    expect(irsa.Statement[0].Condition.StringEquals['oidc.eks.mock/id/ABC:sub']).toBe('system:serviceaccount:velero:velero');
    expect(JSON.parse(outputs.kubeconfig as string)).toMatchObject({ clusters: [{ cluster: { server: 'https://cluster.eks.mock' } }] });

    // The DR region: its own bucket and cluster, no replication, no failover records.
    const drResources = (await register(dr)).resources;
    expect(byType(drResources, 'aws:s3/bucket:Bucket').map((b) => b.inputs.bucket)).toEqual(['pair-two-backups', 'pair-two-backups-logs']);
    expect(byType(drResources, 'aws:s3/bucketReplicationConfig:BucketReplicationConfig')).toEqual([]);
    expect(byType(drResources, 'aws:route53/record:Record')).toEqual([]);
  });

  test('AWS → GCP (the multicloud example): a Storage Transfer job pulls the S3 bucket into the GCS DR bucket', async () => {
    const eu = exampleStacks('multicloud', 'pulumi').find((s) => s.id === 'cluster/eu')!;
    const { resources } = await register(eu);
    const job = one(resources, 'gcp:storage/transferJob:TransferJob');
    expect(job.inputs).toMatchObject({
      transferSpec: { awsS3DataSource: { bucketName: 'acme-eu-backups', roleArn: 'arn:mock:transfer-role' }, gcsDataSink: { bucketName: 'acme-us-backups' } },
    });
    const trust = JSON.parse(byType(resources, 'aws:iam/role:Role').find((r) => r.name === 'transfer-role')!.inputs.assumeRolePolicy as string);
    expect(trust.Statement[0].Condition.StringEquals['accounts.google.com:sub']).toBe('1234567890');
    expect(byType(resources, 'aws:s3/bucketReplicationConfig:BucketReplicationConfig')).toEqual([]);
    // The transfer agent may write into the DR bucket.
    expect(byType(resources, 'gcp:storage/bucketIAMMember:BucketIAMMember').map((m) => [m.inputs.bucket, m.inputs.role, m.inputs.member])).toEqual([
      ['acme-us-backups', 'roles/storage.legacyBucketWriter', 'serviceAccount:sts-agent@mock.iam'],
      ['acme-us-backups', 'roles/storage.objectAdmin', 'serviceAccount:sts-agent@mock.iam'],
    ]);
  });

  test('GCP: a transfer job into the DR bucket, Cloud DNS failover routing with a health check, system and workload node pools, Workload Identity', async () => {
    const { primary } = pairStacks('pulumi', ...SAME_CLOUD.gcp);
    const { resources, outputs } = await register(primary);
    expect(one(resources, 'gcp:storage/transferJob:TransferJob').inputs).toMatchObject({
      transferSpec: {
        gcsDataSource: { bucketName: 'pair-one-backups' },
        gcsDataSink: { bucketName: 'pair-two-backups' },
        transferOptions: { deleteObjectsUniqueInSink: true },
      },
    });
    expect(named(resources, 'gcp:storage/bucket:Bucket', 'backup-bucket').inputs).toMatchObject({
      versioning: { enabled: true },
      encryption: { defaultKmsKeyName: 'backup-key-id' },
      softDeletePolicy: { retentionDurationSeconds: 604800 },
      logging: { logBucket: 'pair-one-backups-logs' },
    });
    const record = one(resources, 'gcp:dns/recordSet:RecordSet');
    expect(record.inputs).toMatchObject({
      name: 'app.pair.example.',
      managedZone: 'pair-example',
      routingPolicy: {
        healthCheck: 'health-app-pair-example-id',
        primaryBackup: {
          primary: { externalEndpoints: ['203.0.113.10'] },
          backupGeos: [{ location: 'us-east1', healthCheckedTargets: { externalEndpoints: ['203.0.113.20'] } }],
        },
      },
    });
    expect(one(resources, 'gcp:compute/healthCheck:HealthCheck').inputs).toMatchObject({
      httpsHealthCheck: { host: 'app.pair.example', requestPath: '/healthz/ready' },
    });
    const pools = byType(resources, 'gcp:container/nodePool:NodePool');
    expect(pools.map((p) => [p.inputs.name, p.inputs.autoscaling, (p.inputs.nodeConfig as { machineType: string }).machineType])).toEqual([
      ['system', { totalMinNodeCount: 2, totalMaxNodeCount: 3 }, 'e2-standard-2'],
      ['workload', { totalMinNodeCount: 3, totalMaxNodeCount: 20 }, 'e2-standard-4'],
    ]);
    expect(byType(resources, 'gcp:serviceaccount/iAMMember:IAMMember')[0].inputs).toMatchObject({
      role: 'roles/iam.workloadIdentityUser',
      member: 'serviceAccount:mock-project.svc.id.goog[velero/velero]',
    });
    expect(Object.keys(outputs).sort()).toEqual(['backupIdentity', 'gatewayAddress', 'kubeconfig']);
  });

  test('Azure: object replication into the DR account, a Traffic Manager priority profile, a system and a workload pool, a federated identity', async () => {
    const { primary } = pairStacks('pulumi', ...SAME_CLOUD.azure);
    const { resources, outputs } = await register(primary);
    const policies = byType(resources, 'azure-native:storage:ObjectReplicationPolicy');
    expect(
      policies.map((p) => [p.name, p.inputs.resourceGroupName, p.inputs.accountName, p.inputs.destinationAccount, p.inputs.objectReplicationPolicyId]),
    ).toEqual([
      ['backup-bucket-replication', 'pair-one', 'paironebackups', 'pairtwobackups', 'policy-mock'],
      ['backup-replication-destination', 'pair-two', 'pairtwobackups', 'pairtwobackups', 'default'],
    ]);
    expect(one(resources, 'azure-native:storage:BlobServiceProperties').inputs).toMatchObject({ isVersioningEnabled: true, changeFeed: { enabled: true } });
    expect(one(resources, 'azure-native:storage:StorageAccount').inputs).toMatchObject({ encryption: { requireInfrastructureEncryption: true } });
    expect(one(resources, 'azure-native:trafficmanager:Profile').inputs).toMatchObject({
      trafficRoutingMethod: 'Priority',
      monitorConfig: { protocol: 'HTTPS', path: '/healthz/ready' },
    });
    const endpoints = byType(resources, 'azure-native:trafficmanager:Endpoint');
    expect(endpoints.map((e) => [e.inputs.endpointName, e.inputs.endpointType, e.inputs.priority, e.inputs.target ?? e.inputs.targetResourceId])).toEqual([
      ['one', 'AzureEndpoints', 1, 'gateway-ip-id'],
      ['two', 'ExternalEndpoints', 2, 'two.app.pair.example'],
    ]);
    const cluster = one(resources, 'azure-native:containerservice:ManagedCluster');
    expect(cluster.inputs).toMatchObject({
      agentPoolProfiles: [{ name: 'system', mode: 'System', minCount: 2, maxCount: 3, availabilityZones: ['1', '2', '3'] }],
      securityProfile: { workloadIdentity: { enabled: true } },
    });
    expect(one(resources, 'azure-native:containerservice:AgentPool').inputs).toMatchObject({
      agentPoolName: 'workload',
      mode: 'User',
      minCount: 3,
      maxCount: 20,
    });
    expect(one(resources, 'azure-native:managedidentity:FederatedIdentityCredential').inputs).toMatchObject({
      issuer: 'https://oidc.aks.mock/issuer/',
      subject: 'system:serviceaccount:velero:velero',
    });
    // The AKS kubeconfig holds a client certificate: exported as a secret.
    expect(outputs.kubeconfig).toBe(KUBECONFIG);
  });

  test("synthPulumi (the engine's own program) lists a cluster stack's cloud resources after its Kubernetes objects", async () => {
    const { primary } = pairStacks('pulumi', ...SAME_CLOUD.azure);
    await loadClouds('pulumi', [primary]);
    const resources = (await synthPulumi([primary], { controlPlaneFor: () => [] })).get(primary.id)!;
    const firstCloud = resources.findIndex((r) => r.type.startsWith('azure-native:'));
    expect(firstCloud).toBeGreaterThan(0);
    expect(resources.slice(0, firstCloud).every((r) => r.type.startsWith('platform:') || r.type === 'pulumi:providers:platform')).toBe(true);
    expect(resources).toContainEqual({ type: 'azure-native:trafficmanager:Profile', name: 'failover-app-pair-example' });
    expect(resources).toContainEqual({ type: 'pulumi:providers:azure-native', name: 'azure-native' });
  });
});
