# METADATA
# title: node_public_ips
# description: >-
#   Nodes get no public IP addresses: a node reachable from the internet exposes the kubelet, node
#   ports and whatever runs with hostNetwork to everyone. Nodes reach out through NAT; traffic comes in
#   through the gateway's load balancer.
# custom:
#   kinds: [aws_subnet, google_container_cluster, azurerm_kubernetes_cluster, azurerm_kubernetes_cluster_node_pool]
package platform.node_public_ips

deny contains "the subnet gives every instance launched in it a public IP (mapPublicIpOnLaunch)" if {
	input.object.kind == "aws_subnet"
	input.object.values.mapPublicIpOnLaunch == true
}

deny contains "GKE nodes get public IPs: enable private nodes (privateClusterConfig.enablePrivateNodes)" if {
	input.object.kind == "google_container_cluster"
	not input.object.values.privateClusterConfig.enablePrivateNodes == true
}

deny contains "the AKS default node pool gives nodes public IPs (nodePublicIpEnabled)" if {
	input.object.kind == "azurerm_kubernetes_cluster"
	input.object.values.defaultNodePool.nodePublicIpEnabled == true
}

deny contains "the AKS node pool gives nodes public IPs (nodePublicIpEnabled)" if {
	input.object.kind == "azurerm_kubernetes_cluster_node_pool"
	input.object.values.nodePublicIpEnabled == true
}
