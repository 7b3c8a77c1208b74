package fleetsim

import (
	"fmt"
	"time"

	"github.com/ecswin/ecswin/internal/bootstrap/memos"
	"github.com/ecswin/ecswin/internal/fleetsim/faults"
	"github.com/ecswin/ecswin/internal/fleetsim/fleet"
)

// SetFaults replaces the API fault configuration.
func (s *Sim) SetFaults(cfg FaultConfig) { s.injector.Set(cfg) }

// Faults returns the API fault configuration in force.
func (s *Sim) Faults() FaultConfig { return s.injector.Get() }

// FailCalls answers the nth call of operation from now on (counting from
// 1, retries included; 0 is the next one) and the times-1 calls after it
// with the AWS error code, deterministically.
func (s *Sim) FailCalls(operation, code string, nth, times int) {
	s.injector.Fail(faults.Failure{Operation: operation, Code: code, Nth: nth, Times: times})
}

// SetThrottleFraction throttles that fraction (0..1) of calls.
func (s *Sim) SetThrottleFraction(f float64) {
	cfg := s.injector.Get()
	cfg.ThrottleFraction = f
	s.injector.Set(cfg)
}

// SetServerErrorFraction answers that fraction (0..1) of calls with a 5xx.
func (s *Sim) SetServerErrorFraction(f float64) {
	cfg := s.injector.Get()
	cfg.ServerErrorFraction = f
	s.injector.Set(cfg)
}

// SetLatency adds d to every call.
func (s *Sim) SetLatency(d time.Duration) {
	cfg := s.injector.Get()
	cfg.Latency = faults.Duration(d)
	s.injector.Set(cfg)
}

// SetSSMTiming changes how fast SSM commands move; commands in flight
// take the new delays for the steps they have not reached yet.
func (s *Sim) SetSSMTiming(t SSMTiming) {
	leave := s.enter()
	defer leave()
	s.ssm.Timing = t
}

// withInstance runs fn on the instance behind an EC2 instance ID.
func (s *Sim) withInstance(instanceID string, fn func(*fleet.Instance) error) error {
	leave := s.enter()
	defer leave()
	i := s.fleet.ByEC2ID(instanceID)
	if i == nil {
		return fmt.Errorf("fleetsim: no instance %s", instanceID)
	}
	return fn(i)
}

// SetAgentOnline takes the host's SSM agent offline (PingStatus
// ConnectionLost; commands become Undeliverable) or back online.
func (s *Sim) SetAgentOnline(instanceID string, online bool) error {
	return s.withInstance(instanceID, func(i *fleet.Instance) error { i.Host.SSMOnline = online; return nil })
}

// SetAgentConnected sets the ECS agent's agentConnected.
func (s *Sim) SetAgentConnected(instanceID string, connected bool) error {
	return s.withInstance(instanceID, func(i *fleet.Instance) error {
		s.fleet.SetAgentConnected(i, connected)
		return nil
	})
}

// SetCommandBehavior makes the host's commands hang, fail or run normally.
func (s *Sim) SetCommandBehavior(instanceID string, b Behavior) error {
	return s.withInstance(instanceID, func(i *fleet.Instance) error { i.Host.Behavior = b; return nil })
}

// RebootHost reboots the host: its proxy stays down until repaired and
// ECS replaces its tasks with new ones started without routes.
func (s *Sim) RebootHost(instanceID string) error {
	return s.withInstance(instanceID, func(i *fleet.Instance) error { s.fleet.Reboot(i); return nil })
}

// BreakProxy breaks the host's credential proxy in one of memos's ways.
func (s *Sim) BreakProxy(instanceID string, pf memos.ProxyFault) error {
	return s.withInstance(instanceID, func(i *fleet.Instance) error { s.breakProxy(i, pf); return nil })
}

// StripRoutes removes the credentials route from the host's containers.
func (s *Sim) StripRoutes(instanceID string) error {
	return s.withInstance(instanceID, func(i *fleet.Instance) error { s.stripRoutesOf(i); return nil })
}

// StartTask starts a task of the family's latest revision on the host,
// with or without the credentials route, and returns its ARN.
func (s *Sim) StartTask(instanceID, family string, withRoute bool) (taskARN string, err error) {
	err = s.withInstance(instanceID, func(i *fleet.Instance) error {
		def := s.fleet.TaskDefinition(family)
		if def == nil {
			return fmt.Errorf("fleetsim: no task definition %s", family)
		}
		taskARN = s.fleet.StartTask(i, def, withRoute).ARN()
		return nil
	})
	return taskARN, err
}

// StopTask stops a running task by ARN.
func (s *Sim) StopTask(cluster, taskARN string) error {
	leave := s.enter()
	defer leave()
	c := s.fleet.Cluster(cluster)
	if c == nil {
		return fmt.Errorf("fleetsim: no cluster %s", cluster)
	}
	t := c.Task(taskARN)
	if t == nil {
		return fmt.Errorf("fleetsim: no task %s", taskARN)
	}
	s.fleet.StopTask(t, "Task stopped by the simulator")
	return nil
}

// RegisterInstance registers a new instance in the cluster, shaped like
// its first group, and returns its EC2 instance ID.
func (s *Sim) RegisterInstance(cluster string) (instanceID string, err error) {
	leave := s.enter()
	defer leave()
	c := s.fleet.Cluster(cluster)
	if c == nil {
		return "", fmt.Errorf("fleetsim: no cluster %s", cluster)
	}
	i := s.fleet.RegisterInstance(c)
	if i == nil {
		return "", fmt.Errorf("fleetsim: cluster %s has no instance group to copy", cluster)
	}
	return i.EC2ID, nil
}

// DeregisterInstance deregisters the instance (INACTIVE, tasks stopped,
// agents offline).
func (s *Sim) DeregisterInstance(instanceID string) error {
	return s.withInstance(instanceID, func(i *fleet.Instance) error { s.fleet.DeregisterInstance(i); return nil })
}
