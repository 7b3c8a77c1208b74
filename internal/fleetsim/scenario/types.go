package scenario

import (
	"github.com/ecswin/ecswin/internal/fleetsim/eventbus"
	"github.com/ecswin/ecswin/internal/fleetsim/faults"
)

// Scenario is one simulated AWS account and region.
type Scenario struct {
	Name      string `json:"name"`
	Seed      uint64 `json:"seed,omitempty"`
	Region    string `json:"region,omitempty"`
	AccountID string `json:"accountId,omitempty"`

	TaskDefinitions []TaskDefinition `json:"taskDefinitions"`
	Clusters        []Cluster        `json:"clusters"`
	Faults          faults.Config    `json:"faults,omitempty"`
	Events          []Event          `json:"events,omitempty"`
	SSM             SSMTiming        `json:"ssm,omitempty"`
	// Churn starts new tasks on the Windows hosts all along, as
	// deployments, scaling and replacements do.
	Churn *Churn `json:"churn,omitempty"`
	// EventBridge says how events reach the queues of the simulator's
	// rules: latency and faults.
	EventBridge eventbus.Faults `json:"eventBridge,omitempty"`
}

// Churn replaces tasks on every Windows host at random times: each
// replacement stops one of the host's NAT-mode tasks and starts a new
// task of the same definition (or starts one from the host's mix when
// it runs none).
type Churn struct {
	// Every is the mean time between two replacements on one host (the
	// times between them are exponential, so starts are a Poisson process).
	Every faults.Duration `json:"every"`
	// WithoutRoute is the share (0..1) of new NAT-mode tasks whose
	// containers start without the route; tasks of definitions that
	// bootstrap themselves always have it.
	WithoutRoute float64 `json:"withoutRoute,omitempty"`
	// Cluster limits the churn to one cluster; empty means every one.
	Cluster string `json:"cluster,omitempty"`
}

// TaskDefinition is registered as revision 1 of Family (later entries
// with the same family become later revisions).
type TaskDefinition struct {
	Family string `json:"family"`
	// NetworkMode is "" (the Windows default, NAT), "default", "bridge",
	// "host", "awsvpc" or "none". An empty mode is omitted on the wire,
	// as AWS does for Windows task definitions registered without one.
	NetworkMode string      `json:"networkMode,omitempty"`
	TaskRoleArn string      `json:"taskRoleArn,omitempty"`
	Containers  []Container `json:"containers"`
	// RoleOverride makes tasks of this definition run with this
	// overrides.taskRoleArn (a run-task override).
	RoleOverride string `json:"roleOverride,omitempty"`
	// BootstrapsItself: the image adds the credential route itself when
	// a container starts (AWS's bootstrap script, or route-bootstrap exec
	// as its entrypoint), so its tasks never start without it.
	BootstrapsItself bool `json:"bootstrapsItself,omitempty"`
}

// Container is one container definition.
type Container struct {
	Name         string        `json:"name"`
	Image        string        `json:"image,omitempty"`
	PortMappings []PortMapping `json:"portMappings,omitempty"`
}

// PortMapping is a container port mapping; HostPort 0 means dynamic.
type PortMapping struct {
	ContainerPort int32  `json:"containerPort"`
	HostPort      int32  `json:"hostPort,omitempty"`
	Protocol      string `json:"protocol,omitempty"`
}

// Cluster is an ECS cluster and the instances registered to it.
type Cluster struct {
	Name   string  `json:"name"`
	Groups []Group `json:"groups"`
	// Services are declared on top of the one derived per family placed
	// in the cluster; a declared service's tasks are those of its family
	// that placed, so one whose tasks never place runs none.
	Services []Service `json:"services,omitempty"`
}

// Service is an ECS service of a cluster.
type Service struct {
	Name string `json:"name"`
	// TaskDefinition is a family: the service runs its latest revision.
	TaskDefinition string `json:"taskDefinition"`
	DesiredCount   int    `json:"desiredCount"`
}

