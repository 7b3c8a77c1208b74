package fleet

// HostState is what a test can assert about one host.
type HostState struct {
	InstanceID             string
	ContainerInstanceARN   string
	Cluster                string
	OSFamily               string
	Windows                bool
	Status                 string
	AgentConnected         bool
	SSMOnline              bool
	TaskRoles              bool
	RunningTasks           int
	Containers             int
	ContainersLackingRoute int
	ProxyHealthy           bool
	Reboots                int
	CommandsRun            int
}

// State reads the host's state (without creating its OS).
func (i *Instance) State() HostState {
	return HostState{
		InstanceID:             i.EC2ID,
		ContainerInstanceARN:   i.ARN(),
		Cluster:                i.Cluster.Name,
		OSFamily:               i.OSFamily(),
		Windows:                i.Windows(),
		Status:                 i.Status,
		AgentConnected:         i.AgentConnected,
		SSMOnline:              i.Host.SSMOnline,
		TaskRoles:              i.TaskRoles,
		RunningTasks:           len(i.Tasks),
		Containers:             i.Containers(),
		ContainersLackingRoute: i.ContainersLackingRoute(),
		ProxyHealthy:           i.ProxyHealthy(),
		Reboots:                i.Host.Reboots,
		CommandsRun:            i.Host.CommandsRun,
	}
}

// Summary counts the state of the whole fleet (active instances only).
type Summary struct {
	Clusters               int
	Instances              int
	WindowsHosts           int
	RunningTasks           int
	Containers             int
	ContainersLackingRoute int
	HostsLackingRoute      int
	DeadProxies            int
	SSMOffline             int
	WithoutTaskRoles       int
	Port80Tasks            int
	CommandsRun            int
}

// Healthy tells whether no Windows host lacks a route or a proxy.
func (s Summary) Healthy() bool { return s.ContainersLackingRoute == 0 && s.DeadProxies == 0 }

// Summarize walks every active instance.
func (f *Fleet) Summarize() Summary {
	s := Summary{Clusters: len(f.Clusters)}
	for _, c := range f.Clusters {
		for _, i := range c.Instances {
			if i.Status == StatusInactive {
				continue
			}
			s.Instances++
			s.RunningTasks += len(i.Tasks)
			s.Containers += i.Containers()
			s.CommandsRun += i.Host.CommandsRun
			if !i.Host.SSMOnline {
				s.SSMOffline++
			}
			for _, t := range i.Tasks {
				if t.Def.BindsHostPort80() {
					s.Port80Tasks++
				}
			}
			if !i.Windows() {
				continue
			}
			s.WindowsHosts++
			if !i.TaskRoles {
				s.WithoutTaskRoles++
			}
			if n := i.ContainersLackingRoute(); n > 0 {
				s.ContainersLackingRoute += n
				s.HostsLackingRoute++
			}
			if !i.ProxyHealthy() {
				s.DeadProxies++
			}
		}
	}
	return s
}
