package platform.secrets_encryption_test

import data.platform.lib.cloud_fixtures as f
import data.platform.secrets_encryption

test_kms_encrypted_secrets_pass if {
	every c in [f.eks, f.gke, f.aks] {
		count(secrets_encryption.deny) == 0 with input as f.input_for(c, [])
	}
}

test_unencrypted_secrets_fail if {
	count(secrets_encryption.deny) == 1 with input as f.input_for(f.patched(f.eks, [{"op": "remove", "path": "/encryptionConfig"}]), [])
	count(secrets_encryption.deny) == 1 with input as f.input_for(f.patched(f.gke, [{"op": "replace", "path": "/databaseEncryption/state", "value": "DECRYPTED"}]), [])
	count(secrets_encryption.deny) == 1 with input as f.input_for(f.patched(f.aks, [{"op": "remove", "path": "/keyManagementService"}]), [])
}
