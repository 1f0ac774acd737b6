package platform.no_privilege_escalation_test

import data.platform.lib.fixtures
import data.platform.no_privilege_escalation

test_explicit_false_passes if {
	count(no_privilege_escalation.deny) == 0 with input as fixtures.input_for(fixtures.deployment, [])
}

test_unset_fails if {
	obj := fixtures.with_container([{"op": "remove", "path": "/securityContext/allowPrivilegeEscalation"}])
	no_privilege_escalation.deny == {"container web does not set allowPrivilegeEscalation: false"} with input as fixtures.input_for(obj, [])
}
