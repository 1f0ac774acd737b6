package platform.probes_test

import data.platform.lib.fixtures
import data.platform.probes

test_distinct_probes_pass if {
	count(probes.deny) == 0 with input as fixtures.input_for(fixtures.deployment, [])
}

test_missing_liveness_fails if {
	obj := fixtures.with_container([{"op": "remove", "path": "/livenessProbe"}])
	probes.deny == {"container web has no livenessProbe"} with input as fixtures.input_for(obj, [])
}

test_identical_probes_fail if {
	obj := fixtures.with_container([{"op": "replace", "path": "/livenessProbe", "value": fixtures.container.readinessProbe}])
	count(probes.deny) == 1 with input as fixtures.input_for(obj, [])
}
