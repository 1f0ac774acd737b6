package platform.service_account_test

import data.platform.lib.fixtures
import data.platform.service_account

test_own_account_without_token_passes if {
	count(service_account.deny) == 0 with input as fixtures.input_for(fixtures.deployment, [])
}

test_token_asked_for_passes if {
	obj := json.patch(fixtures.with_pod([{"op": "replace", "path": "/automountServiceAccountToken", "value": true}]), [{"op": "add", "path": "/spec/template/metadata/annotations", "value": {"platform.dev/api-access": "true"}}])
	count(service_account.deny) == 0 with input as fixtures.input_for(obj, [])
}

test_default_account_with_token_fails if {
	obj := fixtures.with_pod([{"op": "remove", "path": "/serviceAccountName"}, {"op": "remove", "path": "/automountServiceAccountToken"}])
	count(service_account.deny) == 2 with input as fixtures.input_for(obj, [])
}
