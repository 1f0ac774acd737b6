# METADATA
# title: rbac_wildcards
# description: >-
#   RBAC rules list what they grant: no `*` verbs or resources (they silently grow with every new API),
#   and no escalate, bind or impersonate (each lets the holder grant itself more than it was given).
# custom:
#   kinds: [Role, ClusterRole]
package platform.rbac_wildcards

deny contains msg if {
	input.object.kind in {"Role", "ClusterRole"}
	input.object.rules[_][field][_] == "*"
	field in {"verbs", "resources", "apiGroups"}
	msg := sprintf("%s %s grants * in %s", [input.object.kind, input.object.metadata.name, field])
}

deny contains msg if {
	input.object.kind in {"Role", "ClusterRole"}
	verb := input.object.rules[_].verbs[_]
	verb in {"escalate", "bind", "impersonate"}
	msg := sprintf("%s %s grants the %s verb", [input.object.kind, input.object.metadata.name, verb])
}
