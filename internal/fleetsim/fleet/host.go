package fleet

import (
	"strconv"

	"github.com/ecswin/ecswin/internal/bootstrap/memos"
	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
)

// Windows tells whether the instance runs Windows.
func (i *Instance) Windows() bool { return scenario.IsWindows(i.group.spec.OSFamily) }

// OSFamily is the instance's ecs.os-family.
func (i *Instance) OSFamily() string { return i.group.spec.OSFamily }

// OS returns the in-memory Windows OS of the host, creating it from the
// instance's tasks and pending drift on first use; nil for Linux.
func (i *Instance) OS() *memos.Host {
	if i.Host.os != nil || !i.Windows() {
		return i.Host.os
	}
	os := memos.NewHost(memos.HostOptions{InstanceID: i.EC2ID})
	for _, pf := range i.Host.pendingFaults {
		os.BreakProxy(pf)
	}
	i.Host.pendingFaults = nil
	for _, t := range i.Tasks {
		addContainers(os, t)
	}
	i.Host.os = os
	return os
}

// ContainersLackingRoute counts the host's NAT containers without the
// credentials route, without creating the OS when it does not exist yet.
func (i *Instance) ContainersLackingRoute() int {
	if !i.Windows() {
		return 0
	}
	if i.Host.os != nil {
		return i.Host.os.ContainersLackingRoute()
	}
	n := 0
	for _, t := range i.Tasks {
		if t.Def.NATMode() && !t.withRoute {
			n += len(t.Def.Containers)
		}
	}
	return n
}

// Containers counts the containers running on the host.
func (i *Instance) Containers() int {
	n := 0
	for _, t := range i.Tasks {
		n += len(t.Def.Containers)
	}
	return n
}

// ProxyHealthy tells whether the credential proxy works (always true on Linux).
func (i *Instance) ProxyHealthy() bool {
	if !i.Windows() {
		return true
	}
	if i.Host.os != nil {
		return i.Host.os.ProxyHealthy()
	}
	return len(i.Host.pendingFaults) == 0
}

// BreakProxy breaks the host's credential proxy.
func (i *Instance) BreakProxy(pf memos.ProxyFault) {
	if !i.Windows() {
		return
	}
	if i.Host.os != nil {
		i.Host.os.BreakProxy(pf)
		return
	}
	i.Host.pendingFaults = append(i.Host.pendingFaults, pf)
}

// StripRoutes removes the credentials route from every running container.
func (i *Instance) StripRoutes() {
	os := i.OS()
	if os == nil {
		return
	}
	for _, t := range i.Tasks {
		for _, id := range containerIDs(t) {
			os.StripRoutes(id)
		}
	}
}

// Reboot restarts the host: the ECS agent disconnects, the credential
// proxy stays down until it is repaired, ECS replaces every task with a
// new one whose containers start without the route (unless their image
// bootstraps itself), and the agent connects again, as after a real
// restart (which the simulator plays in one instant).
func (f *Fleet) Reboot(i *Instance) {
	i.Host.Reboots++
	connected := i.AgentConnected
	f.SetAgentConnected(i, false)
	os := i.OS()
	if os != nil {
		os.Reboot()
	}
	f.noteHealth(i, CauseReboot, FixedByChange)
	old := append([]*Task(nil), i.Tasks...)
	for _, t := range old {
		f.StopTask(t, "Host EC2 (instance "+i.EC2ID+") rebooted")
	}
	for _, t := range old {
		f.startTask(i, t.Def, f.now(), !t.Def.NATMode())
	}
	f.SetAgentConnected(i, connected)
}

// Address is the host's private IPv4 address.
func (i *Instance) Address() string {
	n := i.hostIndex
	return "10." + itoa(n/40000%250) + "." + itoa(n/200%200+1) + "." + itoa(n%200+10)
}

func itoa(n int) string { return strconv.Itoa(n) }
