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
