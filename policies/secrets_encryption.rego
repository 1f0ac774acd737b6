# METADATA
# title: secrets_encryption
# description: >-
#   Kubernetes Secrets are encrypted in etcd with a key you control (envelope encryption through the
#   cloud's KMS): a copy of etcd or its backups then holds no readable secret, and revoking the key
#   revokes them all.
# custom:
#   kinds: [aws_eks_cluster, google_container_cluster, azurerm_kubernetes_cluster]
package platform.secrets_encryption

deny contains "EKS does not encrypt Kubernetes secrets with a KMS key (encryptionConfig for secrets)" if {
	input.object.kind == "aws_eks_cluster"
	not eks_encrypted
}

deny contains "GKE does not encrypt Kubernetes secrets with a Cloud KMS key (databaseEncryption ENCRYPTED)" if {
	input.object.kind == "google_container_cluster"
	not gke_encrypted
}

deny contains "AKS does not encrypt Kubernetes secrets with a Key Vault key (keyManagementService)" if {
	input.object.kind == "azurerm_kubernetes_cluster"
	not input.object.values.keyManagementService.keyVaultKeyId
}

eks_encrypted if {
	config := input.object.values.encryptionConfig
	"secrets" in config.resources
	config.provider.keyArn
}

gke_encrypted if {
	input.object.values.databaseEncryption.state == "ENCRYPTED"
	input.object.values.databaseEncryption.keyName
}
