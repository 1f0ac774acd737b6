# METADATA
# title: service_account
# description: >-
#   Each workload runs as its own ServiceAccount and gets no Kubernetes API token unless it asks for
#   one (`apiAccess: true` in platform.yaml, which marks the pod with platform.dev/api-access: "true"):
#   a stolen token of the namespace's `default` account is a foothold in the API for every pod that
#   mounts it.
# custom:
#   kinds: [Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, Pod]
package platform.service_account

import data.platform.lib.kubernetes

deny contains msg if {
	spec := kubernetes.pod_spec
	object.get(spec, "serviceAccountName", "default") == "default"
	msg := "the pod runs as the namespace's default ServiceAccount; give the workload its own"
}

deny contains msg if {
	spec := kubernetes.pod_spec
	not spec.automountServiceAccountToken == false
	not object.get(kubernetes.pod_metadata, ["annotations", "platform.dev/api-access"], "") == "true"
	msg := "the pod mounts a Kubernetes API token it did not ask for: set automountServiceAccountToken: false (or apiAccess: true on the service)"
}
