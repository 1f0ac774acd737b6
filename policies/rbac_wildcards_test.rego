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

watcher(rules) := {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "istiod"}, "rules": rules}

test_control_plane_reading_its_api_groups_passes if {
	r := watcher([{"apiGroups": ["networking.istio.io", "gateway.networking.k8s.io"], "resources": ["*"], "verbs": ["get", "list", "watch"]}])
	count(rbac_wildcards.deny) == 0 with input as fixtures.platform_input_for(r, "mesh")
}

test_control_plane_wildcards_beyond_reading_named_groups_fail if {
	reads := [{"apiGroups": ["networking.istio.io"], "resources": ["*"], "verbs": ["get", "list", "watch"]}]
	rbac_wildcards.deny == {"ClusterRole istiod grants * in resources"} with input as fixtures.input_for(watcher(reads), [])
	writes := [{"apiGroups": ["networking.istio.io"], "resources": ["*"], "verbs": ["get", "update"]}]
	rbac_wildcards.deny == {"ClusterRole istiod grants * in resources"} with input as fixtures.platform_input_for(watcher(writes), "mesh")
	core := [{"apiGroups": [""], "resources": ["*"], "verbs": ["get"]}]
	rbac_wildcards.deny == {"ClusterRole istiod grants * in resources"} with input as fixtures.platform_input_for(watcher(core), "observability")
	any_group := [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["list"]}]
	rbac_wildcards.deny == {"ClusterRole istiod grants * in apiGroups", "ClusterRole istiod grants * in resources"} with input as fixtures.platform_input_for(watcher(any_group), "mesh")
	all_verbs := [{"apiGroups": ["apps"], "resources": ["statefulsets"], "verbs": ["*"]}]
	rbac_wildcards.deny == {"ClusterRole istiod grants * in verbs"} with input as fixtures.platform_input_for(watcher(all_verbs), "observability")
}
