package platform.non_root_test

import data.platform.lib.fixtures
import data.platform.non_root

test_numeric_non_root_user_passes if {
	count(non_root.deny) == 0 with input as fixtures.input_for(fixtures.deployment, [])
}

test_pod_level_settings_count if {
	obj := fixtures.with_container([{"op": "remove", "path": "/securityContext/runAsUser"}, {"op": "remove", "path": "/securityContext/runAsGroup"}])
	count(non_root.deny) == 0 with input as fixtures.input_for(obj, [])
}

test_root_user_fails if {
	obj := fixtures.with_container([{"op": "replace", "path": "/securityContext/runAsUser", "value": 0}])
	non_root.deny == {"container web has no numeric, non-zero runAsUser"} with input as fixtures.input_for(obj, [])
}

test_missing_group_and_non_root_fail if {
	obj := fixtures.with_pod([
		{"op": "remove", "path": "/securityContext"},
		{"op": "remove", "path": "/containers/0/securityContext/runAsGroup"},
		{"op": "remove", "path": "/containers/0/securityContext/runAsNonRoot"},
	])
	non_root.deny == {"container web has no numeric, non-zero runAsGroup", "container web does not set runAsNonRoot: true"} with input as fixtures.input_for(obj, [])
}

test_backup_node_agent_in_the_cluster_stack_passes if {
	count(non_root.deny) == 0 with input as fixtures.platform_input_for(fixtures.node_agent, "cluster")
}

test_root_outside_the_node_agent_fails if {
	non_root.deny == {
		"container node-agent does not set runAsNonRoot: true",
		"container node-agent has no numeric, non-zero runAsUser",
		"container node-agent has no numeric, non-zero runAsGroup",
	} with input as fixtures.platform_input_for(fixtures.node_agent, "mesh")
	renamed := json.patch(fixtures.node_agent, [{"op": "replace", "path": "/metadata/name", "value": "agent"}])
	count(non_root.deny) == 3 with input as fixtures.platform_input_for(renamed, "cluster")
}
