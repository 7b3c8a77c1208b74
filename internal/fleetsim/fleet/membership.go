package fleet

// RegisterInstance adds a new instance to c, shaped like the cluster's
// first group (OS family, task roles on, its task mix and route drift),
// with its tasks started now.
func (f *Fleet) RegisterInstance(c *Cluster) *Instance {
	if c == nil || c.template == nil {
		return nil
	}
	g := c.template
	if g == nil {
		return nil
	}
	inst := f.addInstance(c, g, 0)
	inst.TaskRoles = g.spec.TaskRoleShare > 0
	inst.TaskENI = g.spec.TaskENIShare > 0
	f.instanceChanged(inst)
	f.placeTasks(inst, g.spec.TasksPerInstance, g.spec.Drift.ContainersWithoutRoute, false)
	return inst
}

// DeregisterInstance makes the instance INACTIVE, stops its tasks and
// takes its agents offline, as terminating it does.
func (f *Fleet) DeregisterInstance(i *Instance) {
	if i.Status == StatusInactive {
		return
	}
	for _, t := range append([]*Task(nil), i.Tasks...) {
		f.StopTask(t, "Container instance deregistration forced by user")
	}
	i.Status = StatusInactive
	i.AgentConnected = false
	i.Host.SSMOnline = false
	i.Version++
	f.instanceChanged(i)
	f.noteHealth(i, "", FixedByChange)
}

// Candidates lists the instances an event may touch: active ones of the
// named cluster (or all clusters), Windows only when windowsOnly.
func (f *Fleet) Candidates(cluster string, windowsOnly bool) []*Instance {
	var out []*Instance
	for _, c := range f.Clusters {
		if cluster != "" && c.Name != cluster {
			continue
		}
		for _, i := range c.Instances {
			if i.Status == StatusInactive || (windowsOnly && !i.Windows()) {
				continue
			}
			out = append(out, i)
		}
	}
	return out
}

// Pick draws up to n distinct elements with the fleet's seeded source.
func (f *Fleet) Pick(from []*Instance, n int) []*Instance { return pickDistinct(f.pick, from, n) }

// StartTasksWithoutRoute starts n tasks of NAT-mode definitions from the
// instances' own mix on n instances drawn from candidates.
func (f *Fleet) StartTasksWithoutRoute(candidates []*Instance, n int) []*Task {
	var out []*Task
	for _, inst := range f.Pick(candidates, n) {
		def := f.chooseDef(inst, inst.group)
		if def == nil || !def.NATMode() {
			def = f.firstNATDef(inst.group)
		}
		if def == nil {
			continue
		}
		out = append(out, f.StartTask(inst, def, false))
	}
	return out
}

func (f *Fleet) firstNATDef(g *group) *TaskDefinition {
	for _, w := range g.mix {
		if w.def.NATMode() && !w.def.BindsHostPort80() {
			return w.def
		}
	}
	return nil
}

// ReplaceNATTask is a deployment reaching the host: one of its NAT-mode
// tasks stops and a task of its family's latest revision starts, with or
// without the route (one from the host's mix when it runs none).
func (f *Fleet) ReplaceNATTask(inst *Instance, withRoute bool) *Task {
	var nat []*Task
	for _, t := range inst.Tasks {
		if t.Def.NATMode() && !t.Def.BindsHostPort80() {
			nat = append(nat, t)
		}
	}
	def := f.firstNATDef(inst.group)
	if len(nat) > 0 {
		old := nat[f.pick.rng.IntN(len(nat))]
		def = f.latest[old.Def.Family]
		f.StopTask(old, "Scaling activity initiated by (deployment ecs-svc/"+old.Def.Family+")")
	}
	if def == nil {
		return nil
	}
	return f.StartTask(inst, def, withRoute)
}
