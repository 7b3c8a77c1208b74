package events

import "time"

// Kind is what an event makes due.
type Kind string

// Hint kinds.
const (
	// HostDue: a task reached RUNNING on the host; its containers may
	// lack the route. Debounced, so one deployment is one SSM command per
	// batch of hosts.
	HostDue Kind = "HostDue"
	// ProxyCheck: the host's ECS agent connected again (a reboot, an
	// agent restart); its credential proxy may be gone.
	ProxyCheck Kind = "ProxyCheck"
	// TaskDefinitionDue: a service's tasks could not place for a port
	// (RESOURCE:PORTS): audit its task definition for R6 now.
	TaskDefinitionDue Kind = "TaskDefinitionDue"
	// InvocationReady: one of ecswin's SSM invocations finished: read it
	// now rather than at the next poll.
	InvocationReady Kind = "InvocationReady"
)

// Hint is one event, reduced to what it makes due.
type Hint struct {
	Kind Kind
	// ClusterARN is the event's cluster (ECS events).
	ClusterARN string
	// ContainerInstanceARN names the host of HostDue and ProxyCheck.
	ContainerInstanceARN string
	// InstanceID is the host's EC2 instance ID (ProxyCheck, from the
	// container instance; InvocationReady, from SSM).
	InstanceID string
	// TaskARN and TaskDefinitionARN are the task of a HostDue.
	TaskARN           string
	TaskDefinitionARN string
	// ServiceARN is the service of a TaskDefinitionDue.
	ServiceARN string
	// CommandID and Status are the invocation of an InvocationReady.
	CommandID string
	Status    string
	// At is when the event happened (its envelope's time); Received is
	// when ecswin read it.
	At       time.Time
	Received time.Time
}

// Batch is what an Inbox hands the engine at once.
type Batch struct {
	// Hosts are due now: by container instance, the HostDue and
	// ProxyCheck hints of each host merged (see HostHint).
	Hosts []HostHint
	// TaskDefinitions are services to audit now (TaskDefinitionDue).
	TaskDefinitions []Hint
	// Invocations are finished invocations to read (InvocationReady).
	Invocations []Hint
}

// Empty tells whether the batch holds nothing.
func (b Batch) Empty() bool {
	return len(b.Hosts) == 0 && len(b.TaskDefinitions) == 0 && len(b.Invocations) == 0
}

// HostHint is what the events say about one host since the last batch.
type HostHint struct {
	ClusterARN           string
	ContainerInstanceARN string
	InstanceID           string
	// NewTasks are the tasks that reached RUNNING on it, with their task
	// definitions (for learning which revisions carry the route).
	NewTasks []Task
	// CheckProxy: its agent reconnected.
	CheckProxy bool
	// First is the time of its oldest event, for the lag to "due".
	First time.Time
}

// Task is a task that started on a host.
type Task struct {
	ARN               string
	TaskDefinitionARN string
}
