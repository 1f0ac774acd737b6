package platform.backup_bucket_test

import data.platform.backup_bucket
import data.platform.lib.cloud_fixtures as f

test_hardened_buckets_pass if {
	count(backup_bucket.deny) == 0 with input as f.input_for(f.s3, array.concat([f.s3_logs], f.s3_config))
	count(backup_bucket.deny) == 0 with input as f.input_for(f.s3_logs, array.concat([f.s3], f.s3_config))
	count(backup_bucket.deny) == 0 with input as f.input_for(f.gcs, [f.gcs_logs])
	count(backup_bucket.deny) == 0 with input as f.input_for(f.gcs_logs, [f.gcs])
	count(backup_bucket.deny) == 0 with input as f.input_for(f.account, [f.account_logs])
}

test_bare_s3_bucket_fails_every_rule if {
	backup_bucket.deny == {
		"the bucket has no default server-side encryption",
		"the bucket does not block public access (all four settings of a public access block)",
		"the bucket is not versioned: a delete or an overwrite cannot be undone",
		"the bucket's accesses are not logged (no aws_s3_bucket_logging)",
	} with input as f.input_for(f.s3, [])
}

test_force_destroy_fails if {
	s3 := f.patched(f.s3, [{"op": "add", "path": "/forceDestroy", "value": true}])
	count(backup_bucket.deny) == 1 with input as f.input_for(s3, array.concat([f.s3_logs], f.s3_config))
}

test_unprotected_gcs_bucket_fails if {
	gcs := f.patched(f.gcs, [{"op": "remove", "path": "/softDeletePolicy"}, {"op": "remove", "path": "/logging"}, {"op": "replace", "path": "/publicAccessPrevention", "value": "inherited"}])
	count(backup_bucket.deny) == 3 with input as f.input_for(gcs, [])
}

test_unprotected_storage_account_fails if {
	account := f.patched(f.account, [{"op": "remove", "path": "/blobProperties/deleteRetentionPolicy"}, {"op": "remove", "path": "/infrastructureEncryptionEnabled"}])
	count(backup_bucket.deny) == 3 with input as f.input_for(account, [])
}
