# METADATA
# title: read_only_root_fs
# description: >-
#   A read-only root filesystem: nothing an attacker (or a bug) writes survives a restart or hides in
#   the image's binaries; scratch space is an emptyDir with a size limit.
# custom:
#   kinds: [Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, Pod]
package platform.read_only_root_fs

import data.platform.lib.kubernetes

deny contains msg if {
	some container in kubernetes.all_containers
	not container.securityContext.readOnlyRootFilesystem == true
	msg := sprintf("container %s does not set readOnlyRootFilesystem: true", [container.name])
}
