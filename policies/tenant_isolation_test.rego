package platform.tenant_isolation_test

import data.platform.lib.fixtures
import data.platform.tenant_isolation

test_fenced_namespace_passes if {
	count(tenant_isolation.deny) == 0 with input as fixtures.input_for(fixtures.namespace, fixtures.tenant_objects)
}

test_other_namespaces_are_not_tenants if {
	ns := json.remove(fixtures.namespace, ["metadata/labels"])
	count(tenant_isolation.deny) == 0 with input as fixtures.input_for(ns, [ns])
}

test_bare_namespace_fails if {
	tenant_isolation.deny == {
		"tenant namespace team has no ResourceQuota",
		"tenant namespace team has no LimitRange",
		"tenant namespace team has no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)",
	} with input as fixtures.input_for(fixtures.namespace, [fixtures.namespace])
}

test_a_policy_with_rules_is_not_default_deny if {
	allow := json.patch(fixtures.default_deny, [{"op": "add", "path": "/spec/ingress", "value": [{}]}])
	count(tenant_isolation.deny) == 1 with input as fixtures.input_for(fixtures.namespace, [fixtures.namespace, fixtures.quota, fixtures.limits, allow])
}
