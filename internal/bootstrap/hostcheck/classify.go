package hostcheck

import (
	"strings"

	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
)

// PauseContainerName is the ECS agent's name for an awsvpc task's pause
// container (label com.amazonaws.ecs.container-name).
const PauseContainerName = "~internal~ecs~pause"

// Kind is how a container's networking relates to the credential route.
type Kind int

// Kinds.
const (
	// KindNAT containers need the route inside their own compartment.
	KindNAT Kind = iota
	// KindAWSVPC containers share the compartment of their task's pause
	// container, where the agent sets up the route itself.
	KindAWSVPC
	// KindOther covers host and none modes: nothing to do.
	KindOther
	// KindHyperV are NAT containers in Hyper-V isolation: the Docker
	// Engine refuses to copy files into them while they run, so they are
	// counted apart and never attempted.
	KindHyperV
)

// Classify decides from what Docker reports: the pause container and any
// container in "container:<id>" mode belong to an awsvpc task (on Windows,
// ECS joins an awsvpc task's containers to its pause container that way);
// "host" and "none" need nothing; every other mode ("nat", "default" or a
// named NAT network) is treated as NAT, unless the container is
// Hyper-V-isolated.
func Classify(c hostos.Container) Kind {
	mode := strings.ToLower(c.NetworkMode)
	switch {
	case c.ECSContainerName == PauseContainerName, strings.HasPrefix(mode, "container:"):
		return KindAWSVPC
	case mode == "host" || mode == "none":
		return KindOther
	case strings.EqualFold(c.Isolation, hostos.IsolationHyperV):
		return KindHyperV
	default:
		return KindNAT
	}
}
