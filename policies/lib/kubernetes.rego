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
