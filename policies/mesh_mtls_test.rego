package platform.mesh_mtls_test

import data.platform.lib.fixtures
import data.platform.mesh_mtls

peer(mode) := {"apiVersion": "security.istio.io/v1", "kind": "PeerAuthentication", "metadata": {"name": "default", "namespace": "istio-system"}, "spec": {"mtls": {"mode": mode}}}

authz := {"apiVersion": "security.istio.io/v1", "kind": "AuthorizationPolicy", "metadata": {"name": "tenant-team", "namespace": "istio-system"}, "spec": {}}

mesh_input(obj, objects) := object.union(fixtures.input_for(obj, objects), {"stack": {"id": "mesh/eu", "layer": "mesh"}})

test_strict_passes if {
	count(mesh_mtls.warn) == 0 with input as mesh_input(peer("STRICT"), [peer("STRICT"), authz])
	count(mesh_mtls.deny) == 0 with input as mesh_input(authz, [peer("STRICT"), authz])
}

test_permissive_warns if {
	mesh_mtls.warn == {"PeerAuthentication istio-system/default sets mTLS PERMISSIVE, not STRICT"} with input as mesh_input(peer("PERMISSIVE"), [peer("PERMISSIVE")])
}

test_missing_mesh_wide_policy_fails if {
	some v in mesh_mtls.deny with input as mesh_input(authz, [authz])
	v.object == {"kind": "PeerAuthentication", "namespace": "istio-system", "name": "default"}
}
