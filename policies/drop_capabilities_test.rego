package platform.drop_capabilities_test

import data.platform.drop_capabilities
import data.platform.lib.fixtures

test_drop_all_passes if {
	count(drop_capabilities.deny) == 0 with input as fixtures.input_for(fixtures.deployment, [])
}

test_net_bind_service_is_allowed if {
	obj := fixtures.with_container([{"op": "add", "path": "/securityContext/capabilities/add", "value": ["NET_BIND_SERVICE"]}])
	count(drop_capabilities.deny) == 0 with input as fixtures.input_for(obj, [])
}

test_keeping_capabilities_fails if {
	obj := fixtures.with_container([
		{"op": "replace", "path": "/securityContext/capabilities/drop", "value": ["NET_RAW"]},
		{"op": "add", "path": "/securityContext/capabilities/add", "value": ["SYS_ADMIN"]},
	])
	drop_capabilities.deny == {"container web does not drop ALL capabilities", "container web adds capability SYS_ADMIN"} with input as fixtures.input_for(obj, [])
}

test_backup_node_agent_in_the_cluster_stack_passes if {
	count(drop_capabilities.deny) == 0 with input as fixtures.platform_input_for(fixtures.node_agent, "cluster")
}

test_node_agent_in_a_tenant_stack_or_adding_capabilities_fails if {
	drop_capabilities.deny == {"container node-agent does not drop ALL capabilities"} with input as fixtures.input_for(fixtures.node_agent, [])
	adds := json.patch(fixtures.node_agent, [{"op": "add", "path": "/spec/template/spec/containers/0/securityContext/capabilities", "value": {"add": ["SYS_ADMIN"]}}])
	drop_capabilities.deny == {"container node-agent adds capability SYS_ADMIN"} with input as fixtures.platform_input_for(adds, "cluster")
}
