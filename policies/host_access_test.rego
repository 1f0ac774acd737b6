package platform.host_access_test

import data.platform.host_access
import data.platform.lib.fixtures

test_plain_pod_passes if {
	count(host_access.deny) == 0 with input as fixtures.input_for(fixtures.deployment, [])
}

test_privileged_host_network_and_host_path_fail if {
	obj := fixtures.with_pod([
		{"op": "add", "path": "/hostNetwork", "value": true},
		{"op": "add", "path": "/containers/0/securityContext/privileged", "value": true},
		{"op": "add", "path": "/volumes/-", "value": {"name": "docker", "hostPath": {"path": "/var/run/docker.sock"}}},
		{"op": "add", "path": "/containers/0/ports", "value": [{"containerPort": 80, "hostPort": 80}]},
	])
	host_access.deny == {
		"container web is privileged",
		"the pod sets hostNetwork: true",
		"volume docker mounts a hostPath (/var/run/docker.sock)",
		"container web binds host port 80",
	} with input as fixtures.input_for(obj, [])
}

test_backup_node_agent_in_the_cluster_stack_passes if {
	count(host_access.deny) == 0 with input as fixtures.platform_input_for(fixtures.node_agent, "cluster")
}

test_node_agent_outside_the_cluster_stack_or_the_kubelet_dir_fails if {
	host_access.deny == {
		"volume host-pods mounts a hostPath (/var/lib/kubelet/pods)",
		"volume host-plugins mounts a hostPath (/var/lib/kubelet/plugins)",
	} with input as fixtures.input_for(fixtures.node_agent, [])
	elsewhere := json.patch(fixtures.node_agent, [{"op": "add", "path": "/spec/template/spec/volumes/-", "value": {"name": "etc", "hostPath": {"path": "/etc"}}}])
	host_access.deny == {"volume etc mounts a hostPath (/etc)"} with input as fixtures.platform_input_for(elsewhere, "cluster")
	privileged := json.patch(fixtures.node_agent, [{"op": "replace", "path": "/spec/template/spec/containers/0/securityContext/privileged", "value": true}])
	host_access.deny == {"container node-agent is privileged"} with input as fixtures.platform_input_for(privileged, "cluster")
}
