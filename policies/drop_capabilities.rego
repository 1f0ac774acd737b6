# METADATA
# title: drop_capabilities
# description: >-
#   Containers drop every Linux capability and add back at most NET_BIND_SERVICE (what Pod Security
#   `restricted` allows): a web service needs none of the others. Velero's node agent (cluster stack)
#   keeps root's default set to read other pods' files; it adds none.
# custom:
#   kinds: [Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, Pod]
package platform.drop_capabilities

import data.platform.lib.kubernetes

deny contains msg if {
	some container in kubernetes.all_containers
	not kubernetes.backup_node_agent_container(container)
	not "ALL" in object.get(container, ["securityContext", "capabilities", "drop"], [])
	msg := sprintf("container %s does not drop ALL capabilities", [container.name])
}

deny contains msg if {
	some container in kubernetes.all_containers
	some added in object.get(container, ["securityContext", "capabilities", "add"], [])
	added != "NET_BIND_SERVICE"
	msg := sprintf("container %s adds capability %s", [container.name, added])
}
