package platform.resources_test

import data.platform.lib.fixtures
import data.platform.resources

test_requests_and_limits_pass if {
	count(resources.deny) == 0 with input as fixtures.input_for(fixtures.deployment, [])
}

test_missing_ephemeral_storage_limit_fails if {
	obj := fixtures.with_container([{"op": "remove", "path": "/resources/limits/ephemeral-storage"}])
	resources.deny == {"container web has no ephemeral-storage limit"} with input as fixtures.input_for(obj, [])
}

test_missing_requests_fail if {
	obj := fixtures.with_container([{"op": "remove", "path": "/resources/requests"}])
	count(resources.deny) == 3 with input as fixtures.input_for(obj, [])
}
