package platform.mesh_authz_test

import data.platform.lib.fixtures
import data.platform.mesh_authz

policy(rules) := {"apiVersion": "security.istio.io/v1", "kind": "AuthorizationPolicy", "metadata": {"name": "p", "namespace": "istio-system"}, "spec": {"action": "ALLOW", "rules": rules}}

test_named_sources_pass if {
	p := policy([{"from": [{"source": {"namespaces": ["team"]}}, {"source": {"principals": ["cluster.local/ns/team/sa/*"]}}]}])
	count(mesh_authz.deny) == 0 with input as fixtures.input_for(p, [])
}

test_allow_all_fails if {
	mesh_authz.deny == {"AuthorizationPolicy istio-system/p allows every caller (rule 0)"} with input as fixtures.input_for(policy([{}]), [])
	count(mesh_authz.deny) == 1 with input as fixtures.input_for(policy([{"from": [{"source": {"principals": ["*"]}}]}]), [])
}
