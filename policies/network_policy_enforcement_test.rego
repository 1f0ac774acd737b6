package platform.network_policy_enforcement_test

import data.platform.lib.cloud_fixtures as f
import data.platform.network_policy_enforcement

test_enforcing_dataplanes_pass if {
	count(network_policy_enforcement.deny) == 0 with input as f.input_for(f.eks, [f.vpc_cni])
	count(network_policy_enforcement.deny) == 0 with input as f.input_for(f.gke, [])
	count(network_policy_enforcement.deny) == 0 with input as f.input_for(f.aks, [])
}

test_no_enforcement_fails if {
	count(network_policy_enforcement.deny) == 1 with input as f.input_for(f.eks, [])
	off := f.patched(f.vpc_cni, [{"op": "replace", "path": "/configurationValues", "value": "{}"}])
	count(network_policy_enforcement.deny) == 1 with input as f.input_for(f.eks, [off])
	count(network_policy_enforcement.deny) == 1 with input as f.input_for(f.patched(f.gke, [{"op": "remove", "path": "/datapathProvider"}]), [])
	count(network_policy_enforcement.deny) == 1 with input as f.input_for(f.patched(f.aks, [{"op": "remove", "path": "/networkProfile/networkPolicy"}]), [])
}
