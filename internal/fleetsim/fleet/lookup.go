package fleet

// Cluster finds a cluster by name or ARN ("" is "default").
func (f *Fleet) Cluster(nameOrARN string) *Cluster {
	return f.clusterByName[clusterName(nameOrARN)]
}

// Instance finds a container instance of c by ARN or ID.
func (c *Cluster) Instance(arnOrID string) *Instance { return c.byID[lastSegment(arnOrID)] }

// ByEC2ID finds the instance behind an EC2 instance ID (SSM's view).
func (f *Fleet) ByEC2ID(id string) *Instance { return f.byEC2[id] }

// ManagedInstances lists every instance in registration order.
func (f *Fleet) ManagedInstances() []*Instance { return f.ec2Order }

// ActiveInstances counts the cluster's instances that are not INACTIVE.
func (c *Cluster) ActiveInstances() int {
	n := 0
	for _, i := range c.Instances {
		if i.Status != StatusInactive {
			n++
		}
	}
	return n
}
