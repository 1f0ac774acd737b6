package platform.node_public_ips_test

import data.platform.lib.cloud_fixtures as f
import data.platform.node_public_ips

test_private_nodes_pass if {
	every r in [f.subnet, f.gke, f.aks] {
		count(node_public_ips.deny) == 0 with input as f.input_for(r, [])
	}
}

test_public_node_addresses_fail if {
	count(node_public_ips.deny) == 1 with input as f.input_for(f.patched(f.subnet, [{"op": "replace", "path": "/mapPublicIpOnLaunch", "value": true}]), [])
	count(node_public_ips.deny) == 1 with input as f.input_for(f.patched(f.gke, [{"op": "remove", "path": "/privateClusterConfig/enablePrivateNodes"}]), [])
	count(node_public_ips.deny) == 1 with input as f.input_for(f.patched(f.aks, [{"op": "replace", "path": "/defaultNodePool/nodePublicIpEnabled", "value": true}]), [])
	pool := {"kind": "azurerm_kubernetes_cluster_node_pool", "name": "pool-workload", "values": {"nodePublicIpEnabled": true}}
	count(node_public_ips.deny) == 1 with input as f.input_for(pool, [])
}
