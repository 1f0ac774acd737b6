package platform.rbac_wildcards_test

import data.platform.lib.fixtures
import data.platform.rbac_wildcards

role(rules) := {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "dev", "namespace": "team"}, "rules": rules}

test_explicit_rules_pass if {
	r := role([{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]}])
	count(rbac_wildcards.deny) == 0 with input as fixtures.input_for(r, [])
}

test_wildcards_and_escalation_fail if {
	r := role([{"apiGroups": ["*"], "resources": ["*"], "verbs": ["get", "bind"]}])
	rbac_wildcards.deny == {"Role dev grants * in apiGroups", "Role dev grants * in resources", "Role dev grants the bind verb"} with input as fixtures.input_for(r, [])
}
