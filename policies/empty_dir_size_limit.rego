# METADATA
# title: empty_dir_size_limit
# description: >-
#   emptyDir volumes have a sizeLimit: without one a pod can fill the node's disk and get every pod on
#   it evicted, not just itself.
# custom:
#   kinds: [Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, Pod]
package platform.empty_dir_size_limit

import data.platform.lib.kubernetes

deny contains msg if {
	some volume in object.get(kubernetes.pod_spec, "volumes", [])
	is_object(volume.emptyDir)
	not volume.emptyDir.sizeLimit
	msg := sprintf("emptyDir volume %s has no sizeLimit", [volume.name])
}
