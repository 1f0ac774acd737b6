# METADATA
# title: network_policy_enforcement
# description: >-
#   Something enforces NetworkPolicy objects: the VPC CNI's network policy agent (EKS), Dataplane V2 or
#   Calico (GKE), Azure NPM, Calico or Cilium (AKS). Without it every tenant's default-deny
#   NetworkPolicy is accepted by the API and does nothing.
# custom:
#   kinds: [aws_eks_cluster, google_container_cluster, azurerm_kubernetes_cluster]
package platform.network_policy_enforcement

import data.platform.lib.clouds

deny contains "nothing enforces NetworkPolicy on EKS: enable the vpc-cni add-on's network policy (enableNetworkPolicy)" if {
	input.object.kind == "aws_eks_cluster"
	not eks_enforced
}

deny contains "nothing enforces NetworkPolicy on GKE: use Dataplane V2 (ADVANCED_DATAPATH) or enable the network policy add-on" if {
	input.object.kind == "google_container_cluster"
	not gke_enforced
}

deny contains "nothing enforces NetworkPolicy on AKS: set networkProfile.networkPolicy (azure, calico or cilium)" if {
	input.object.kind == "azurerm_kubernetes_cluster"
	not object.get(input.object.values, ["networkProfile", "networkPolicy"], "") in {"azure", "calico", "cilium"}
}

eks_enforced if {
	some addon in clouds.records("aws_eks_addon")
	addon.values.addonName == "vpc-cni"
	clouds.refers_to(addon.values.clusterName, input.object.kind, input.object.name)
	json.unmarshal(addon.values.configurationValues).enableNetworkPolicy == "true"
}

gke_enforced if input.object.values.datapathProvider == "ADVANCED_DATAPATH"

gke_enforced if input.object.values.networkPolicy.enabled == true
