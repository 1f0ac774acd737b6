# METADATA
# title: rbac_wildcards
# description: >-
#   RBAC rules list what they grant: no `*` verbs or resources (they silently grow with every new API),
#   and no escalate, bind or impersonate (each lets the holder grant itself more than it was given).
# custom:
#   kinds: [Role, ClusterRole]
package platform.rbac_wildcards

# Most roles grant neither: one search of the rules' JSON (in Go) spares them the walk over every
# rule and verb, the bulk of the pack's time on an estate of a thousand Roles.
rules_text := json.marshal(object.get(input.object, "rules", []))

deny contains msg if {
	input.object.kind in {"Role", "ClusterRole"}
	contains(rules_text, `"*"`)
	input.object.rules[_][field][_] == "*"
	field in {"verbs", "resources", "apiGroups"}
	msg := sprintf("%s %s grants * in %s", [input.object.kind, input.object.metadata.name, field])
}

deny contains msg if {
	input.object.kind in {"Role", "ClusterRole"}
	regex.match(`"(escalate|bind|impersonate)"`, rules_text)
	verb := input.object.rules[_].verbs[_]
	verb in {"escalate", "bind", "impersonate"}
	msg := sprintf("%s %s grants the %s verb", [input.object.kind, input.object.metadata.name, verb])
}
