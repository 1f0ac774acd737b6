# METADATA
# title: rbac_wildcards
# description: >-
#   RBAC rules list what they grant: no `*` verbs or resources (they silently grow with every new API),
#   and no escalate, bind or impersonate (each lets the holder grant itself more than it was given).
#   A binding to cluster-admin is the same `*` on everything, so bindings are checked too.
#   The exceptions: a control-plane stack may read (get/list/watch) every resource of named API groups,
#   and Velero's server (cluster stack) is bound to cluster-admin, as Velero installs it.
# custom:
#   kinds: [Role, ClusterRole, RoleBinding, ClusterRoleBinding]
package platform.rbac_wildcards

import data.platform.lib.kubernetes

# Most roles grant neither: one search of the rules' JSON (in Go) spares them the walk over every
# rule and verb, the bulk of the pack's time on an estate of a thousand Roles.
rules_text := json.marshal(object.get(input.object, "rules", []))

deny contains msg if {
	input.object.kind in {"Role", "ClusterRole"}
	contains(rules_text, `"*"`)
	some rule in input.object.rules
	rule[field][_] == "*"
	field in {"verbs", "resources", "apiGroups"}
	not control_plane_watch(rule, field)
	msg := sprintf("%s %s grants * in %s", [input.object.kind, input.object.metadata.name, field])
}

# A control plane reads every resource of the API groups it serves, including those a later release
# adds (istiod: Istio's groups and the Gateway API's). Allowed only in the platform's control-plane
# stacks, only for get/list/watch, only over named groups (never the core group, never `*`).
control_plane_watch(rule, "resources") if {
	kubernetes.control_plane_stack
	every verb in rule.verbs {
		verb in {"get", "list", "watch"}
	}
	count(rule.apiGroups) > 0
	every group in rule.apiGroups {
		not group in {"", "*"}
	}
}

deny contains msg if {
	input.object.kind in {"Role", "ClusterRole"}
	regex.match(`"(escalate|bind|impersonate)"`, rules_text)
	verb := input.object.rules[_].verbs[_]
	verb in {"escalate", "bind", "impersonate"}
	msg := sprintf("%s %s grants the %s verb", [input.object.kind, input.object.metadata.name, verb])
}

# cluster-admin is `*` verbs on `*` resources of `*` groups: granting it is granting the wildcard.
deny contains msg if {
	input.object.kind in {"RoleBinding", "ClusterRoleBinding"}
	input.object.roleRef.kind == "ClusterRole"
	input.object.roleRef.name == "cluster-admin"
	not backup_server_binding
	msg := sprintf("%s %s binds cluster-admin (grants * on every resource)", [input.object.kind, input.object.metadata.name])
}

# Velero backs up and restores every kind a cluster has, including CRDs added later, so its own
# install binds its server to cluster-admin (velero pkg/install). Only that binding, in the cluster
# stack, to the velero ServiceAccount and nothing else.
backup_server_binding if {
	input.stack.layer == "cluster"
	input.object.kind == "ClusterRoleBinding"
	input.object.metadata.name == "velero"
	input.object.subjects == [{"kind": "ServiceAccount", "name": "velero", "namespace": "velero"}]
}
