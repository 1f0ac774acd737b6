# METADATA
# title: probes
# description: >-
#   Every serving container has a readiness and a liveness probe, and they differ: readiness takes a
#   pod out of the load balancer, liveness restarts it; an identical pair restarts pods that were only
#   slow.
# custom:
#   kinds: [Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, Pod]
package platform.probes

import data.platform.lib.kubernetes

deny contains msg if {
	some container in kubernetes.containers
	some probe in ["readinessProbe", "livenessProbe"]
	not container[probe]
	msg := sprintf("container %s has no %s", [container.name, probe])
}

deny contains msg if {
	some container in kubernetes.containers
	container.readinessProbe == container.livenessProbe
	msg := sprintf("container %s has identical readiness and liveness probes; make liveness more tolerant (period, threshold) or check something else", [container.name])
}
