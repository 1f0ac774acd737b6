package platform.lib.kubernetes_test

import data.platform.lib.kubernetes

test_pod_spec_of_each_workload_kind if {
	kubernetes.pod_spec == {"a": 1} with input as {"object": {"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"template": {"spec": {"a": 1}}}}}
	kubernetes.pod_spec == {"a": 2} with input as {"object": {"apiVersion": "batch/v1", "kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": {"spec": {"a": 2}}}}}}}
	kubernetes.pod_spec == {"a": 3} with input as {"object": {"apiVersion": "v1", "kind": "Pod", "spec": {"a": 3}}}
}

test_cloud_resources_have_no_pod_spec if {
	not kubernetes.pod_spec with input as {"object": {"kind": "aws_eks_cluster", "name": "cluster", "values": {}}}
}

test_effective_prefers_the_container if {
	pod := {"apiVersion": "v1", "kind": "Pod", "spec": {"securityContext": {"runAsUser": 1}}}
	kubernetes.effective({"securityContext": {"runAsUser": 2}}, "runAsUser") == 2 with input as {"object": pod}
	kubernetes.effective({}, "runAsUser") == 1 with input as {"object": pod}
}
