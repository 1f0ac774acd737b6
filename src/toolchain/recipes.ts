/**
 * How each binary is built from the Go module proxy (issue 4 "Recipes"). Every recipe runs in its own
 * throw-away wrapper module and writes its binaries into `ctx.outDir`; install.ts renames them into
 * the cache only when the whole recipe succeeded. The go.mod surgery is in pure helpers (unit-tested).
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ACTIONLINT_VERSION,
  ETCD_VERSION,
  HELM_VERSION,
  FAKE_GCS_SERVER_VERSION,
  KUBECTL_PROVIDER_VERSION,
  KUBERNETES_STAGING_VERSION,
  KUBERNETES_VERSION,
  KWOK_VERSION,
  OPA_VERSION,
  PROMETHEUS_MODULE_VERSION,
  PROMETHEUS_OPERATOR_VERSION,
  PROMETHEUS_VERSION,
  PULUMI_VERSION,
  TOFU_VERSION,
  VELERO_VERSION,
  type ToolName,
} from './versions.js';

export interface BuildContext {
  /** A fresh module (`go mod init wrapper` done) to run `go get`/`go build` in. */
  wrapperDir: string;
  /** Binaries go here (a temp dir on the cache's filesystem). */
  outDir: string;
  /** Run `go` in the wrapper with the toolchain's build env; resolves to its stdout, throws on failure. */
  go(args: string[], extraEnv?: Record<string, string>): Promise<string>;
}

export interface Recipe {
  id: string;
  title: string;
  /** Binaries this recipe leaves in outDir (file name = tool name). */
  tools: ToolName[];
  /** A server only the project's own tests run (installed with `toolchain install --test-servers`). */
  forTests?: true;
  build(ctx: BuildContext): Promise<void>;
}

/** The env every go command runs with (static, reproducible, no VCS stamping). */
export const GO_BUILD_ENV = { CGO_ENABLED: '0', GOTOOLCHAIN: 'auto', GOFLAGS: '-buildvcs=false' } as const;

// ---- go.mod helpers (pure) ------------------------------------------------------------------------

/** Modules that k8s.io/kubernetes replaces with `./staging/...` (they are published as k8s.io/X v0.Y.Z). */
export function stagingModules(kubernetesGoMod: string): string[] {
  const out: string[] = [];
  for (const line of kubernetesGoMod.split('\n')) {
    const m = /^\s*(?:replace\s+)?(k8s\.io\/\S+)\s+=>\s+\.\/staging\//.exec(line);
    if (m) out.push(m[1]);
  }
  return out;
}

/** `godebug` lines (single or block form) that the wrapper must copy to build like upstream does. */
export function godebugDirectives(goMod: string): string {
  const block = /^godebug\s*\([\s\S]*?^\)/m.exec(goMod);
  if (block) return `${block[0]}\n`;
  return goMod
    .split('\n')
    .filter((l) => /^godebug\s/.test(l))
    .map((l) => `${l}\n`)
    .join('');
}

