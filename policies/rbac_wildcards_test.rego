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

admin_binding(subjects) := {
	"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": {"name": "velero"},
	"roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"},
	"subjects": subjects,
}

velero_sa := [{"kind": "ServiceAccount", "name": "velero", "namespace": "velero"}]

test_velero_server_bound_to_cluster_admin_in_the_cluster_stack_passes if {
	count(rbac_wildcards.deny) == 0 with input as fixtures.platform_input_for(admin_binding(velero_sa), "cluster")
}

test_other_cluster_admin_bindings_fail if {
	msg := {"ClusterRoleBinding velero binds cluster-admin (grants * on every resource)"}
	rbac_wildcards.deny == msg with input as fixtures.input_for(admin_binding(velero_sa), [])
	rbac_wildcards.deny == msg with input as fixtures.platform_input_for(admin_binding(velero_sa), "mesh")
	extra := array.concat(velero_sa, [{"kind": "ServiceAccount", "name": "default", "namespace": "team"}])
	rbac_wildcards.deny == msg with input as fixtures.platform_input_for(admin_binding(extra), "cluster")
	rb := json.patch(admin_binding(velero_sa), [{"op": "replace", "path": "/kind", "value": "RoleBinding"}, {"op": "add", "path": "/metadata/namespace", "value": "team"}])
	rbac_wildcards.deny == {"RoleBinding velero binds cluster-admin (grants * on every resource)"} with input as fixtures.platform_input_for(rb, "cluster")
}

test_bindings_to_other_roles_pass if {
	view := json.patch(admin_binding(velero_sa), [{"op": "replace", "path": "/roleRef/name", "value": "view"}])
	count(rbac_wildcards.deny) == 0 with input as fixtures.input_for(view, [])
}
