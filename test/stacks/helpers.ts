/** Shared by the stack tests: example configs, small configs built in code, and model validation. */
import { DestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule';
import { Gateway } from '@kubernetes-models/istio/networking.istio.io/v1/Gateway';
import { VirtualService } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService';
import { AuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';
import { PeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication';
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { Alertmanager } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Alertmanager';
import { Prometheus } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Prometheus';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { LimitRange } from 'kubernetes-models/v1/LimitRange';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import { Secret } from 'kubernetes-models/v1/Secret';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Service } from 'kubernetes-models/v1/Service';
import { loadConfig } from '../../src/config/load.js';
import { platformSchema, type PlatformConfig, type PlatformInput } from '../../src/config/schema.js';
import type { StackInstance } from '../../src/stacks/types.js';
import type { KubeObject } from '../../src/objects/model.js';

/** The repository root (tests may run from any working directory). */
export const REPO_ROOT = new URL('../../', import.meta.url).pathname;
export const EXAMPLES = ['examples/local/platform.yaml', 'examples/multicloud/platform.yaml'] as const;
export const loadExample = (file: string): PlatformConfig => loadConfig(file).config;

/** A config from a partial input, with the schema's defaults applied (no cross-field rules). */
export function makeConfig(input: Partial<PlatformInput> = {}): PlatformConfig {
  return platformSchema.parse({
    apiVersion: 'platform.dev/v1',
    name: 'acme',
    regions: [
      { name: 'eu', cloud: 'local', location: 'local-eu', role: 'primary' },
      { name: 'us', cloud: 'local', location: 'local-us', role: 'dr' },
    ],
    tenants: [{ name: 'team-a', plan: 'starter', owners: ['owner@example.com'] }],
    services: [{ name: 'web', tenant: 'team-a', image: 'ghcr.io/acme/web:1.0.0', port: 8080 }],
    ...input,
  });
}

type ModelClass = new (data: never) => { validate(): void };
const MODELS: Record<string, ModelClass> = {
  'v1/Namespace': Namespace,
  'v1/ResourceQuota': ResourceQuota,
  'v1/LimitRange': LimitRange,
  'v1/Secret': Secret,
  'v1/ServiceAccount': ServiceAccount,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
  'monitoring.coreos.com/v1/Prometheus': Prometheus,
  'monitoring.coreos.com/v1/Alertmanager': Alertmanager,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'networking.istio.io/v1/Gateway': Gateway,
  'networking.istio.io/v1/VirtualService': VirtualService,
  'networking.istio.io/v1/DestinationRule': DestinationRule,
  'security.istio.io/v1/PeerAuthentication': PeerAuthentication,
  'security.istio.io/v1/AuthorizationPolicy': AuthorizationPolicy,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
  'monitoring.coreos.com/v1/PodMonitor': PodMonitor,
};

/** Re-hydrate a manifest into its kubernetes-models class and validate it (throws on a schema error).
 *  Returns false for kinds without a model (Velero), which the caller checks another way. */
export function validateManifest(m: KubeObject): boolean {
  const Model = MODELS[`${m.apiVersion}/${m.kind}`] as (typeof MODELS)[string] | undefined;
  if (!Model) return false;
  new Model(structuredClone(m) as never).validate();
  return true;
}

export const allObjects = (stacks: StackInstance[]): KubeObject[] => stacks.flatMap((s) => s.objects.map((o) => o.manifest));
export const find = (stack: StackInstance | undefined, kind: string, name?: string): KubeObject | undefined =>
  stack?.objects.map((o) => o.manifest).find((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;
