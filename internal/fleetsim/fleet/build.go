package fleet

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"github.com/ecswin/ecswin/internal/bootstrap/memos"
	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

// picker is the fleet's one source of random choices.
type picker struct{ rng *rand.Rand }

func newPicker(seed uint64) *picker {
	return &picker{rng: rand.New(rand.NewPCG(seed, seed^0x5851f42d4c957f2d))}
}

// distinct picks up to n distinct elements of from, in a seeded order.
func pickDistinct[T any](p *picker, from []T, n int) []T {
	if n > len(from) {
		n = len(from)
	}
	idx := p.rng.Perm(len(from))[:n]
	sort.Ints(idx)
	out := make([]T, n)
	for i, j := range idx {
		out[i] = from[j]
	}
	return out
}

// Build turns a validated scenario into a fleet; now is the simulator's
// clock, read for registration and start times.
func Build(s *scenario.Scenario, now func() time.Time) (*Fleet, error) {
	f := &Fleet{
		Region:        s.Region,
		AccountID:     s.AccountID,
		clusterByName: map[string]*Cluster{},
		byEC2:         map[string]*Instance{},
		defByKey:      map[string]*TaskDefinition{},
		latest:        map[string]*TaskDefinition{},
		ids:           idSource{wire.IDs{Seed: s.Seed}},
		clock:         now,
		pick:          newPicker(s.Seed),
		building:      true,
	}
	for _, td := range s.TaskDefinitions {
		f.RegisterTaskDefinition(td)
	}
	for _, cs := range s.Clusters {
		c := f.addCluster(cs.Name)
		for _, gs := range cs.Groups {
			g, err := f.newGroup(gs)
			if err != nil {
				return nil, fmt.Errorf("cluster %s: %w", cs.Name, err)
			}
			if c.template == nil {
				c.template = g
			}
			first := len(c.Instances)
			for i := range gs.Count {
				inst := f.addInstance(c, g, i)
				inst.RegisteredAt = now().Add(-30 * 24 * time.Hour)
				f.placeTasks(inst, gs.TasksPerInstance, gs.Drift.ContainersWithoutRoute, true)
			}
			f.applyDrift(c.Instances[first:], gs.Drift)
		}
		f.addServices(c, cs.Services)
	}
	f.building = false
	for _, i := range f.ec2Order {
		f.noteHealth(i, CauseInitial, FixedByChange)
	}
	return f, nil
}

func (f *Fleet) addCluster(name string) *Cluster {
	c := &Cluster{
		Name:     name,
		ARN:      f.ClusterARN(name),
		byID:     map[string]*Instance{},
		taskByID: map[string]*Task{},
		region:   f.Region,

		runningByFamily: map[string]int{},
		serviceByName:   map[string]*Service{},
	}
	c.instancePrefix = f.arn("container-instance/" + name + "/")
	c.taskPrefix = f.arn("task/" + name + "/")
	f.Clusters = append(f.Clusters, c)
	f.clusterByName[name] = c
	return c
}

func (f *Fleet) newGroup(gs scenario.Group) (*group, error) {
	g := &group{spec: gs}
	// Sorted: map order must not change the fleet.
	for _, fam := range slices.Sorted(maps.Keys(gs.TaskMix)) {
		def := f.latest[fam]
		if def == nil {
			return nil, fmt.Errorf("task mix names unknown family %q", fam)
		}
		if w := gs.TaskMix[fam]; w > 0 {
			g.mix = append(g.mix, weighted{def: def, weight: w})
			g.mixTotal += w
		}
	}
	return g, nil
}

// spread tells whether the i-th of n gets a share: exactly round(share*n)
// of them do, spread evenly, with no random draw.
func spread(i int, share float64) bool {
	return int(float64(i+1)*share+1e-9) > int(float64(i)*share+1e-9)
}

