# Helpers the built-in workload policies share: the pod spec of any workload kind, its containers,
# and a container's effective security settings (the container's own, else the pod's).
package platform.lib.kubernetes

workload_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"}

is_kubernetes(obj) if obj.apiVersion

pod_spec(obj) := obj.spec.template.spec if {
	is_kubernetes(obj)
	obj.kind in workload_kinds
}

pod_spec(obj) := obj.spec.jobTemplate.spec.template.spec if {
	is_kubernetes(obj)
	obj.kind == "CronJob"
}

pod_spec(obj) := obj.spec if {
	is_kubernetes(obj)
	obj.kind == "Pod"
}

# The pod's metadata (labels, annotations): the template's for workloads, the object's own for a Pod.
pod_metadata(obj) := object.get(obj, ["spec", "template", "metadata"], {}) if obj.kind in workload_kinds

pod_metadata(obj) := object.get(obj, ["spec", "jobTemplate", "spec", "template", "metadata"], {}) if obj.kind == "CronJob"

pod_metadata(obj) := obj.metadata if obj.kind == "Pod"

# Every container of a workload, init containers included (what a policy on images or privileges checks).
all_containers(obj) := array.concat(object.get(pod_spec(obj), "containers", []), object.get(pod_spec(obj), "initContainers", []))

# The containers that serve (probes and resources apply to them).
containers(obj) := object.get(pod_spec(obj), "containers", [])

# A security setting as the kubelet sees it: the container's, else the pod's.
effective(_, container, key) := container.securityContext[key]

effective(obj, container, key) := pod_spec(obj).securityContext[key] if not has_key(object.get(container, "securityContext", {}), key)

has_key(o, key) if _ = o[key]

# The stack's objects of a kind in a namespace.
objects_in(kind, namespace) := [o | some o in input.objects; o.kind == kind; object.get(o.metadata, "namespace", "") == namespace]
