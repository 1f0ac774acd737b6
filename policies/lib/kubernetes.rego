# Helpers the built-in workload policies share, about the object being checked (`input.object`): its
# pod spec whatever the workload kind, its containers, a container's effective security settings. Rules
# rather than functions, so OPA computes them once per object for every policy that asks.
package platform.lib.kubernetes

workload_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"}

pod_spec := input.object.spec.template.spec if {
	input.object.apiVersion
	input.object.kind in workload_kinds
}

pod_spec := input.object.spec.jobTemplate.spec.template.spec if {
	input.object.apiVersion
	input.object.kind == "CronJob"
}

pod_spec := input.object.spec if {
	input.object.apiVersion
	input.object.kind == "Pod"
}

# The pod's metadata (labels, annotations): the template's for workloads, the object's own for a Pod.
pod_metadata := object.get(input.object, ["spec", "template", "metadata"], {}) if input.object.kind in workload_kinds

pod_metadata := object.get(input.object, ["spec", "jobTemplate", "spec", "template", "metadata"], {}) if input.object.kind == "CronJob"

pod_metadata := input.object.metadata if input.object.kind == "Pod"

# Every container, init containers included (what a policy on images or privileges checks).
all_containers := array.concat(object.get(pod_spec, "containers", []), object.get(pod_spec, "initContainers", []))

# The containers that serve (probes apply to them).
containers := object.get(pod_spec, "containers", [])

# A security setting as the kubelet sees it: the container's, else the pod's.
effective(container, key) := container.securityContext[key]

effective(container, key) := pod_spec.securityContext[key] if not has_key(object.get(container, "securityContext", {}), key)

has_key(o, key) if _ = o[key]

# The stack's objects of a kind in a namespace.
objects_in(kind, namespace) := [o | some o in input.objects; o.kind == kind; object.get(o.metadata, "namespace", "") == namespace]

# The platform's own control planes: the stacks `platform` generates for a region's cluster, mesh and
# observability — never a tenant's or an app's. A built-in policy names each exception it makes for
# them, as narrowly as the component needs (docs/policy.md "Control-plane exceptions").
control_plane_stack if input.stack.layer in {"cluster", "mesh", "observability"}

# Velero's node agent (the cluster stack's DaemonSet velero/node-agent): it reads other pods' volumes
# from the node for file-system backups, so its container runs as root, with the kubelet's directories
# mounted from the host. By design in Velero; nothing else gets that.
backup_node_agent_container(container) if {
	input.stack.layer == "cluster"
	input.object.kind == "DaemonSet"
	input.object.metadata.namespace == "velero"
	input.object.metadata.name == "node-agent"
	container.name == "node-agent"
}

# A hostPath of the node agent under the kubelet's directory (pods' volumes, CSI plugins).
backup_node_agent_volume(volume) if {
	some container in containers
	backup_node_agent_container(container)
	startswith(volume.hostPath.path, "/var/lib/kubelet/")
}
