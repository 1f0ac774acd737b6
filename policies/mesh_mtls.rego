# METADATA
# title: mesh_mtls
# description: >-
#   With the mesh on, a mesh-wide PeerAuthentication (istio-system, no selector) requires mutual TLS
#   between workloads: STRICT rejects plain-text traffic. PERMISSIVE is advisory (a legitimate step
#   while workloads move into the mesh), a missing mesh-wide policy is mandatory.
# custom:
#   kinds: [PeerAuthentication, AuthorizationPolicy, RequestAuthentication]
package platform.mesh_mtls

warn contains msg if {
	input.object.kind == "PeerAuthentication"
	mode := object.get(input.object, ["spec", "mtls", "mode"], "UNSET")
	mode != "STRICT"
	msg := sprintf("PeerAuthentication %s/%s sets mTLS %s, not STRICT", [input.object.metadata.namespace, input.object.metadata.name, mode])
}

warn contains msg if {
	input.object.kind == "PeerAuthentication"
	some port, setting in object.get(input.object, ["spec", "portLevelMtls"], {})
	setting.mode != "STRICT"
	msg := sprintf("PeerAuthentication %s/%s sets mTLS %s on port %s", [input.object.metadata.namespace, input.object.metadata.name, setting.mode, port])
}

deny contains {"msg": "the mesh has no mesh-wide PeerAuthentication (istio-system, no selector): mTLS is whatever each workload negotiates", "object": {"kind": "PeerAuthentication", "namespace": "istio-system", "name": "default"}} if {
	input.stack.layer == "mesh"
	startswith(input.object.apiVersion, "security.istio.io/")
	not mesh_wide
}

mesh_wide if {
	some o in input.objects
	o.kind == "PeerAuthentication"
	o.metadata.namespace == "istio-system"
	not o.spec.selector
}
