# METADATA
# title: no_latest
# description: >-
#   Images name a version: `:latest` (or no tag) means a restart or a new node can run different code
#   than the one that was reviewed, and a rollback has nothing to roll back to.
# custom:
#   kinds: [Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, Pod]
package platform.no_latest

import data.platform.lib.kubernetes

deny contains msg if {
	some container in kubernetes.all_containers
	not contains(container.image, "@")
	tag := image_tag(container.image)
	tag in {"", "latest"}
	msg := sprintf("container %s runs %s: pin a version tag (or a digest)", [container.name, container.image])
}

# The tag of a reference without a digest ("" when none); a registry port is not a tag.
image_tag(image) := "" if not contains(last_segment(image), ":")

image_tag(image) := split(last_segment(image), ":")[1] if contains(last_segment(image), ":")

last_segment(image) := parts[count(parts) - 1] if parts := split(image, "/")
