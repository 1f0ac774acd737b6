# METADATA
# title: backup_bucket
# description: >-
#   Backups are only worth something if they survive the incident they are for: the buckets and storage
#   accounts Velero writes to are encrypted, closed to the public, versioned, soft-deleting (a delete
#   can be undone) and access-logged. A bucket that only receives another bucket's access logs needs no
#   versioning, soft delete or logging of its own.
# custom:
#   kinds: [aws_s3_bucket, google_storage_bucket, azurerm_storage_account]
package platform.backup_bucket

import data.platform.lib.clouds

# --- S3 ---

deny contains "the bucket has no default server-side encryption" if {
	s3_bucket
	not clouds.configured_by("aws_s3_bucket_server_side_encryption_configuration", "bucket", input.object)
}

deny contains "the bucket does not block public access (all four settings of a public access block)" if {
	s3_bucket
	not s3_public_blocked
}

deny contains "the bucket is not versioned: a delete or an overwrite cannot be undone" if {
	s3_bucket
	not log_target
	not s3_versioned
}

deny contains "the bucket's accesses are not logged (no aws_s3_bucket_logging)" if {
	s3_bucket
	not log_target
	not clouds.configured_by("aws_s3_bucket_logging", "bucket", input.object)
}

deny contains "forceDestroy lets a destroy delete the bucket with every backup in it" if {
	s3_bucket
	input.object.values.forceDestroy == true
}

s3_bucket if input.object.kind == "aws_s3_bucket"

s3_public_blocked if {
	some b in clouds.records("aws_s3_bucket_public_access_block")
	clouds.refers_to(b.values.bucket, input.object.kind, input.object.name)
	b.values.blockPublicAcls == true
	b.values.blockPublicPolicy == true
	b.values.ignorePublicAcls == true
	b.values.restrictPublicBuckets == true
}

s3_versioned if {
	some v in clouds.records("aws_s3_bucket_versioning")
	clouds.refers_to(v.values.bucket, input.object.kind, input.object.name)
	v.values.versioningConfiguration.status == "Enabled"
}

# --- GCS ---

deny contains "the bucket is not encrypted with a customer-managed key (encryption.defaultKmsKeyName)" if {
	input.object.kind == "google_storage_bucket"
	not input.object.values.encryption.defaultKmsKeyName
}

deny contains "the bucket does not enforce public access prevention" if {
	input.object.kind == "google_storage_bucket"
	not input.object.values.publicAccessPrevention == "enforced"
}

deny contains "the bucket is not versioned: a delete or an overwrite cannot be undone" if {
	input.object.kind == "google_storage_bucket"
	not log_target
	not input.object.values.versioning.enabled == true
}

deny contains "the bucket has no soft delete policy (softDeletePolicy.retentionDurationSeconds)" if {
	input.object.kind == "google_storage_bucket"
	not log_target
	not gcs_soft_delete
}

# (A helper, not `not x > 0`: a comparison with an undefined operand inside `not` is not taken as false.)
gcs_soft_delete if input.object.values.softDeletePolicy.retentionDurationSeconds > 0

deny contains "the bucket's accesses are not logged (logging.logBucket)" if {
	input.object.kind == "google_storage_bucket"
	not log_target
	not input.object.values.logging.logBucket
}

# --- Azure storage accounts ---

deny contains "the storage account has no infrastructure (double) encryption" if {
	input.object.kind == "azurerm_storage_account"
	not input.object.values.infrastructureEncryptionEnabled == true
}

deny contains "the storage account lets containers be made public (allowNestedItemsToBePublic)" if {
	input.object.kind == "azurerm_storage_account"
	not input.object.values.allowNestedItemsToBePublic == false
}

deny contains "blob versioning is off: a delete or an overwrite cannot be undone" if {
	input.object.kind == "azurerm_storage_account"
	not input.object.values.blobProperties.versioningEnabled == true
}

deny contains "blob soft delete is off (blobProperties.deleteRetentionPolicy)" if {
	input.object.kind == "azurerm_storage_account"
	not blob_soft_delete
}

blob_soft_delete if input.object.values.blobProperties.deleteRetentionPolicy.days > 0

deny contains "no diagnostic setting logs the account's blob reads, writes and deletes" if {
	input.object.kind == "azurerm_storage_account"
	not blob_access_logged
}

blob_access_logged if {
	some setting in clouds.records("azurerm_monitor_diagnostic_setting")
	clouds.refers_to(setting.values.targetResourceId, input.object.kind, input.object.name)
	endswith(setting.values.targetResourceId, "/blobServices/default")
	categories := {log.category | some log in setting.values.enabledLog}
	{"StorageRead", "StorageWrite", "StorageDelete"} - categories == set()
}

# A bucket that other buckets' access logs go to.
log_target if clouds.configured_by("aws_s3_bucket_logging", "targetBucket", input.object)

log_target if {
	input.object.kind == "google_storage_bucket"
	some b in clouds.records("google_storage_bucket")
	b.values.logging.logBucket in {input.object.values.name, sprintf("${google_storage_bucket.%s.name}", [input.object.name])}
}
