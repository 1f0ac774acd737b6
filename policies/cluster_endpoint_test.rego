package platform.cluster_endpoint_test

import data.platform.cluster_endpoint
import data.platform.lib.cloud_fixtures as f

test_private_endpoints_pass if {
	every c in [f.eks, f.gke, f.aks] {
		count(cluster_endpoint.deny) == 0 with input as f.input_for(c, [])
	}
}

test_listed_cidrs_pass if {
	eks := f.patched(f.eks, [{"op": "replace", "path": "/vpcConfig/endpointPublicAccess", "value": true}, {"op": "add", "path": "/vpcConfig/publicAccessCidrs", "value": ["203.0.113.0/24"]}])
	count(cluster_endpoint.deny) == 0 with input as f.input_for(eks, [])
	aks := f.patched(f.aks, [{"op": "replace", "path": "/privateClusterEnabled", "value": false}, {"op": "add", "path": "/apiServerAccessProfile", "value": {"authorizedIpRanges": ["203.0.113.0/24"]}}])
	count(cluster_endpoint.deny) == 0 with input as f.input_for(aks, [])
}

test_endpoints_open_to_all_fail if {
	eks := f.patched(f.eks, [{"op": "replace", "path": "/vpcConfig/endpointPublicAccess", "value": true}, {"op": "add", "path": "/vpcConfig/publicAccessCidrs", "value": ["0.0.0.0/0"]}])
	count(cluster_endpoint.deny) == 1 with input as f.input_for(eks, [])
	gke := f.patched(f.gke, [{"op": "replace", "path": "/privateClusterConfig/enablePrivateEndpoint", "value": false}])
	count(cluster_endpoint.deny) == 1 with input as f.input_for(gke, [])
	aks := f.patched(f.aks, [{"op": "remove", "path": "/privateClusterEnabled"}])
	count(cluster_endpoint.deny) == 1 with input as f.input_for(aks, [])
}
