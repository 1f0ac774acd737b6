# METADATA
# title: no_privilege_escalation
# description: >-
#   allowPrivilegeEscalation: false, explicitly (it defaults to true): no setuid binary or file
#   capability can raise a process's privileges above its parent's.
# custom:
#   kinds: [Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, Pod]
package platform.no_privilege_escalation

import data.platform.lib.kubernetes

deny contains msg if {
	some container in kubernetes.all_containers
	not container.securityContext.allowPrivilegeEscalation == false
	msg := sprintf("container %s does not set allowPrivilegeEscalation: false", [container.name])
}
