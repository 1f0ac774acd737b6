/** The Terraform plan report includes a cluster stack's cloud resources (hook in src/engines/terraform/report.ts). */
import { describe, expect, test } from 'vitest';
import { changesFromPlan, type ShowPlan } from '../../src/engines/terraform/report.js';

describe('Terraform plan report of cloud resources', () => {
  test('managed cloud resources are reported by type and name with their operation, never with values; data sources are not', () => {
    const plan: ShowPlan = {
      resource_changes: [
        {
          address: 'aws_eks_cluster.cluster',
          mode: 'managed',
          type: 'aws_eks_cluster',
          change: { actions: ['create'], before: null, after: { name: 'acme-eu' } },
        },
        {
          address: 'azurerm_kubernetes_cluster.cluster',
          mode: 'managed',
          type: 'azurerm_kubernetes_cluster',
          change: { actions: ['update'], before: { kube_config_raw: 'old-secret' }, after: { kube_config_raw: 'new-secret' } },
        },
        {
          address: 'aws_route53_record.failover-shop-eu',
          mode: 'managed',
          type: 'aws_route53_record',
          change: { actions: ['delete', 'create'], before: {}, after: {} },
        },
        { address: 'aws_vpc.vpc', mode: 'managed', type: 'aws_vpc', change: { actions: ['no-op'], before: {}, after: {} } },
        { address: 'data.aws_route53_zone.zone', mode: 'data', type: 'aws_route53_zone', change: { actions: ['read'], before: null, after: {} } },
      ],
    };
    const { changes } = changesFromPlan(plan, []);
    expect(changes).toEqual([
      { op: 'create', type: 'aws_eks_cluster', name: 'cluster', diff: [] },
      { op: 'update', type: 'azurerm_kubernetes_cluster', name: 'cluster', diff: [] },
      { op: 'replace', type: 'aws_route53_record', name: 'failover-shop-eu', diff: [] },
      { op: 'same', type: 'aws_vpc', name: 'vpc', diff: [] },
    ]);
    expect(JSON.stringify(changes)).not.toContain('secret');
  });
});
