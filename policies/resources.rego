# METADATA
# title: resources
# description: >-
#   Every container requests and limits cpu, memory and ephemeral storage: the scheduler places it by
#   its requests, the limits keep a runaway process from starving its neighbours (and the node's disk).
# custom:
#   kinds: [Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, Pod]
package platform.resources

import data.platform.lib.kubernetes

deny contains msg if {
	some container in kubernetes.all_containers
	some kind in ["requests", "limits"]
	some resource in ["cpu", "memory", "ephemeral-storage"]
	not container.resources[kind][resource]
	msg := sprintf("container %s has no %s %s", [container.name, resource, trim_suffix(kind, "s")])
}
