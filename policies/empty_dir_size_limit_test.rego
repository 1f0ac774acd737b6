package platform.empty_dir_size_limit_test

import data.platform.empty_dir_size_limit
import data.platform.lib.fixtures

test_size_limit_passes if {
	count(empty_dir_size_limit.deny) == 0 with input as fixtures.input_for(fixtures.deployment, [])
}

test_unbounded_empty_dir_fails if {
	obj := fixtures.with_pod([{"op": "replace", "path": "/volumes/0/emptyDir", "value": {}}])
	empty_dir_size_limit.deny == {"emptyDir volume tmp has no sizeLimit"} with input as fixtures.input_for(obj, [])
}
