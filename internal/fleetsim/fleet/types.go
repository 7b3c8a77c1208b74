package fleet

import (
	"time"

	"github.com/ecswin/ecswin/internal/bootstrap/memos"
	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
)

// Fleet is one account and region.
type Fleet struct {
	Region    string
	AccountID string

	Clusters      []*Cluster
	clusterByName map[string]*Cluster
	byEC2         map[string]*Instance
	// ec2Order lists managed instances in registration order for SSM listings.
	ec2Order []*Instance

	TaskDefs []*TaskDefinition
	defByKey map[string]*TaskDefinition // "family:revision"
	latest   map[string]*TaskDefinition // family -> latest revision

	ids   idSource
	clock func() time.Time
	// at, when set, is the time of the change being played (see At).
	at   time.Time
	pick *picker

	observer Observer
	// building is true while Build places the scenario's fleet.
	building bool
	// outages are the ended outages, in the order they ended.
	outages []Outage
}

// Cluster is an ECS cluster.
type Cluster struct {
	Name string
	ARN  string
	// Instances is append-only: deregistered instances stay (INACTIVE),
	// so positions in it make stable page tokens.
	Instances []*Instance
	byID      map[string]*Instance
	// Tasks is append-only for the same reason; stopped tasks stay.
	Tasks    []*Task
	taskByID map[string]*Task
	running  int
	// runningByFamily counts running tasks per task-definition family,
	// which is what a service's runningCount reads.
	runningByFamily map[string]int
	// Services are the cluster's services, declared ones first.
	Services      []*Service
	serviceByName map[string]*Service

	instancePrefix string
	taskPrefix     string
	region         string
	// template is the first group, used for instances that register later.
	template *group
}

// group is what instances of one scenario group share.
type group struct {
	spec     scenario.Group
	mix      []weighted
	mixTotal int
}

type weighted struct {
	def    *TaskDefinition
	weight int
}

// Instance statuses.
const (
	StatusActive   = "ACTIVE"
	StatusDraining = "DRAINING"
	StatusInactive = "INACTIVE"
)

// Instance is a container instance and the EC2 host behind it.
type Instance struct {
	ID             string // the container instance ID, last part of its ARN
	EC2ID          string
	Cluster        *Cluster
	group          *group
	Status         string
	AgentConnected bool
	TaskRoles      bool
	TaskENI        bool
	RegisteredAt   time.Time
	// Custom are attributes set by the scenario or PutAttributes.
	Custom []Attribute
	// Tasks are the tasks running on the instance now.
	Tasks []*Task
	// Version counts changes, as ECS's instance version does.
	Version int64
	// hostIndex numbers the instance for its deterministic addresses.
	hostIndex int
	// outage is the host's current outage, nil while healthy.
	outage *Outage

	Host Host
}

// Attribute is an ECS attribute (Value "" means no value).
type Attribute struct {
	Name  string
	Value string
}

// Behavior says how a host runs SSM commands.
type Behavior int

// Command behaviours.
const (
	BehaveNormally Behavior = iota
	// BehaveHang: commands never finish until the execution timeout.
	BehaveHang
	// BehaveFail: commands exit non-zero without touching the host.
	BehaveFail
)

// Host is the machine behind an instance.
type Host struct {
	// SSMOnline is the SSM agent's PingStatus Online (else ConnectionLost).
	SSMOnline bool
	Behavior  Behavior
	// pendingFaults are proxy faults to apply when the OS is created.
	pendingFaults []memos.ProxyFault
	os            *memos.Host
	Reboots       int
	CommandsRun   int
}

// Task is an ECS task.
type Task struct {
	ID            string
	Def           *TaskDefinition
	Instance      *Instance
	LastStatus    string
	DesiredStatus string
	CreatedAt     time.Time
	StartedAt     time.Time
	StoppedAt     time.Time
	StoppedReason string
	// withRoute is whether its NAT containers started with the route;
	// it only matters until the host's OS is created.
	withRoute bool
	Version   int64
}

// Task statuses.
const (
	TaskRunning = "RUNNING"
	TaskStopped = "STOPPED"
)

// TaskDefinition is one revision of a family.
type TaskDefinition struct {
	Family       string
	Revision     int
	NetworkMode  string
	TaskRoleArn  string
	RoleOverride string
	Containers   []scenario.Container
	// BootstrapsItself: its image adds the route itself at start (AWS's
	// bootstrap script, or route-bootstrap exec as its entrypoint), so
	// its containers start with the route whatever happens to the host.
	BootstrapsItself bool
	RegisteredAt     time.Time
	arn              string
}

// ARN is the task definition's ARN.
func (d *TaskDefinition) ARN() string { return d.arn }

// NATMode tells whether its containers share the host's NAT network (and
// so need the credentials route), i.e. anything but awsvpc.
func (d *TaskDefinition) NATMode() bool { return d.NetworkMode != "awsvpc" }

// BindsHostPort80 tells whether a task of this definition takes host port
// 80, which conflicts with the credential proxy on task-role instances.
func (d *TaskDefinition) BindsHostPort80() bool {
	if d.NetworkMode == "awsvpc" || d.NetworkMode == "none" {
		return false
	}
	for _, c := range d.Containers {
		for _, pm := range c.PortMappings {
			if pm.HostPort == 80 || (d.NetworkMode == "host" && pm.ContainerPort == 80) {
				return true
			}
		}
	}
	return false
}
