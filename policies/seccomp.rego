# METADATA
# title: seccomp
# description: >-
#   A seccomp profile (RuntimeDefault or a Localhost one) on every container: the kernel refuses the
#   system calls a container has no business making. Unconfined is the runtime's default on Kubernetes.
# custom:
#   kinds: [Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, Pod]
package platform.seccomp

import data.platform.lib.kubernetes

deny contains msg if {
	some container in kubernetes.all_containers
	not confined(container)
	msg := sprintf("container %s has no RuntimeDefault or Localhost seccomp profile", [container.name])
}

confined(container) if kubernetes.effective(container, "seccompProfile").type in {"RuntimeDefault", "Localhost"}
