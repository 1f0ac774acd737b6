# No privileged containers, host namespaces, host ports or hostPath volumes: each one is a way out of
# the container onto the node, and from the node to every other tenant's pods.
package platform.host_access

import data.platform.lib.kubernetes

deny contains msg if {
	some container in kubernetes.all_containers(input.object)
	container.securityContext.privileged == true
	msg := sprintf("container %s is privileged", [container.name])
}

deny contains msg if {
	some field in ["hostNetwork", "hostPID", "hostIPC"]
	kubernetes.pod_spec(input.object)[field] == true
	msg := sprintf("the pod sets %s: true", [field])
}

deny contains msg if {
	some volume in object.get(kubernetes.pod_spec(input.object), "volumes", [])
	volume.hostPath
	msg := sprintf("volume %s mounts a hostPath (%s)", [volume.name, volume.hostPath.path])
}

deny contains msg if {
	some container in kubernetes.all_containers(input.object)
	some port in object.get(container, "ports", [])
	port.hostPort
	msg := sprintf("container %s binds host port %d", [container.name, port.hostPort])
}
