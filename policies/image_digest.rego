# METADATA
# title: image_digest
# description: >-
#   Advisory: images pinned by digest (`image@sha256:…`) run exactly the bytes that were scanned and
#   reviewed; a tag can be moved. Advisory because tags are how most teams release.
# custom:
#   kinds: [Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, Pod]
package platform.image_digest

import data.platform.lib.kubernetes

warn contains msg if {
	some container in kubernetes.all_containers
	not contains(container.image, "@sha256:")
	msg := sprintf("container %s runs %s by tag, not by digest", [container.name, container.image])
}
