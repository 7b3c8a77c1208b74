package inventory

import (
	"strings"
	"sync"

	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// TaskDefinitionCache keeps task-definition revisions by ARN for the
// life of the process: a revision never changes once registered.
type TaskDefinitionCache struct {
	mu   sync.Mutex
	defs map[string]*TaskDefinition
	// claimed ARNs are being fetched by some pass right now.
	claimed map[string]bool
}

// NewTaskDefinitionCache returns an empty cache.
func NewTaskDefinitionCache() *TaskDefinitionCache {
	return &TaskDefinitionCache{defs: map[string]*TaskDefinition{}, claimed: map[string]bool{}}
}

// Get returns the cached revision, if any.
func (c *TaskDefinitionCache) Get(arn string) (*TaskDefinition, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	td, ok := c.defs[arn]
	return td, ok
}

// claim reports whether the caller should fetch arn: false when it is
// cached or someone else is already fetching it.
func (c *TaskDefinitionCache) claim(arn string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.defs[arn]; ok || c.claimed[arn] {
		return false
	}
	c.claimed[arn] = true
	return true
}

// settle stores a fetched revision (nil when the fetch failed, so a later
// pass tries again) and releases the claim.
func (c *TaskDefinitionCache) settle(arn string, td *TaskDefinition) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.claimed, arn)
	if td != nil {
		c.defs[arn] = td
	}
}

// Len is the number of cached revisions.
func (c *TaskDefinitionCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.defs)
}

// TaskDefinitionFrom keeps what the rules read of an ECS task definition
// (as DescribeTaskDefinition returns it); arn is the one asked for, used
// when the answer lacks fields. Task-definition files (ecswinctl) can go
// through it too, so the port-80 rule lives in one place.
func TaskDefinitionFrom(arn string, in *ecstypes.TaskDefinition) *TaskDefinition {
	// Cached for the process's life: nothing of the answer is kept.
	td := &TaskDefinition{ARN: own(arn), NetworkMode: own(string(in.NetworkMode)), Revision: in.Revision}
	if in.Family != nil {
		td.Family = own(*in.Family)
	} else {
		td.Family, td.Revision = familyFromARN(td.ARN)
	}
	if in.TaskRoleArn != nil {
		td.TaskRoleARN = own(*in.TaskRoleArn)
	}
	if in.RuntimePlatform != nil {
		td.OSFamily = own(string(in.RuntimePlatform.OperatingSystemFamily))
	}
	for _, c := range in.ContainerDefinitions {
		if BindsHostPort80(td.NetworkMode, c.PortMappings) {
			name := "(unnamed)"
			if c.Name != nil {
				name = own(*c.Name)
			}
			td.HostPort80Containers = append(td.HostPort80Containers, name)
		}
	}
	return td
}

// BindsHostPort80 reports whether port mappings take TCP port 80 on the
// host in this network mode: never in awsvpc (the task's own ENI) or
// none; in host mode the container port is the host port; in the default
// (NAT) and bridge modes only an explicit hostPort 80 does.
func BindsHostPort80(networkMode string, mappings []ecstypes.PortMapping) bool {
	for _, pm := range mappings {
		if pm.Protocol == ecstypes.TransportProtocolUdp {
			continue
		}
		switch networkMode {
		case NetworkModeAWSVPC, NetworkModeNone:
			return false
		case NetworkModeHost:
			if valueIs80(pm.ContainerPort) || valueIs80(pm.HostPort) {
				return true
			}
		default:
			if valueIs80(pm.HostPort) {
				return true
			}
		}
	}
	return false
}

func valueIs80(p *int32) bool { return p != nil && *p == 80 }

// familyFromARN reads family and revision from
// arn:aws:ecs:region:account:task-definition/family:revision.
func familyFromARN(arn string) (string, int32) {
	rest := arn
	if i := strings.LastIndex(rest, "/"); i >= 0 {
		rest = rest[i+1:]
	}
	fam, rev, ok := strings.Cut(rest, ":")
	if !ok {
		return fam, 0
	}
	var n int32
	for _, r := range rev {
		if r < '0' || r > '9' {
			return fam, 0
		}
		n = n*10 + (r - '0')
	}
	return fam, n
}
