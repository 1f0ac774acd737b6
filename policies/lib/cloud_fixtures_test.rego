# Cloud records the cloud policy tests start from: what the builders in src/clouds emit for a hardened
# cluster stack (trimmed to the fields the policies read). Tests patch them to fail one rule.
package platform.lib.cloud_fixtures

eks := {"kind": "aws_eks_cluster", "name": "cluster", "values": {
	"name": "acme-eu",
	"vpcConfig": {"subnetIds": ["${aws_subnet.nodes-a.id}"], "endpointPrivateAccess": true, "endpointPublicAccess": false},
	"encryptionConfig": {"resources": ["secrets"], "provider": {"keyArn": "${aws_kms_key.cluster-secrets-key.arn}"}},
	"enabledClusterLogTypes": ["api", "audit", "authenticator"],
}}

vpc_cni := {"kind": "aws_eks_addon", "name": "vpc-cni", "values": {"clusterName": "${aws_eks_cluster.cluster.name}", "addonName": "vpc-cni", "configurationValues": "{\"enableNetworkPolicy\":\"true\"}"}}

subnet := {"kind": "aws_subnet", "name": "nodes-a", "values": {"cidrBlock": "10.0.48.0/20", "mapPublicIpOnLaunch": false}}

gke := {"kind": "google_container_cluster", "name": "cluster", "values": {
	"name": "acme-us",
	"privateClusterConfig": {"enablePrivateNodes": true, "enablePrivateEndpoint": true, "masterIpv4CidrBlock": "172.16.0.0/28"},
	"masterAuthorizedNetworksConfig": {"cidrBlocks": []},
	"databaseEncryption": {"state": "ENCRYPTED", "keyName": "${google_kms_crypto_key.cluster-secrets-key.id}"},
	"loggingConfig": {"enableComponents": ["SYSTEM_COMPONENTS", "APISERVER"]},
	"datapathProvider": "ADVANCED_DATAPATH",
}}

aks := {"kind": "azurerm_kubernetes_cluster", "name": "cluster", "values": {
	"name": "contoso-we",
	"defaultNodePool": {"name": "system", "nodePublicIpEnabled": false},
	"networkProfile": {"networkPlugin": "azure", "networkPolicy": "cilium"},
	"keyManagementService": {"keyVaultKeyId": "${azurerm_key_vault_key.cluster-secrets-key.id}"},
	"privateClusterEnabled": true,
}}

aks_audit := {"kind": "azurerm_monitor_diagnostic_setting", "name": "cluster-audit", "values": {"targetResourceId": "${azurerm_kubernetes_cluster.cluster.id}", "enabledLog": [{"category": "kube-audit-admin"}]}}

s3 := {"kind": "aws_s3_bucket", "name": "backup-bucket", "values": {"bucket": "acme-eu-backups"}}

s3_logs := {"kind": "aws_s3_bucket", "name": "backup-logs", "values": {"bucket": "acme-eu-backups-logs"}}

s3_config := [
	{"kind": "aws_s3_bucket_versioning", "name": "v", "values": {"bucket": "${aws_s3_bucket.backup-bucket.id}", "versioningConfiguration": {"status": "Enabled"}}},
	{"kind": "aws_s3_bucket_server_side_encryption_configuration", "name": "e", "values": {"bucket": "${aws_s3_bucket.backup-bucket.id}"}},
	{"kind": "aws_s3_bucket_server_side_encryption_configuration", "name": "le", "values": {"bucket": "${aws_s3_bucket.backup-logs.id}"}},
	public_block("backup-bucket"),
	public_block("backup-logs"),
	{"kind": "aws_s3_bucket_logging", "name": "l", "values": {"bucket": "${aws_s3_bucket.backup-bucket.id}", "targetBucket": "${aws_s3_bucket.backup-logs.id}"}},
]

public_block(bucket) := {"kind": "aws_s3_bucket_public_access_block", "name": concat("-", [bucket, "public-access"]), "values": {
	"bucket": sprintf("${aws_s3_bucket.%s.id}", [bucket]),
	"blockPublicAcls": true, "blockPublicPolicy": true, "ignorePublicAcls": true, "restrictPublicBuckets": true,
}}

gcs := {"kind": "google_storage_bucket", "name": "backup-bucket", "values": {
	"name": "acme-us-backups",
	"publicAccessPrevention": "enforced",
	"encryption": {"defaultKmsKeyName": "${google_kms_crypto_key.backup-key.id}"},
	"versioning": {"enabled": true},
	"softDeletePolicy": {"retentionDurationSeconds": 604800},
	"logging": {"logBucket": "${google_storage_bucket.backup-logs.name}"},
}}

gcs_logs := {"kind": "google_storage_bucket", "name": "backup-logs", "values": {
	"name": "acme-us-backups-logs",
	"publicAccessPrevention": "enforced",
	"encryption": {"defaultKmsKeyName": "${google_kms_crypto_key.backup-key.id}"},
}}

account := {"kind": "azurerm_storage_account", "name": "backup-account", "values": {
	"name": "contosowebackups",
	"allowNestedItemsToBePublic": false,
	"infrastructureEncryptionEnabled": true,
	"blobProperties": {"versioningEnabled": true, "deleteRetentionPolicy": {"days": 7}},
}}

account_logs := {"kind": "azurerm_monitor_diagnostic_setting", "name": "backup-account-logs", "values": {
	"targetResourceId": "${azurerm_storage_account.backup-account.id}/blobServices/default",
	"enabledLog": [{"category": "StorageRead"}, {"category": "StorageWrite"}, {"category": "StorageDelete"}],
}}

cluster_stack := {"id": "cluster/eu", "layer": "cluster", "region": "eu", "cloud": "aws"}

# `input` for one record among `objects` (the record itself included).
input_for(record, objects) := {"object": record, "objects": array.concat([record], objects), "stack": cluster_stack}

# `record` with `values` patched (JSON patch operations relative to the values).
patched(record, patch) := json.patch(record, [op |
	some p in patch
	op := object.union(p, {"path": concat("", ["/values", p.path])})
])
