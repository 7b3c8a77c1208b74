package ecsapi

import "github.com/ecswin/ecswin/internal/fleetsim/fleet"

// TaskDetail is the task as DescribeTasks shows it, the shape of the
// detail of an "ECS Task State Change" event (whose timestamps are ISO
// strings where DescribeTasks has epoch seconds).
func TaskDetail(t *fleet.Task) any { return renderTask(t.Instance.Cluster, t) }

// InstanceDetail is the container instance as DescribeContainerInstances
// shows it, the shape of an "ECS Container Instance State Change" detail.
func InstanceDetail(i *fleet.Instance) any { return renderInstance(i) }
