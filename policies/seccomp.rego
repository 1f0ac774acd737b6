# A seccomp profile (RuntimeDefault or a Localhost one) on every container: the kernel refuses the
# system calls a container has no business making. Unconfined is the runtime's default on Kubernetes.
package platform.seccomp

import data.platform.lib.kubernetes

deny contains msg if {
	some container in kubernetes.all_containers(input.object)
	not confined(input.object, container)
	msg := sprintf("container %s has no RuntimeDefault or Localhost seccomp profile", [container.name])
}

confined(obj, container) if kubernetes.effective(obj, container, "seccompProfile").type in {"RuntimeDefault", "Localhost"}