/** Every `replace` directive of a go.mod, one per line (`replace A => B`), block and single form. */
export function replaceDirectives(goMod: string): string[] {
  const out: string[] = [];
  for (const block of goMod.matchAll(/^replace\s*\(([\s\S]*?)^\)/gm)) {
    for (const raw of block[1].split('\n')) {
      const line = raw.trim();
      if (line && !line.startsWith('//')) out.push(`replace ${line}`);
    }
  }
  for (const single of goMod.matchAll(/^replace\s+([^(\s].*)$/gm)) out.push(`replace ${single[1].trim()}`);
  return out;
}

/** `-ldflags` that stamp the Kubernetes version into a binary (kwokctl reads it to pick flags). */
export function kubernetesLdflags(version = KUBERNETES_VERSION): string {
  const [major, minor] = version.replace(/^v/, '').split('.');
  return ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']
    .flatMap((pkg) => [`-X ${pkg}.gitVersion=${version}`, `-X ${pkg}.gitMajor=${major}`, `-X ${pkg}.gitMinor=${minor}`])
    .join(' ');
}

interface ModuleDownload {
  Dir?: string;
  GoMod?: string;
  Error?: string;
}

/** `go mod download -json module@version` → where the module's files and go.mod are. */
export async function downloadModule(ctx: Pick<BuildContext, 'go'>, moduleAtVersion: string): Promise<Required<Pick<ModuleDownload, 'Dir' | 'GoMod'>>> {
  const info = JSON.parse(await ctx.go(['mod', 'download', '-json', moduleAtVersion])) as ModuleDownload;
  if (info.Error || !info.Dir || !info.GoMod) throw new Error(`go mod download ${moduleAtVersion}: ${info.Error ?? 'no Dir/GoMod in answer'}`);
  return { Dir: info.Dir, GoMod: info.GoMod };
}

/**
 * What `velero install --dry-run -o json` prints, from the code behind that command (Velero's
 * pkg/install AllResources), with the options as JSON on stdin. A wrapper rather than the velero CLI:
 * the CLI links the whole server (kopia, every cloud SDK) and takes many times longer to build.
 */
export const VELERO_MANIFESTS_MAIN = `// velero-manifests prints what \`velero install --dry-run -o json\` prints, from Velero's own
// pkg/install (the code behind that command), with options read as JSON from stdin.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	corev1 "k8s.io/api/core/v1"
	"github.com/vmware-tanzu/velero/pkg/install"
)

type options struct {
	Namespace                 string                      \`json:"namespace"\`
	Image                     string                      \`json:"image"\`
	Provider                  string                      \`json:"provider"\`
	Plugins                   []string                    \`json:"plugins"\`
	UseNodeAgent              bool                        \`json:"useNodeAgent"\`
	ServiceAccountAnnotations map[string]string           \`json:"serviceAccountAnnotations"\`
	VeleroPodResources        corev1.ResourceRequirements \`json:"veleroPodResources"\`
	NodeAgentPodResources     corev1.ResourceRequirements \`json:"nodeAgentPodResources"\`
	UploaderType              string                      \`json:"uploaderType"\`
}

func main() {
	var o options
	if err := json.NewDecoder(os.Stdin).Decode(&o); err != nil {
		fmt.Fprintln(os.Stderr, "velero-manifests: options on stdin:", err)
		os.Exit(2)
	}
	vo := &install.VeleroOptions{
		Namespace:                 o.Namespace,
		Image:                     o.Image,
		ProviderName:              o.Provider,
		Plugins:                   o.Plugins,
		UseNodeAgent:              o.UseNodeAgent,
		ServiceAccountAnnotations: o.ServiceAccountAnnotations,
		VeleroPodResources:        o.VeleroPodResources,
		NodeAgentPodResources:     o.NodeAgentPodResources,
		UploaderType:              o.UploaderType,
		// The cluster stack owns the BackupStorageLocation; credentials come from workload identity.
		NoDefaultBackupLocation: true,
		UseVolumeSnapshots:      false,
		KubeletRootDir:          "/var/lib/kubelet",
	}
	list := install.AllResources(vo)
	out := make([]map[string]interface{}, 0, len(list.Items))
	for _, item := range list.Items {
		out = append(out, item.Object)
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
`;

/** `go build -trimpath [flags] [-ldflags …] -o <outDir>/<tool> <pkg>` in the recipe's wrapper module. */
function goBuild(ctx: BuildContext, pkg: string, tool: string, opts: { flags?: string[]; ldflags?: string } = {}): Promise<string> {
  return ctx.go(['build', '-trimpath', ...(opts.flags ?? []), ...(opts.ldflags ? ['-ldflags', opts.ldflags] : []), '-o', join(ctx.outDir, tool), pkg]);
}

// ---- the recipes ----------------------------------------------------------------------------------

const K8S_COMMANDS = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl'] as const;

export const RECIPES: Recipe[] = [
  {
    id: 'etcd',
    title: `etcd ${ETCD_VERSION}`,
    tools: ['etcd'],
    async build(ctx) {
      await ctx.go(['get', `go.etcd.io/etcd/server/v3@${ETCD_VERSION}`]);
      await goBuild(ctx, 'go.etcd.io/etcd/server/v3', 'etcd');
    },
  },
  {
    id: 'kwok',
    title: `kwok, kwokctl ${KWOK_VERSION}`,
    tools: ['kwok', 'kwokctl'],
    async build(ctx) {
      await ctx.go(['install', '-trimpath', `sigs.k8s.io/kwok/cmd/kwok@${KWOK_VERSION}`, `sigs.k8s.io/kwok/cmd/kwokctl@${KWOK_VERSION}`], {
        GOBIN: ctx.outDir,
      });
    },
  },
  {
    id: 'kubernetes',
    title: `kube-apiserver, kube-controller-manager, kube-scheduler, kubectl ${KUBERNETES_VERSION}`,
    tools: [...K8S_COMMANDS],
    async build(ctx) {
      const { GoMod } = await downloadModule(ctx, `k8s.io/kubernetes@${KUBERNETES_VERSION}`);
      const upstream = readFileSync(GoMod, 'utf8');
      const replaces = stagingModules(upstream).map((m) => `-replace=${m}=${m}@${KUBERNETES_STAGING_VERSION}`);
      await ctx.go(['mod', 'edit', `-require=k8s.io/kubernetes@${KUBERNETES_VERSION}`, ...replaces]);
      const godebug = godebugDirectives(upstream);
      if (godebug) appendFileSync(join(ctx.wrapperDir, 'go.mod'), `\n${godebug}`);
      // All four together: one `go get` at a time leaves go.sum gaps for the others.
      await ctx.go(['get', ...K8S_COMMANDS.map((c) => `k8s.io/kubernetes/cmd/${c}@${KUBERNETES_VERSION}`)]);
      for (const c of K8S_COMMANDS) {
        await goBuild(ctx, `k8s.io/kubernetes/cmd/${c}`, c, { ldflags: kubernetesLdflags() });
      }
    },
  },
  {
    id: 'tofu',
    title: `tofu ${TOFU_VERSION}`,
    tools: ['tofu'],
    async build(ctx) {
      const { GoMod } = await downloadModule(ctx, `github.com/opentofu/opentofu@${TOFU_VERSION}`);
      const replaces = replaceDirectives(readFileSync(GoMod, 'utf8'));
      if (replaces.length) appendFileSync(join(ctx.wrapperDir, 'go.mod'), `\n${replaces.join('\n')}\n`);
      await ctx.go(['get', `github.com/opentofu/opentofu/cmd/tofu@${TOFU_VERSION}`]);
      // dev=no: a release build, so `tofu version` says v1.12.6 rather than v1.12.6-dev (as upstream's release does).
      await goBuild(ctx, 'github.com/opentofu/opentofu/cmd/tofu', 'tofu', { ldflags: '-X github.com/opentofu/opentofu/version.dev=no' });
    },
  },
  {
    id: 'terraform-provider-kubectl',
    title: `terraform-provider-kubectl ${KUBECTL_PROVIDER_VERSION}`,
    tools: ['terraform-provider-kubectl'],
    async build(ctx) {
      await ctx.go(['install', '-trimpath', `github.com/gavinbunney/terraform-provider-kubectl@${KUBECTL_PROVIDER_VERSION}`], { GOBIN: ctx.outDir });
    },
  },
  {
    id: 'pulumi',
    title: `pulumi ${PULUMI_VERSION}`,
    tools: ['pulumi'],
    async build(ctx) {
      await ctx.go(['mod', 'edit', '-replace=github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e']);
      // The module paths: the proxy refuses `go get` of the cmd/pulumi package path.
      await ctx.go(['get', `github.com/pulumi/pulumi/pkg/v3@${PULUMI_VERSION}`, `github.com/pulumi/pulumi/sdk/v3@${PULUMI_VERSION}`]);
      await goBuild(ctx, 'github.com/pulumi/pulumi/pkg/v3/cmd/pulumi', 'pulumi', {
        flags: ['-mod=mod', '-tags', 'osusergo,grpcnotrace'],
        ldflags: `-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${PULUMI_VERSION}`,
      });
    },
  },
  {
    id: 'promtool',
    title: `promtool ${PROMETHEUS_VERSION}`,
    tools: ['promtool'],
    async build(ctx) {
      await ctx.go(['get', `github.com/prometheus/prometheus@${PROMETHEUS_MODULE_VERSION}`]);
      // Stamp the release so `promtool --version` can be checked like every other tool.
      await goBuild(ctx, 'github.com/prometheus/prometheus/cmd/promtool', 'promtool', {
        flags: ['-mod=mod'],
        ldflags: `-X github.com/prometheus/common/version.Version=${PROMETHEUS_VERSION}`,
      });
    },
  },
  {
    id: 'opa',
    title: `opa ${OPA_VERSION}`,
    tools: ['opa'],
    async build(ctx) {
      // The release tag's version/version.go already says the release: nothing to stamp.
      await ctx.go(['install', '-trimpath', `github.com/open-policy-agent/opa@${OPA_VERSION}`], { GOBIN: ctx.outDir });
    },
  },
  {
    id: 'helm',
    title: `helm ${HELM_VERSION}`,
    tools: ['helm'],
    async build(ctx) {
      await ctx.go(['get', `helm.sh/helm/v3@${HELM_VERSION}`]);
      // Stamp the release so `helm version` reports it, like upstream's release build does.
      await goBuild(ctx, 'helm.sh/helm/v3/cmd/helm', 'helm', { flags: ['-mod=mod'], ldflags: `-X helm.sh/helm/v3/internal/version.version=${HELM_VERSION}` });
    },
  },
  {
    id: 'velero-manifests',
    title: `velero-manifests (Velero ${VELERO_VERSION} pkg/install)`,
    tools: ['velero-manifests'],
    async build(ctx) {
      const { GoMod } = await downloadModule(ctx, `github.com/vmware-tanzu/velero@${VELERO_VERSION}`);
      const replaces = replaceDirectives(readFileSync(GoMod, 'utf8'));
      if (replaces.length) appendFileSync(join(ctx.wrapperDir, 'go.mod'), `\n${replaces.join('\n')}\n`);
      writeFileSync(join(ctx.wrapperDir, 'main.go'), VELERO_MANIFESTS_MAIN);
      await ctx.go(['get', `github.com/vmware-tanzu/velero@${VELERO_VERSION}`]);
      await ctx.go(['mod', 'tidy']);
      await goBuild(ctx, '.', 'velero-manifests');
    },
  },
  {
    id: 'prometheus-operator',
    title: `prometheus-operator ${PROMETHEUS_OPERATOR_VERSION} (run on the host by the local plane)`,
    tools: ['prometheus-operator'],
    async build(ctx) {
      // The module's own replace directives point into its tree (./pkg/apis/monitoring, ./pkg/client):
      // the wrapper takes those as the modules they are published as, at the same version.
      await ctx.go(['get', `github.com/prometheus-operator/prometheus-operator@${PROMETHEUS_OPERATOR_VERSION}`]);
      // The stamp is not cosmetic: the operator names its config-reloader sidecar image after it.
      await goBuild(ctx, 'github.com/prometheus-operator/prometheus-operator/cmd/operator', 'prometheus-operator', {
        flags: ['-mod=mod'],
        ldflags: `-X github.com/prometheus/common/version.Version=${PROMETHEUS_OPERATOR_VERSION.slice(1)}`,
      });
    },
  },
  {
    id: 'actionlint',
    title: `actionlint ${ACTIONLINT_VERSION}`,
    tools: ['actionlint'],
    async build(ctx) {
      // `go install` stamps the module version, which `actionlint --version` prints.
      await ctx.go(['install', '-trimpath', `github.com/rhysd/actionlint/cmd/actionlint@${ACTIONLINT_VERSION}`], { GOBIN: ctx.outDir });
    },
  },
  {
    id: 'fake-gcs-server',
    title: `fake-gcs-server ${FAKE_GCS_SERVER_VERSION} (GCS emulator for the state tests)`,
    tools: ['fake-gcs-server'],
    forTests: true,
    async build(ctx) {
      await ctx.go(['install', '-trimpath', `github.com/fsouza/fake-gcs-server@${FAKE_GCS_SERVER_VERSION}`], { GOBIN: ctx.outDir });
    },
  },
];
