# Objects the policy tests start from: a Deployment that meets every workload policy (what the app
# stack generates), a tenant stack that meets the tenant policies. Tests patch them to fail one rule.
package platform.lib.fixtures

container := {
	"name": "web",
	"image": "ghcr.io/acme/web:1.0.0",
	"resources": {
		"requests": {"cpu": "100m", "memory": "128Mi", "ephemeral-storage": "1Gi"},
		"limits": {"cpu": "100m", "memory": "128Mi", "ephemeral-storage": "1Gi"},
	},
	"readinessProbe": {"tcpSocket": {"port": "http"}, "periodSeconds": 10},
	"livenessProbe": {"tcpSocket": {"port": "http"}, "periodSeconds": 20, "initialDelaySeconds": 10},
	"securityContext": {
		"runAsNonRoot": true,
		"runAsUser": 65532,
		"runAsGroup": 65532,
		"readOnlyRootFilesystem": true,
		"allowPrivilegeEscalation": false,
		"capabilities": {"drop": ["ALL"]},
		"seccompProfile": {"type": "RuntimeDefault"},
	},
	"volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
}

pod_spec := {
	"serviceAccountName": "web",
	"automountServiceAccountToken": false,
	"securityContext": {"runAsNonRoot": true, "runAsUser": 65532, "runAsGroup": 65532, "seccompProfile": {"type": "RuntimeDefault"}},
	"containers": [container],
	"volumes": [{"name": "tmp", "emptyDir": {"sizeLimit": "256Mi"}}],
}

deployment := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "web", "namespace": "team"},
	"spec": {"template": {"metadata": {"labels": {"app": "web"}}, "spec": pod_spec}},
}

# The Deployment with its (only) container changed by `patch` (JSON patch operations relative to the container).
with_container(patch) := json.patch(deployment, [op |
	some p in patch
	op := object.union(p, {"path": concat("", ["/spec/template/spec/containers/0", p.path])})
])

# The Deployment with its pod spec changed by `patch` (paths relative to the pod spec).
with_pod(patch) := json.patch(deployment, [op |
	some p in patch
	op := object.union(p, {"path": concat("", ["/spec/template/spec", p.path])})
])

namespace := {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team", "labels": {"platform.dev/tenant": "team"}}}

quota := {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "tenant-quota", "namespace": "team"}, "spec": {"hard": {"limits.cpu": "2"}}}

limits := {"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "tenant-limits", "namespace": "team"}, "spec": {"limits": [{"type": "Container"}]}}

default_deny := {
	"apiVersion": "networking.k8s.io/v1",
	"kind": "NetworkPolicy",
	"metadata": {"name": "default-deny", "namespace": "team"},
	"spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]},
}

tenant_objects := [namespace, quota, limits, default_deny]

# `input` for one object of a stack.
input_for(obj, objects) := {"object": obj, "objects": objects, "stack": {"id": "tenant/eu/team", "layer": "tenant", "region": "eu", "cloud": "local", "tenant": "team"}}

# `input` for one object of one of the platform's own stacks (`layer`: cluster, mesh, observability).
platform_input_for(obj, layer) := {"object": obj, "objects": [], "stack": {"id": concat("/", [layer, "eu"]), "layer": layer, "region": "eu", "cloud": "local"}}

# Velero's node agent as the cluster stack installs it (Velero's install code, hardened): root, the
# kubelet's pod and plugin directories from the host, no privileged mode.
node_agent := {
	"apiVersion": "apps/v1",
	"kind": "DaemonSet",
	"metadata": {"name": "node-agent", "namespace": "velero"},
	"spec": {"template": {"metadata": {"labels": {"name": "node-agent"}}, "spec": {
		"serviceAccountName": "velero",
		"securityContext": {"runAsUser": 0, "seccompProfile": {"type": "RuntimeDefault"}},
		"containers": [{
			"name": "node-agent",
			"image": "docker.io/velero/velero:v1.18.3",
			"securityContext": {"privileged": false, "allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true, "seccompProfile": {"type": "RuntimeDefault"}},
		}],
		"volumes": [
			{"name": "host-pods", "hostPath": {"path": "/var/lib/kubelet/pods"}},
			{"name": "host-plugins", "hostPath": {"path": "/var/lib/kubelet/plugins"}},
		],
	}}},
}