// addInstance registers the i-th instance of group g in cluster c; i
// decides whether it gets the group's task-role and task-ENI shares.
func (f *Fleet) addInstance(c *Cluster, g *group, i int) *Instance {
	inst := &Instance{
		ID:             f.ids.hex32(),
		EC2ID:          f.ids.ec2ID(),
		Cluster:        c,
		group:          g,
		Status:         StatusActive,
		AgentConnected: true,
		TaskRoles:      spread(i, g.spec.TaskRoleShare),
		TaskENI:        spread(i, g.spec.TaskENIShare),
		RegisteredAt:   f.now(),
		Version:        1,
		hostIndex:      len(f.ec2Order),
		Host:           Host{SSMOnline: true},
	}
	for _, k := range slices.Sorted(maps.Keys(g.spec.Attributes)) {
		inst.Custom = append(inst.Custom, Attribute{Name: k, Value: g.spec.Attributes[k]})
	}
	c.Instances = append(c.Instances, inst)
	c.byID[inst.ID] = inst
	f.byEC2[inst.EC2ID] = inst
	f.ec2Order = append(f.ec2Order, inst)
	return inst
}

// placeTasks starts n tasks from the group's mix on inst. A definition
// that binds host port 80 is placed only where ECS would place it: on an
// instance without task roles and without another such task.
func (f *Fleet) placeTasks(inst *Instance, n int, withoutRoute float64, old bool) {
	g := inst.group
	if g.mixTotal == 0 {
		return
	}
	for range n {
		def := f.chooseDef(inst, g)
		if def == nil {
			continue
		}
		started := f.now()
		if old {
			started = started.Add(-time.Duration(1+f.pick.rng.IntN(24*60)) * time.Minute)
		}
		withRoute := !(def.NATMode() && f.pick.rng.Float64() < withoutRoute)
		f.startTask(inst, def, started, withRoute)
	}
}

func (f *Fleet) chooseDef(inst *Instance, g *group) *TaskDefinition {
	draw := f.pick.rng.IntN(g.mixTotal)
	start := 0
	for i, w := range g.mix {
		if draw < w.weight {
			start = i
			break
		}
		draw -= w.weight
	}
	for k := range g.mix {
		def := g.mix[(start+k)%len(g.mix)].def
		if !def.BindsHostPort80() {
			return def
		}
		if !inst.TaskRoles && !inst.holdsPort80() {
			return def
		}
	}
	return nil
}

func (i *Instance) holdsPort80() bool {
	for _, t := range i.Tasks {
		if t.Def.BindsHostPort80() {
			return true
		}
	}
	return false
}

var proxyFaultNames = map[string]memos.ProxyFault{
	"addressNotUp":      memos.ProxyAddressNotUp,
	"ruleMissing":       memos.ProxyRuleMissing,
	"listenerDown":      memos.ProxyListenerDown,
	"excludedPortRange": memos.ProxyExcludedPortRange,
	"addressMissing":    memos.ProxyAddressMissing,
}

// defaultProxyFaults are the faults that a proxy repair can fix, in turn
// (an agent that does not listen is only reported since route-bootstrap
// stopped restarting the agent).
var defaultProxyFaults = []memos.ProxyFault{memos.ProxyAddressNotUp, memos.ProxyRuleMissing, memos.ProxyAddressMissing}

func (f *Fleet) applyDrift(insts []*Instance, d scenario.Drift) {
	var windows []*Instance
	for _, inst := range insts {
		if inst.Windows() {
			windows = append(windows, inst)
		}
	}
	kinds := defaultProxyFaults
	if len(d.ProxyFaults) > 0 {
		kinds = nil
		for _, name := range d.ProxyFaults {
			if pf, ok := proxyFaultNames[name]; ok {
				kinds = append(kinds, pf)
			}
		}
	}
	for n, inst := range pickDistinct(f.pick, windows, d.DeadProxies) {
		inst.Host.pendingFaults = append(inst.Host.pendingFaults, kinds[n%len(kinds)])
	}
	for _, inst := range pickDistinct(f.pick, insts, d.AgentsOffline) {
		inst.Host.SSMOnline = false
	}
	for _, inst := range pickDistinct(f.pick, insts, d.AgentsDisconnected) {
		inst.AgentConnected = false
	}
	for _, inst := range pickDistinct(f.pick, windows, d.HangingCommands) {
		inst.Host.Behavior = BehaveHang
	}
	for _, inst := range pickDistinct(f.pick, windows, d.FailingCommands) {
		inst.Host.Behavior = BehaveFail
	}
}
