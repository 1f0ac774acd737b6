# METADATA
# title: non_root
# description: >-
#   Containers run as a numeric, non-zero user and group: `runAsNonRoot` alone lets an image whose USER
#   is a name (or unset) fail at start, and a container running as root owns whatever it can reach.
#   The one exception: Velero's node agent (cluster stack) reads other pods' volumes as root.
# custom:
#   kinds: [Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, Pod]
package platform.non_root

import data.platform.lib.kubernetes

deny contains msg if {
	some container in kubernetes.all_containers
	not kubernetes.backup_node_agent_container(container)
	not runs_as_non_root(container)
	msg := sprintf("container %s does not set runAsNonRoot: true", [container.name])
}

deny contains msg if {
	some container in kubernetes.all_containers
	not kubernetes.backup_node_agent_container(container)
	some key in ["runAsUser", "runAsGroup"]
	not numeric_non_zero(container, key)
	msg := sprintf("container %s has no numeric, non-zero %s", [container.name, key])
}

# (Helpers, not nested calls under `not`: an undefined argument would make the whole rule undefined.)
runs_as_non_root(container) if kubernetes.effective(container, "runAsNonRoot") == true

numeric_non_zero(container, key) if {
	v := kubernetes.effective(container, key)
	is_number(v)
	v > 0
}
