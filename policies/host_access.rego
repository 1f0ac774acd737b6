# METADATA
# title: host_access
# description: >-
#   No privileged containers, host namespaces, host ports or hostPath volumes: each one is a way out of
#   the container onto the node, and from the node to every other tenant's pods. The one exception:
#   Velero's node agent (cluster stack) mounts the kubelet's directories to back up pods' volumes.
# custom:
#   kinds: [Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, Pod]
package platform.host_access

import data.platform.lib.kubernetes

deny contains msg if {
	some container in kubernetes.all_containers
	container.securityContext.privileged == true
	msg := sprintf("container %s is privileged", [container.name])
}

deny contains msg if {
	some field in ["hostNetwork", "hostPID", "hostIPC"]
	kubernetes.pod_spec[field] == true
	msg := sprintf("the pod sets %s: true", [field])
}

deny contains msg if {
	some volume in object.get(kubernetes.pod_spec, "volumes", [])
	volume.hostPath
	not kubernetes.backup_node_agent_volume(volume)
	msg := sprintf("volume %s mounts a hostPath (%s)", [volume.name, volume.hostPath.path])
}

deny contains msg if {
	some container in kubernetes.all_containers
	some port in object.get(container, "ports", [])
	port.hostPort
	msg := sprintf("container %s binds host port %d", [container.name, port.hostPort])
}
