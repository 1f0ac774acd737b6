# Helpers the built-in cloud policies share. Cloud resources are `{ "kind": <Terraform type>, "name",
# "values" }` records (src/clouds/records.ts), the same for both engines; a reference to another record
# is a Terraform interpolation such as "${aws_s3_bucket.backup-bucket.id}".
package platform.lib.clouds

# The stack's records of a kind.
records(kind) := [r | some r in input.objects; r.kind == kind]

# `value` refers to the record `kind`/`name` (any of its attributes).
refers_to(value, kind, name) if contains(value, sprintf("${%s.%s.", [kind, name]))

# Some record of `kind` in the stack has `field` referring to `target`.
configured_by(kind, field, target) if {
	some r in records(kind)
	refers_to(object.get(r.values, field, ""), target.kind, target.name)
}

# A CIDR list that lets everyone in.
open_to_all(cidrs) if "0.0.0.0/0" in cidrs

# The managed Kubernetes clusters (what the cluster policies check).
cluster_kinds := {"aws_eks_cluster", "google_container_cluster", "azurerm_kubernetes_cluster"}