// Group is Count container instances of one OS family.
type Group struct {
	Count int `json:"count"`
	// OSFamily is an ecs.os-family value (WINDOWS_SERVER_2019_FULL,
	// WINDOWS_SERVER_2022_CORE, ...) or LINUX.
	OSFamily string `json:"osFamily"`
	// TaskRoleShare is the fraction (0..1) of instances started with
	// -EnableTaskIAMRole (capability attribute and port 80 reserved).
	TaskRoleShare float64 `json:"taskRoleShare,omitempty"`
	// TaskENIShare is the fraction with ecs.capability.task-eni.
	TaskENIShare float64 `json:"taskEniShare,omitempty"`
	// NoOSFamilyAttribute drops ecs.os-family, as older agents do.
	NoOSFamilyAttribute bool `json:"noOsFamilyAttribute,omitempty"`
	// TasksPerInstance is how many tasks run on each instance.
	TasksPerInstance int `json:"tasksPerInstance,omitempty"`
	// TaskMix weighs the task definition families placed on these
	// instances (family -> weight).
	TaskMix map[string]int `json:"taskMix,omitempty"`
	// Attributes are custom attributes set on every instance.
	Attributes map[string]string `json:"attributes,omitempty"`
	// Tags are EC2 tags of every instance, on top of Name (SSM Run
	// Command and DescribeInstanceInformation select by them).
	Tags  map[string]string `json:"tags,omitempty"`
	Drift Drift             `json:"drift,omitempty"`
}

// Drift is what is already broken when the scenario starts.
type Drift struct {
	// ContainersWithoutRoute is the fraction (0..1) of NAT-mode task
	// containers started without the credentials route.
	ContainersWithoutRoute float64 `json:"containersWithoutRoute,omitempty"`
	// DeadProxies is how many Windows hosts have a broken credential
	// proxy; ProxyFaults picks the kinds in turn.
	DeadProxies int      `json:"deadProxies,omitempty"`
	ProxyFaults []string `json:"proxyFaults,omitempty"`
	// AgentsOffline is how many hosts have their SSM agent offline.
	AgentsOffline int `json:"agentsOffline,omitempty"`
	// AgentsDisconnected is how many hosts have the ECS agent disconnected.
	AgentsDisconnected int `json:"agentsDisconnected,omitempty"`
	// HangingCommands is how many hosts run commands that never end.
	HangingCommands int `json:"hangingCommands,omitempty"`
	// FailingCommands is how many hosts run commands that fail.
	FailingCommands int `json:"failingCommands,omitempty"`
}

// Event happens once, After the simulator was created.
type Event struct {
	After faults.Duration `json:"after"`
	// Action is one of the Action* constants.
	Action string `json:"action"`
	// Count is how many instances (or tasks) it touches; default 1.
	Count int `json:"count,omitempty"`
	// Cluster limits the event to one cluster; empty means any.
	Cluster string `json:"cluster,omitempty"`
	// Faults is the new API fault configuration for ActionSetFaults.
	Faults *faults.Config `json:"faults,omitempty"`
	// Service is the service ActionCreateService creates in Cluster.
	Service *Service `json:"service,omitempty"`
}

// Event actions.
const (
	ActionReboot          = "reboot"          // hosts reboot: proxy down, containers restart without routes
	ActionBreakProxy      = "breakProxy"      // hosts lose the credential proxy
	ActionStripRoutes     = "stripRoutes"     // running containers lose their routes
	ActionStartTasks      = "startTasks"      // tasks start without routes
	ActionAgentOffline    = "agentOffline"    // SSM agents go offline
	ActionAgentOnline     = "agentOnline"     // offline SSM agents come back
	ActionRegister        = "register"        // new instances register (like the cluster's first group)
	ActionDeregister      = "deregister"      // instances deregister
	ActionSetFaults       = "setFaults"       // API faults change
	ActionHangCommands    = "hangCommands"    // hosts start hanging on commands
	ActionFailCommands    = "failCommands"    // hosts start failing commands
	ActionHealthyCommands = "healthyCommands" // every host runs commands normally again
	ActionCreateService   = "createService"   // a service is created (with service:); tasks that cannot place fail placement
)

// SSMTiming sets how fast SSM commands move; zero fields take defaults.
type SSMTiming struct {
	// Visibility is how long GetCommandInvocation answers
	// InvocationDoesNotExist after SendCommand.
	Visibility faults.Duration `json:"visibility,omitempty"`
	// Delivery is how long an invocation stays Pending.
	Delivery faults.Duration `json:"delivery,omitempty"`
	// Execution is how long an invocation stays InProgress.
	Execution faults.Duration `json:"execution,omitempty"`
}
