package fleet

import (
	"fmt"
	"strings"

	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

// idSource makes unique, reproducible identifiers from a counter mixed
// with the seed (wire.IDs), so the same scenario and seed give the same
// ARNs run after run.
type idSource struct{ wire.IDs }

func (s *idSource) next() uint64 { return s.Next() }

// hex32 is the 32-hex-digit form ECS uses for instance and task IDs.
func (s *idSource) hex32() string {
	return fmt.Sprintf("%016x%016x", s.next(), s.next())
}

// ec2ID is an EC2 instance ID (i- and 17 hex digits).
func (s *idSource) ec2ID() string {
	return fmt.Sprintf("i-%017x", s.next()&0xfffffffffffffff)
}

func (f *Fleet) arn(resource string) string {
	return "arn:aws:ecs:" + f.Region + ":" + f.AccountID + ":" + resource
}

// ARN is the container instance's ARN.
func (i *Instance) ARN() string { return i.Cluster.instancePrefix + i.ID }

// ARN is the task's ARN.
func (t *Task) ARN() string { return t.Instance.Cluster.taskPrefix + t.ID }

// lastSegment is the ID part of an ARN (or the ID itself).
func lastSegment(arnOrID string) string {
	if i := strings.LastIndexByte(arnOrID, '/'); i >= 0 {
		return arnOrID[i+1:]
	}
	return arnOrID
}

// clusterName accepts a cluster name or ARN; empty means "default".
func clusterName(nameOrARN string) string {
	if nameOrARN == "" {
		return "default"
	}
	if strings.HasPrefix(nameOrARN, "arn:") {
		return lastSegment(nameOrARN)
	}
	return nameOrARN
}

// InstanceARN is the ARN an instance of c with this ID has or would have.
func (c *Cluster) InstanceARN(id string) string { return c.instancePrefix + id }

// TaskARN is the ARN a task of c with this ID has or would have.
func (c *Cluster) TaskARN(id string) string { return c.taskPrefix + id }

// ServiceARN is the ARN a service of c with this name has or would have.
func (f *Fleet) ServiceARN(c *Cluster, name string) string {
	return f.arn("service/" + c.Name + "/" + name)
}

// ClusterARN is the ARN a cluster of this name has or would have.
func (f *Fleet) ClusterARN(name string) string { return f.arn("cluster/" + name) }
