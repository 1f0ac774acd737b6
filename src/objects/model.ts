/**
 * The object model every layer above the stack catalog shares: a Kubernetes manifest as plain JSON and
 * a desired object (a manifest plus the environment variables its secret keys come from).
 */

/** A Kubernetes manifest as plain JSON (built with kubernetes-models, then `toJSON()`ed). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** Where in platform.yaml an object comes from: a config path such as `['services', 2]` or `['mesh', 'istio']`. */
export type SourcePath = ReadonlyArray<string | number>;

/** One desired object. `secretEnv` (Secrets only): data keys filled by the engine at run time from
 *  environment variables, as engine secrets — the value never enters the stack model or a snapshot. */
export interface DesiredObject {
  manifest: KubeObject;
  secretEnv?: Record<string, string>;
  /** The config entry that produced it (the policy gate names its file:line); the stack's entry when absent. */
  source?: SourcePath;
}
