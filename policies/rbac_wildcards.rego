# RBAC rules list what they grant: no `*` verbs or resources (they silently grow with every new API),
# and no escalate, bind or impersonate (each lets the holder grant itself more than it was given).
package platform.rbac_wildcards

deny contains msg if {
	input.object.kind in {"Role", "ClusterRole"}
	some rule in object.get(input.object, "rules", [])
	some field in ["verbs", "resources", "apiGroups"]
	"*" in object.get(rule, field, [])
	msg := sprintf("%s %s grants * in %s", [input.object.kind, input.object.metadata.name, field])
}

deny contains msg if {
	input.object.kind in {"Role", "ClusterRole"}
	some rule in object.get(input.object, "rules", [])
	some verb in rule.verbs
	verb in {"escalate", "bind", "impersonate"}
	msg := sprintf("%s %s grants the %s verb", [input.object.kind, input.object.metadata.name, verb])
}
