# METADATA
# title: tenant_isolation
# description: >-
#   Every tenant namespace (label platform.dev/tenant) is fenced in within its own stack: a
#   ResourceQuota (a tenant cannot take the cluster), a LimitRange (pods without limits get the plan's)
#   and a default-deny NetworkPolicy (nothing reaches the tenant, and the tenant reaches nothing,
#   unless allowed).
# custom:
#   kinds: [Namespace]
package platform.tenant_isolation

import data.platform.lib.kubernetes

deny contains msg if {
	some kind in ["ResourceQuota", "LimitRange"]
	tenant_namespace
	count(kubernetes.objects_in(kind, input.object.metadata.name)) == 0
	msg := sprintf("tenant namespace %s has no %s", [input.object.metadata.name, kind])
}

deny contains msg if {
	tenant_namespace
	not default_deny(input.object.metadata.name)
	msg := sprintf("tenant namespace %s has no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)", [input.object.metadata.name])
}

tenant_namespace if {
	input.object.apiVersion == "v1"
	input.object.kind == "Namespace"
	input.object.metadata.labels["platform.dev/tenant"]
}

default_deny(namespace) if {
	some policy in kubernetes.objects_in("NetworkPolicy", namespace)
	policy.spec.podSelector == {}
	{"Ingress", "Egress"} == {t | some t in policy.spec.policyTypes}
	count(object.get(policy.spec, "ingress", [])) == 0
	count(object.get(policy.spec, "egress", [])) == 0
}
