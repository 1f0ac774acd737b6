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
