package platform.audit_logs_test

import data.platform.audit_logs
import data.platform.lib.cloud_fixtures as f

test_audit_logs_on_pass if {
	count(audit_logs.deny) == 0 with input as f.input_for(f.eks, [])
	count(audit_logs.deny) == 0 with input as f.input_for(f.gke, [])
	count(audit_logs.deny) == 0 with input as f.input_for(f.aks, [f.aks_audit])
}

test_audit_logs_off_fail if {
	count(audit_logs.deny) == 1 with input as f.input_for(f.patched(f.eks, [{"op": "replace", "path": "/enabledClusterLogTypes", "value": ["api"]}]), [])
	count(audit_logs.deny) == 1 with input as f.input_for(f.patched(f.gke, [{"op": "remove", "path": "/loggingConfig"}]), [])
	count(audit_logs.deny) == 1 with input as f.input_for(f.aks, [])
}
