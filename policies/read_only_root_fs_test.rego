package platform.read_only_root_fs_test

import data.platform.lib.fixtures
import data.platform.read_only_root_fs

test_read_only_passes if {
	count(read_only_root_fs.deny) == 0 with input as fixtures.input_for(fixtures.deployment, [])
}

test_writable_root_fails if {
	obj := fixtures.with_container([{"op": "replace", "path": "/securityContext/readOnlyRootFilesystem", "value": false}])
	read_only_root_fs.deny == {"container web does not set readOnlyRootFilesystem: true"} with input as fixtures.input_for(obj, [])
}
