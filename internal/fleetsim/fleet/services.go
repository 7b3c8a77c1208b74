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
