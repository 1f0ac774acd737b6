# Containers run as a numeric, non-zero user and group: `runAsNonRoot` alone lets an image whose USER
# is a name (or unset) fail at start, and a container running as root owns whatever it can reach.
package platform.non_root

import data.platform.lib.kubernetes

deny contains msg if {
	some container in kubernetes.all_containers(input.object)
	not runs_as_non_root(input.object, container)
	msg := sprintf("container %s does not set runAsNonRoot: true", [container.name])
}

deny contains msg if {
	some container in kubernetes.all_containers(input.object)
	some key in ["runAsUser", "runAsGroup"]
	not numeric_non_zero(input.object, container, key)
	msg := sprintf("container %s has no numeric, non-zero %s", [container.name, key])
}

# (Helpers, not nested calls under `not`: an undefined argument would make the whole rule undefined.)
runs_as_non_root(obj, container) if kubernetes.effective(obj, container, "runAsNonRoot") == true

numeric_non_zero(obj, container, key) if {
	v := kubernetes.effective(obj, container, key)
	is_number(v)
	v > 0
}
