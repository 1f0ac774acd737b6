package platform.image_digest_test

import data.platform.image_digest
import data.platform.lib.fixtures

test_digest_passes if {
	obj := fixtures.with_container([{"op": "replace", "path": "/image", "value": "ghcr.io/acme/web@sha256:0123"}])
	count(image_digest.warn) == 0 with input as fixtures.input_for(obj, [])
}

test_tag_warns if {
	image_digest.warn == {"container web runs ghcr.io/acme/web:1.0.0 by tag, not by digest"} with input as fixtures.input_for(fixtures.deployment, [])
}
