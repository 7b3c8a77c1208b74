package fleet

import (
	"maps"
	"slices"
	"time"

	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
)

// Service is an ECS service of a cluster. Its tasks are the cluster's
// running tasks of its family (every simulated task's group is
// service:<family>).
type Service struct {
	Name string
	ARN  string
	Def  *TaskDefinition
	// Desired is the declared desiredCount; followsRunning services (the
	// ones derived from placed tasks) want exactly what runs.
	Desired        int
	followsRunning bool
	CreatedAt      time.Time
}

// Running is how many of the service's tasks run in cluster c.
func (s *Service) Running(c *Cluster) int { return c.runningByFamily[s.Def.Family] }

// DesiredCount is the service's desiredCount in cluster c.
func (s *Service) DesiredCount(c *Cluster) int {
	if s.followsRunning {
		return s.Running(c)
	}
	return s.Desired
}

// Service finds a service of c by name or ARN.
func (c *Cluster) Service(nameOrARN string) *Service { return c.serviceByName[lastSegment(nameOrARN)] }

// addServices gives c its declared services, then one per family with
// tasks placed in it and no declared service of that name.
func (f *Fleet) addServices(c *Cluster, declared []scenario.Service) {
	created := f.now().Add(-30 * 24 * time.Hour)
	for _, s := range declared {
		f.addService(c, &Service{Name: s.Name, Def: f.latest[s.TaskDefinition], Desired: s.DesiredCount, CreatedAt: created})
	}
	placed := map[string]*TaskDefinition{}
	for _, t := range c.Tasks {
		placed[t.Def.Family] = t.Def
	}
	for _, fam := range slices.Sorted(maps.Keys(placed)) {
		if c.serviceByName[fam] == nil {
			f.addService(c, &Service{Name: fam, Def: placed[fam], followsRunning: true, CreatedAt: created})
		}
	}
}

func (f *Fleet) addService(c *Cluster, s *Service) {
	s.ARN = f.ServiceARN(c, s.Name)
	c.Services = append(c.Services, s)
	c.serviceByName[s.Name] = s
}

// CreateService declares a service in c now (a scenario event), running
// the latest revision of its family.
func (f *Fleet) CreateService(c *Cluster, spec scenario.Service) *Service {
	if c.serviceByName[spec.Name] != nil || f.latest[spec.TaskDefinition] == nil {
		return nil
	}
	s := &Service{Name: spec.Name, Def: f.latest[spec.TaskDefinition], Desired: spec.DesiredCount, CreatedAt: f.now()}
	f.addService(c, s)
	f.checkPlacement(c, s)
	return s
}

// Unplaceable tells whether the service wants more tasks than run and no
// active instance of c could take one: its definition binds host port 80
// and every instance has task roles on (the credential proxy holds the
// port) or already holds it (RESOURCE:PORTS).
func (f *Fleet) Unplaceable(c *Cluster, s *Service) bool {
	if s.DesiredCount(c) <= s.Running(c) || !s.Def.BindsHostPort80() {
		return false
	}
	for _, i := range c.Instances {
		if i.Status != StatusInactive && !i.TaskRoles && !i.holdsPort80() {
			return false
		}
	}
	return true
}

// checkPlacement tells the observer when the scheduler cannot place the
// service's tasks.
func (f *Fleet) checkPlacement(c *Cluster, s *Service) {
	if f.observer != nil && f.Unplaceable(c, s) {
		f.observer.PlacementFailed(c, s, ReasonPorts)
	}
}

// RetryPlacement is the service scheduler trying again: every service
// that cannot place fails placement once more.
func (f *Fleet) RetryPlacement() {
	for _, c := range f.Clusters {
		for _, s := range c.Services {
			f.checkPlacement(c, s)
		}
	}
}

// ReasonPorts is the placement failure of a host port no instance has free.
const ReasonPorts = "RESOURCE:PORTS"
