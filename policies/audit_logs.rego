# METADATA
# title: audit_logs
# description: >-
#   The control plane's audit log is kept: who read or changed what through the Kubernetes API is the
#   first question after an incident, and the cloud keeps no copy unless asked to.
# custom:
#   kinds: [aws_eks_cluster, google_container_cluster, azurerm_kubernetes_cluster]
package platform.audit_logs

import data.platform.lib.clouds

deny contains "EKS does not send the audit log to CloudWatch (enabledClusterLogTypes lacks audit)" if {
	input.object.kind == "aws_eks_cluster"
	not "audit" in object.get(input.object.values, "enabledClusterLogTypes", [])
}

deny contains "GKE does not log the API server (loggingConfig.enableComponents lacks APISERVER)" if {
	input.object.kind == "google_container_cluster"
	not "APISERVER" in object.get(input.object.values, ["loggingConfig", "enableComponents"], [])
}

deny contains "no diagnostic setting sends the AKS audit log (kube-audit or kube-audit-admin) anywhere" if {
	input.object.kind == "azurerm_kubernetes_cluster"
	not aks_audited
}

aks_audited if {
	some setting in clouds.records("azurerm_monitor_diagnostic_setting")
	clouds.refers_to(setting.values.targetResourceId, input.object.kind, input.object.name)
	some log in setting.values.enabledLog
	log.category in {"kube-audit", "kube-audit-admin"}
}
