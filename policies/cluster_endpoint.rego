# METADATA
# title: cluster_endpoint
# description: >-
#   The cluster's API endpoint is private, or public only to listed networks (`regions[].cluster.
#   publicAccessCidrs`): an API open to the internet is one leaked credential or one API-server bug
#   away from the whole cluster.
# custom:
#   kinds: [aws_eks_cluster, google_container_cluster, azurerm_kubernetes_cluster]
package platform.cluster_endpoint

import data.platform.lib.clouds

deny contains msg if {
	input.object.kind == "aws_eks_cluster"
	vpc := input.object.values.vpcConfig
	object.get(vpc, "endpointPublicAccess", true) == true
	not restricted(object.get(vpc, "publicAccessCidrs", []))
	msg := "the EKS API endpoint is public to any address: make it private or list publicAccessCidrs"
}

deny contains msg if {
	input.object.kind == "google_container_cluster"
	not object.get(input.object.values, ["privateClusterConfig", "enablePrivateEndpoint"], false) == true
	not restricted([b.cidrBlock | some b in object.get(input.object.values, ["masterAuthorizedNetworksConfig", "cidrBlocks"], [])])
	msg := "the GKE control plane is public to any address: enable the private endpoint or list authorized networks"
}

deny contains msg if {
	input.object.kind == "azurerm_kubernetes_cluster"
	not input.object.values.privateClusterEnabled == true
	not restricted(object.get(input.object.values, ["apiServerAccessProfile", "authorizedIpRanges"], []))
	msg := "the AKS API server is public to any address: make the cluster private or list authorized IP ranges"
}

restricted(cidrs) if {
	count(cidrs) > 0
	not clouds.open_to_all(cidrs)
}
