/**
 * The cost report (`platform cost --json`, docs/cost.md). All amounts are USD per month, unrounded
 * (rounding happens only when a renderer prints them); the same input gives byte-identical JSON.
 */
export interface Amount {
  /** The estimate: everything autoscaled at its minimum. */
  monthly: number;
  /** Equal to `monthly` in this version (every range is estimated from its minimum). */
  min: number;
  /** Everything autoscaled at its maximum (node pools at max nodes, HPAs at max replicas). */
  max: number;
}

export interface CostLine {
  /** The resource's logical name (cloud resources) or `namespace/name` (Kubernetes workloads). */
  resource: string;
  /** As the stack's engine emits it: Terraform type, Pulumi token, or `apps/v1:Deployment`. */
  type: string;
  /** Which part of the resource this line prices (a resource can have several). */
  component: string;
  quantity: number;
  unit: string;
  unitPrice: number;
  monthly: number;
  /** At the maximum of the range (node pool at max nodes, HPA at max replicas); = monthly when fixed. */
  max: number;
  /** The public page the price comes from. */
  source: string;
  /** When the price was known to be current. */
  asOf?: string;
  note?: string;
  /** Kubernetes workloads of a control plane the stack installs: which install (`istiod`, `prometheus-operator`, `velero`…). */
  install?: string;
}

export interface StackCost extends Amount {
  id: string;
  lines: CostLine[];
}

export interface RegionCost extends Amount {
  name: string;
  cloud: string;
  location: string;
  /** `list`: the cloud's list prices; `local-reference`: a local region priced on the reference node (not a bill). */
  pricing: 'list' | 'local-reference';
  /** The workloads' share of the node pools (part of `monthly`, not added to it: see docs/cost.md). */
  workloads: { monthly: number; max: number };
}

export interface TenantCost {
  name: string;
  plan: string;
  monthly: number;
  max: number;
  /** Its workloads' share of the node pools. */
  workloads: number;
  /** Its namespace's share of what the regions cost beyond the workloads (shared stacks, idle capacity). */
  shared: number;
}

export interface NotPriced {
  stack: string;
  type: string;
  name: string;
  component: string;
  reason: string;
}

export interface LineChange {
  resource: string;
  type: string;
  component: string;
  change: 'added' | 'removed' | 'changed';
  before: { quantity: number; unitPrice: number; monthly: number } | null;
  after: { quantity: number; unitPrice: number; monthly: number } | null;
  difference: number;
}

export interface StackDelta {
  id: string;
  before: number;
  after: number;
  difference: number;
  /** Some of the stack's resources are not priced (on either side): the difference covers the rest. */
  partial: boolean;
  lines: LineChange[];
}

export interface CostDelta {
  /** What `before` is: the config at this commit (the merge base of `ref` and HEAD). */
  base: { ref: string; commit: string };
  total: { before: number; after: number; difference: number };
  /** Only the stacks whose cost or lines changed, in stack order; a stack not listed did not change. */
  stacks: StackDelta[];
  /** `cost.commentThreshold` of platform.yaml, when set: whether the total moved by at least that much. */
  threshold?: { percent: number; crossed: boolean };
}

export interface Assumptions {
  hoursPerMonth: number;
  backupStorageGb: number;
  replicatedGbPerMonth: number;
  dnsQueriesPerMonth: number;
  regions: Record<string, { backupStorageGb: number; replicatedGbPerMonth: number; dnsQueriesPerMonth: number }>;
  /** The `cost.usage` file, or `defaults`. */
  source: string;
}

export interface CostReport {
  version: 1;
  currency: 'USD';
  /** The estimated bill of the selected stacks (docs/cost.md: workloads are a share of their pools, not added to them). */
  total: Amount;
  stacks: StackCost[];
  tenants: TenantCost[];
  notPriced: NotPriced[];
  delta?: CostDelta;
  regions: RegionCost[];
  assumptions: Assumptions;
  /** Per cloud in use: the tables its prices came from (shipped first, then --prices files). */
  prices: Array<{ cloud: string; files: string[] }>;
}
