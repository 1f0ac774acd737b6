package platform.no_latest_test

import data.platform.lib.fixtures
import data.platform.no_latest

test_version_tag_passes if {
	count(no_latest.deny) == 0 with input as fixtures.input_for(fixtures.deployment, [])
}

test_digest_passes if {
	obj := fixtures.with_container([{"op": "replace", "path": "/image", "value": "registry:5000/acme/web@sha256:0123"}])
	count(no_latest.deny) == 0 with input as fixtures.input_for(obj, [])
}

test_latest_and_untagged_fail if {
	obj := fixtures.with_container([{"op": "replace", "path": "/image", "value": "registry:5000/acme/web"}])
	no_latest.deny == {"container web runs registry:5000/acme/web: pin a version tag (or a digest)"} with input as fixtures.input_for(obj, [])
	latest := fixtures.with_container([{"op": "replace", "path": "/image", "value": "nginx:latest"}])
	count(no_latest.deny) == 1 with input as fixtures.input_for(latest, [])
}
