package inventory

import (
	"strings"
	"time"

	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecswin/ecswin/internal/awsapi"
)

// Fleet is one policy's view of its clusters at one moment.
type Fleet struct {
	Clusters []*Cluster
	// TaskDefinitions referenced by running tasks on Windows hosts, and by
	// services of clusters with task roles on, by ARN.
	TaskDefinitions map[string]*TaskDefinition
	// Problems are the parts that could not be read; the rest is valid.
	Problems []Problem
}

// Cluster is one ECS cluster of the policy.
type Cluster struct {
	// Name is the short cluster name; ARN is empty when the cluster was
	// not found.
	Name string
	ARN  string
	// RegisteredInstances counts container instances of every OS.
	RegisteredInstances int
	// Hosts are the Windows container instances.
	Hosts []*Host
	// Tasks are the running tasks placed on those Windows hosts.
	Tasks []*Task
	// Services are the cluster's services: the task definitions meant to
	// run there, also those whose tasks never place.
	Services []*Service
	// ServicesIncomplete is set when the services could not all be read;
	// a Problem says why, and the hosts and tasks are still valid.
	ServicesIncomplete bool
	// Failed is set when the cluster could not be fully read; its hosts
	// and tasks may then be incomplete.
	Failed bool
}

// SSMPing is the SSM agent's reachability as SSM reports it.
type SSMPing string

// SSM ping states: SSM's own PingStatus values, and two of ours.
const (
	SSMOnline         SSMPing = "Online"
	SSMConnectionLost SSMPing = "ConnectionLost"
	SSMInactive       SSMPing = "Inactive"
	// SSMNotManaged means SSM does not know the instance at all.
	SSMNotManaged SSMPing = "NotManaged"
	// SSMUnknown means reachability could not be read this pass.
	SSMUnknown SSMPing = "Unknown"
)

// Host is one Windows container instance.
type Host struct {
	Cluster              string
	ContainerInstanceARN string
	// InstanceID is the EC2 instance ID; empty when ECS did not say,
	// in which case Problem says so and SSM cannot reach the host.
	InstanceID      string
	OSFamily        string
	Status          string
	AgentConnected  bool
	TaskRoleEnabled bool
	TaskENIEnabled  bool
	// Port80Reserved: the agent registered TCP 80 among its PORTS, which
	// it does when task roles are on.
	Port80Reserved bool
	SSM            SSMPing
	// CredentialsReady: the host carries ecswin's readiness attribute
	// (ReadyAttribute=ReadyValue).
	CredentialsReady bool
	// Problem is a reason code when the answer about this host was
	// incomplete (for example MissingInstanceID).
	Problem string
}

// Task is one running task on a Windows host. A fleet holds tens of
// thousands of them from one pass to the next (TaskCache), so a task is
// kept in 64 bytes and its ID: the rest of its ARN names the account,
// region and cluster, which the fleet knows, and its start is in Unix
// nanoseconds.
type Task struct {
	// ID is the last part of the task's ARN, arn:...:task/<cluster>/<ID>,
	// which tells tasks apart in an account and region.
	ID                   string
	TaskDefinitionARN    string
	ContainerInstanceARN string
	started              int64
	// seen is the last TaskCache pass that listed the task.
	seen uint32
	// OverrideTaskRole: the task was run with overrides.taskRoleArn.
	OverrideTaskRole bool
}

// NewTask is a task of that ARN, started then (zero: not yet).
func NewTask(arn string, started time.Time) *Task {
	t := &Task{ID: TaskID(arn)}
	if !started.IsZero() {
		t.started = started.UnixNano()
	}
	return t
}

// StartedAt is when the task started, on ECS's clock; zero if not yet.
func (t *Task) StartedAt() time.Time {
	if t.started == 0 {
		return time.Time{}
	}
	return time.Unix(0, t.started)
}

// TaskID is the ID part of a task ARN (what Task.ID holds), by which
// tasks are told apart in one account and region.
func TaskID(arn string) string {
	return arn[strings.LastIndexByte(arn, '/')+1:]
}

// Service is one ECS service of a cluster.
type Service struct {
	Name              string
	ARN               string
	TaskDefinitionARN string
	DesiredCount      int32
	RunningCount      int32
	PendingCount      int32
}

// ReadyAttribute is the custom ECS attribute ecswin puts on a host whose
// last run found it fit for task roles, and removes when that stops being
// true; task definitions can require it in a placement constraint:
// attribute:ecswin.io/credentials == ready.
const (
	ReadyAttribute = "ecswin.io/credentials"
	ReadyValue     = "ready"
)

// NetworkMode values as ECS spells them; "" is the default mode, which on
// Windows is NAT.
const (
	NetworkModeDefault = ""
	NetworkModeBridge  = "bridge"
	NetworkModeHost    = "host"
	NetworkModeAWSVPC  = "awsvpc"
	NetworkModeNAT     = "nat"
	NetworkModeNone    = "none"
)

// TaskDefinition is the part of a task-definition revision the rules read.
type TaskDefinition struct {
	ARN         string
	Family      string
	Revision    int32
	NetworkMode string
	TaskRoleARN string
	// OSFamily is runtimePlatform.operatingSystemFamily when the definition
	// declares one (LINUX, WINDOWS_SERVER_2022_CORE, ...); often empty on EC2.
	OSFamily string
	// HostPort80Containers names the containers whose port mappings bind
	// host port 80 in this network mode.
	HostPort80Containers []string
}

// DeclaredLinux reports whether the definition says it runs on Linux, so
// it can never be a Windows task whatever cluster it is in.
func (td *TaskDefinition) DeclaredLinux() bool {
	return td.OSFamily == string(ecstypes.OSFamilyLinux)
}

// Name is family:revision, as operators write it.
func (td *TaskDefinition) Name() string {
	return td.Family + ":" + itoa(td.Revision)
}

// NeedsRoute reports whether containers of this definition need the
// credential route added inside them: every mode but awsvpc (the agent
// sets it up there) and none (no network).
func (td *TaskDefinition) NeedsRoute() bool {
	switch td.NetworkMode {
	case NetworkModeAWSVPC, NetworkModeNone:
		return false
	}
	return true
}

// Problem is a part of the fleet that could not be read.
type Problem struct {
	Cluster string
	// Reason is a stable CamelCase code.
	Reason  string
	Message string
	// Count is how many hosts, tasks or batches the problem hit.
	Count int
	// Cause is the failed AWS call's, when one caused the problem (its
	// Kind none otherwise): the error code, the IAM action to grant.
	Cause awsapi.Cause
}

// Problem reasons.
const (
	ReasonClusterNotFound      = "ClusterNotFound"
	ReasonClusterUnreadable    = "ClusterUnreadable"
	ReasonInstancesUnreadable  = "ContainerInstancesUnreadable"
	ReasonTasksUnreadable      = "TasksUnreadable"
	ReasonTaskDefUnreadable    = "TaskDefinitionUnreadable"
	ReasonSSMUnreadable        = "SSMReachabilityUnreadable"
	ReasonMissingInstanceID    = "MissingInstanceID"
	ReasonDescribeFailure      = "DescribeFailure"
	ReasonMissingTaskFields    = "MissingTaskFields"
	ReasonMissingTaskDefFields = "MissingTaskDefinitionFields"
	ReasonServicesUnreadable   = "ServicesUnreadable"
)
