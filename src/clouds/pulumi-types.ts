/** What a Pulumi cloud renderer hands back to the stack program (type-only: no SDK import). */
import type { Output, Resource } from '@pulumi/pulumi';

export interface PulumiCloudResult {
  /** Every resource registered, so synth can await them before the next stack's mocks. */
  resources: Resource[];
  /** Stack outputs (`kubeconfig`, `backupIdentity`, …); secrets are already wrapped in pulumi.secret. */
  outputs: Record<string, Output<unknown>>;
}
