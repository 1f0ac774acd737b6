/** Terraform-engine pieces every cloud renderer uses. Imported only by the lazily loaded cloud modules. */
import { TerraformOutput, TerraformStack, type TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';

/**
 * `required_providers` with the registry source and the exact version the bindings were generated for
 * (CDKTF would write `source: "aws", version: "~> 6.0"`): the offline mirror holds exactly one version.
 */
export function pinProvider(scope: Construct, p: { name: string; source: string; version: string }): void {
  TerraformStack.of(scope).addOverride(`terraform.required_providers.${p.name}`, { source: p.source, version: p.version });
}

/**
 * The cluster's kubeconfig as the stack output `kubeconfig` (what other stacks of the region consume;
 * see src/clouds/index.ts), and the stack's own kubectl provider pointed at the new cluster (its
 * Velero objects are applied right after the cluster, without a kubeconfig file).
 */
export function exportKubeconfig(scope: Construct, kubectl: TerraformProvider, kubeconfig: string, provider: Record<string, unknown>, sensitive = false): void {
  new TerraformOutput(scope, 'kubeconfig', { value: kubeconfig, sensitive, description: 'kubeconfig of the cluster (context = cluster name)' });
  kubectl.addOverride('config_path', undefined);
  kubectl.addOverride('config_context', undefined);
  kubectl.addOverride('load_config_file', false);
  for (const [key, value] of Object.entries(provider)) kubectl.addOverride(key, value);
}
