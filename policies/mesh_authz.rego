# METADATA
# title: mesh_authz
# description: >-
#   No AuthorizationPolicy allows everyone: an ALLOW rule without conditions (`{}`), or one whose
#   source is any principal or namespace (`*`), opens every selected workload to every caller in the
#   mesh.
# custom:
#   kinds: [AuthorizationPolicy]
package platform.mesh_authz

deny contains msg if {
	input.object.kind == "AuthorizationPolicy"
	object.get(input.object, ["spec", "action"], "ALLOW") == "ALLOW"
	some i, rule in object.get(input.object, ["spec", "rules"], [])
	allows_anyone(rule)
	msg := sprintf("AuthorizationPolicy %s/%s allows every caller (rule %d)", [input.object.metadata.namespace, input.object.metadata.name, i])
}

allows_anyone(rule) if rule == {}

allows_anyone(rule) if {
	some from in object.get(rule, "from", [])
	some field in ["principals", "namespaces"]
	"*" in object.get(from, ["source", field], [])
}
