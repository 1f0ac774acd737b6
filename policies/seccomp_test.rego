package platform.seccomp_test

import data.platform.lib.fixtures
import data.platform.seccomp

test_runtime_default_passes if {
	count(seccomp.deny) == 0 with input as fixtures.input_for(fixtures.deployment, [])
}

test_unconfined_fails if {
	obj := fixtures.with_container([{"op": "replace", "path": "/securityContext/seccompProfile/type", "value": "Unconfined"}])
	seccomp.deny == {"container web has no RuntimeDefault or Localhost seccomp profile"} with input as fixtures.input_for(obj, [])
}

test_no_profile_anywhere_fails if {
	obj := fixtures.with_pod([{"op": "remove", "path": "/securityContext/seccompProfile"}, {"op": "remove", "path": "/containers/0/securityContext/seccompProfile"}])
	count(seccomp.deny) == 1 with input as fixtures.input_for(obj, [])
}
