/** Known list prices, pinned per cloud, as the estimate prices them; and the price tables themselves. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadPriceBook, priceFileSchema, PRICE_CLOUDS, shippedPriceFile } from '../../src/cost/prices.js';
import type { CostLine } from '../../src/cost/types.js';
import { UsageError } from '../../src/errors.js';
import { estimate, exampleConfig, pairConfig } from './fixtures.js';

const H = 730;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function line(report: ReturnType<typeof estimate>, stack: string, resource: string, component: RegExp): CostLine {
  const found = report.stacks.find((s) => s.id === stack)?.lines.filter((l) => l.resource === resource && component.test(l.component)) ?? [];
  expect(found, `${stack} ${resource} ${component}`).toHaveLength(1);
  return found[0];
}

describe('AWS list prices', () => {
  const r = estimate(pairConfig('terraform', { cloud: 'aws', location: 'us-east-1' }, { cloud: 'aws', location: 'eu-west-1' }));
  test('one EKS control plane = 0.10 USD/h × 730 h', () => {
    expect(line(r, 'cluster/one', 'cluster', /EKS control plane/)).toMatchObject({
      type: 'aws_eks_cluster',
      quantity: H,
      unit: 'cluster-hour',
      unitPrice: 0.1,
      monthly: H * 0.1,
      source: 'https://aws.amazon.com/eks/pricing/',
    });
  });
  test('node groups: instances × min nodes, max nodes as the range; private nodes, a NAT gateway and its IPv4 per zone', () => {
    expect(line(r, 'cluster/one', 'pool-workload', /nodes \(m6i\.xlarge\)/)).toMatchObject({
      unitPrice: 0.192,
      quantity: 3 * H,
      monthly: 3 * H * 0.192,
      max: 20 * H * 0.192,
    });
    expect(line(r, 'cluster/two', 'pool-system', /nodes \(m6i\.large\)/)).toMatchObject({ unitPrice: 0.107, monthly: 2 * H * 0.107, max: 3 * H * 0.107 });
    expect(r.stacks.find((s) => s.id === 'cluster/one')!.lines.filter((l) => l.resource === 'pool-system' && /public IPv4/.test(l.component))).toEqual([]);
    expect(line(r, 'cluster/one', 'nat-us-east-1a', /NAT gateway/)).toMatchObject({ unitPrice: 0.045, monthly: H * 0.045 });
    expect(line(r, 'cluster/two', 'nat-eu-west-1c', /NAT gateway/)).toMatchObject({ unitPrice: 0.048 });
    expect(line(r, 'cluster/one', 'nat-ip-us-east-1b', /public IPv4/)).toMatchObject({ unitPrice: 0.005, monthly: H * 0.005 });
    expect(line(r, 'cluster/one', 'cluster-secrets-key', /key/)).toMatchObject({ unitPrice: 1, monthly: 1 });
  });
  test('S3 storage and cross-region replication from the usage assumptions', () => {
    expect(line(r, 'cluster/one', 'backup-bucket', /storage/)).toMatchObject({ unit: 'GB-month', quantity: 100, unitPrice: 0.023 });
    expect(line(r, 'cluster/one', 'backup-bucket-replication', /replication to two/)).toMatchObject({ unit: 'GB', quantity: 50, unitPrice: 0.02, monthly: 1 });
  });
  test('Route 53: health checks with two options each, queries on the primary record only', () => {
    expect(line(r, 'cluster/one', 'health-app-pair-example-one', /health check of an AWS endpoint/).monthly).toBe(0.5);
    expect(line(r, 'cluster/one', 'health-app-pair-example-one', /options/).monthly).toBe(2);
    expect(line(r, 'cluster/one', 'failover-app-pair-example-one', /DNS queries/)).toMatchObject({ quantity: 1, unitPrice: 0.4 });
    expect(line(r, 'cluster/one', 'failover-app-pair-example-two', /record/).monthly).toBe(0);
  });
  test('an endpoint outside AWS (a GCP DR region) has the non-AWS health-check prices; S3 → GCS pays internet egress', () => {
    const x = estimate(pairConfig('pulumi', { cloud: 'aws', location: 'us-east-1' }, { cloud: 'gcp', location: 'us-east1' }));
    expect(line(x, 'cluster/one', 'health-app-pair-example-two', /endpoint on gcp/).monthly).toBe(0.75);
    expect(line(x, 'cluster/one', 'health-app-pair-example-two', /options/).monthly).toBe(4);
    expect(line(x, 'cluster/one', 'backup-bucket-replication', /egress/)).toMatchObject({
      type: 'gcp:storage/transferJob:TransferJob',
      unitPrice: 0.09,
      monthly: 4.5,
    });
  });
});

describe('GCP list prices', () => {
  const r = estimate(pairConfig('pulumi', { cloud: 'gcp', location: 'us-east1' }, { cloud: 'gcp', location: 'us-central1' }));
  test('one GKE cluster = 0.10 USD/h × 730 h', () => {
    expect(line(r, 'cluster/one', 'cluster', /GKE/)).toMatchObject({ type: 'gcp:container/cluster:Cluster', monthly: H * 0.1 });
  });
  test('E2 nodes and their default 100 GB pd-balanced boot disks (private nodes: no external IPs)', () => {
    expect(line(r, 'cluster/one', 'pool-workload', /nodes/)).toMatchObject({ unitPrice: 0.134012, monthly: 3 * H * 0.134012, max: 20 * H * 0.134012 });
    expect(line(r, 'cluster/one', 'pool-workload', /boot disks/)).toMatchObject({ quantity: 300, unitPrice: 0.1, max: 2000 * 0.1 });
    expect(line(r, 'cluster/one', 'pool-system', /nodes/).unitPrice).toBe(0.067006);
  });
  test('storage, a KMS key version, same-continent transfer, DNS queries', () => {
    expect(line(r, 'cluster/one', 'backup-bucket', /storage/).monthly).toBeCloseTo(2, 10);
    expect(line(r, 'cluster/one', 'backup-key', /key version/).monthly).toBe(0.06);
    expect(line(r, 'cluster/one', 'backup-bucket-replication', /transfer to two/)).toMatchObject({ unitPrice: 0.02, monthly: 1 });
    expect(line(r, 'cluster/one', 'failover-app-pair-example', /DNS queries/).monthly).toBe(0.4);
  });
  test('a transfer to another continent is not priced (listed, with the reason)', () => {
    const x = estimate(pairConfig('pulumi', { cloud: 'gcp', location: 'us-east1' }, { cloud: 'gcp', location: 'europe-west1' }));
    expect(x.notPriced).toContainEqual(
      expect.objectContaining({ stack: 'cluster/one', name: 'backup-bucket-replication', reason: expect.stringMatching(/north-america → europe/) }),
    );
  });
});

describe('Azure list prices', () => {
  const r = estimate(pairConfig('terraform', { cloud: 'azure', location: 'eastus' }, { cloud: 'azure', location: 'westus2' }));
  test('AKS Free tier control plane is an explicit zero with its source; the system pool is part of the cluster resource', () => {
    expect(line(r, 'cluster/one', 'cluster', /control plane/)).toMatchObject({
      unitPrice: 0,
      monthly: 0,
      source: 'https://azure.microsoft.com/en-us/pricing/details/kubernetes-service/',
    });
    expect(line(r, 'cluster/one', 'cluster', /system pool nodes/)).toMatchObject({ unitPrice: 0.096, monthly: 2 * H * 0.096 });
    expect(line(r, 'cluster/one', 'pool-workload', /workload pool nodes/)).toMatchObject({
      type: 'azurerm_kubernetes_cluster_node_pool',
      monthly: 3 * H * 0.192,
    });
  });
  test('public IP, Traffic Manager queries and health checks (Azure and external endpoints, fast interval)', () => {
    expect(line(r, 'cluster/one', 'gateway-ip', /public IPv4/).monthly).toBeCloseTo(3.65, 10);
    expect(line(r, 'cluster/one', 'failover-app-pair-example', /queries/).monthly).toBe(0.54);
    expect(line(r, 'cluster/one', 'failover-app-pair-example-one', /Azure endpoint/).monthly).toBe(0.36);
    expect(line(r, 'cluster/one', 'failover-app-pair-example-two', /external endpoint/).monthly).toBe(0.54);
    expect(line(r, 'cluster/one', 'failover-app-pair-example-two', /10-second/).monthly).toBe(2);
  });
  test('regions without a known price are listed as not priced, never zero (examples/azure: westeurope)', () => {
    const x = estimate(exampleConfig('azure', 'pulumi'));
    expect(x.notPriced).toContainEqual(
      expect.objectContaining({
        stack: 'cluster/we',
        type: 'azure-native:containerservice:AgentPool',
        name: 'pool-workload',
        reason: expect.stringMatching(/no price for Standard_D4s_v5 in westeurope/),
      }),
    );
    expect(x.notPriced).toContainEqual(expect.objectContaining({ stack: 'app/we/shop/storefront', type: 'apps/v1:Deployment', name: 'shop/storefront' }));
    expect(x.stacks.find((s) => s.id === 'app/we/shop/storefront')!.lines).toEqual([]);
  });
});

describe('price tables', () => {
  test.each(PRICE_CLOUDS)('prices/%s.json: every price has a unit, a source URL and a date', (cloud) => {
    const doc = priceFileSchema.parse(JSON.parse(readFileSync(shippedPriceFile(cloud), 'utf8')));
    expect(doc.cloud).toBe(cloud);
    for (const p of [...Object.values(doc.rates ?? {}), ...Object.values(doc.instances ?? {})]) {
      expect(p.source).toMatch(/^https:\/\//);
      expect(p.asOf).toMatch(/^\d{4}-\d{2}/);
    }
  });

  test('--prices replaces prices region by region, and the report names the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cost-prices-'));
    dirs.push(dir);
    const file = join(dir, 'azure.json');
    writeFileSync(
      file,
      JSON.stringify({
        cloud: 'azure',
        currency: 'USD',
        instances: {
          Standard_D4s_v5: {
            vcpu: 4,
            memoryGib: 16,
            unit: 'node-hour',
            byRegion: { westeurope: 0.25 },
            source: 'https://example.com/my-prices',
            asOf: '2026-11-01',
          },
        },
      }),
    );
    const config = exampleConfig('azure', 'terraform');
    const r = estimate(config, { prices: loadPriceBook(['azure'], [file]) });
    expect(line(r, 'cluster/we', 'pool-workload', /nodes/)).toMatchObject({ unitPrice: 0.25, source: 'https://example.com/my-prices', asOf: '2026-11-01' });
    expect(r.stacks.find((s) => s.id === 'app/we/shop/storefront')!.lines.length).toBeGreaterThan(0);
    // The other regions of the shipped entry stay.
    expect(
      estimate(pairConfig('terraform', { cloud: 'azure', location: 'eastus' }, { cloud: 'azure', location: 'westus2' }), {
        prices: loadPriceBook(['azure'], [file]),
      }).total.monthly,
    ).toBeGreaterThan(0);
  });

  test('a bad price file is a usage error naming file:line and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cost-prices-'));
    dirs.push(dir);
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      '{\n  "cloud": "aws",\n  "currency": "USD",\n  "rates": {\n    "eks.cluster": { "unit": "cluster-hour", "usd": 0.2, "asOf": "2026" , "sourc": "x" }\n  }\n}\n',
    );
    let error: unknown;
    try {
      loadPriceBook(['aws'], [file]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    const problems = (error as UsageError).problems;
    expect(problems).toContainEqual(
      expect.objectContaining({
        where: expect.stringMatching(/bad\.json:5:\d+$/),
        path: 'rates.eks.cluster.sourc',
        message: expect.stringMatching(/unknown key "sourc" \(did you mean "source"\?\)/),
      }),
    );
    expect(problems).toContainEqual(expect.objectContaining({ path: 'rates.eks.cluster.asOf', message: expect.stringMatching(/YYYY-MM/) }));
    expect(problems).toContainEqual(expect.objectContaining({ path: 'rates.eks.cluster.source', message: expect.stringMatching(/required/) }));
  });
});
