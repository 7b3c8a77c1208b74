package fleet

import "strings"

// Well-known attribute names.
const (
	AttrOSType       = "ecs.os-type"
	AttrOSFamily     = "ecs.os-family"
	AttrTaskIAMRole  = "com.amazonaws.ecs.capability.task-iam-role"
	AttrTaskENI      = "ecs.capability.task-eni"
	AttrInstanceType = "ecs.instance-type"
	AttrAZ           = "ecs.availability-zone"
	AttrAMI          = "ecs.ami-id"
	AttrCPUArch      = "ecs.cpu-architecture"
	AttrDockerAPI    = "com.amazonaws.ecs.capability.docker-remote-api.1.24"
	AttrAwslogs      = "com.amazonaws.ecs.capability.logging-driver.awslogs"
	AttrExecRole     = "ecs.capability.execution-role-awslogs"
)

// MaxCustomAttributes is how many custom attributes ECS allows a resource.
const MaxCustomAttributes = 10

// builtin lists the agent-reported attributes of the instance, in the
// order ECS lists them.
func (i *Instance) builtin(yield func(Attribute) bool) {
	osType := "linux"
	if i.Windows() {
		osType = "windows"
	}
	attrs := [...]Attribute{
		{Name: AttrDockerAPI},
		{Name: AttrAwslogs},
		{Name: AttrExecRole},
		{Name: AttrTaskIAMRole},
		{Name: AttrTaskENI},
		{Name: AttrOSType, Value: osType},
		{Name: AttrOSFamily, Value: i.OSFamily()},
		{Name: AttrCPUArch, Value: "x86_64"},
		{Name: AttrInstanceType, Value: "m5.xlarge"},
		{Name: AttrAZ, Value: i.zone()},
		{Name: AttrAMI, Value: "ami-0" + i.EC2ID[2:18]},
	}
	for _, a := range attrs {
		switch {
		case a.Name == AttrTaskIAMRole && !i.TaskRoles,
			a.Name == AttrTaskENI && !i.TaskENI,
			a.Name == AttrOSFamily && i.group.spec.NoOSFamilyAttribute:
			continue
		}
		if !yield(a) {
			return
		}
	}
}

func (i *Instance) zone() string {
	return i.Cluster.region + string(rune('a'+i.hostIndex%3))
}

// Attributes lists every attribute of the instance: the agent's, then custom ones.
func (i *Instance) Attributes(yield func(Attribute) bool) {
	done := false
	i.builtin(func(a Attribute) bool {
		if !yield(a) {
			done = true
			return false
		}
		return true
	})
	if done {
		return
	}
	for _, a := range i.Custom {
		if !yield(a) {
			return
		}
	}
}

// Attr returns the value of the named attribute and whether the instance has it.
func (i *Instance) Attr(name string) (value string, ok bool) {
	for _, a := range i.Custom {
		if a.Name == name {
			return a.Value, true
		}
	}
	found := false
	i.builtin(func(a Attribute) bool {
		if a.Name == name {
			value, found = a.Value, true
			return false
		}
		return true
	})
	return value, found
}

// IsBuiltinAttribute tells whether name is reported by the agent, which
// PutAttributes and DeleteAttributes may not change.
func IsBuiltinAttribute(name string) bool {
	return strings.HasPrefix(name, "ecs.") || strings.HasPrefix(name, "com.amazonaws.ecs.")
}

// PutAttribute sets a custom attribute; ok=false when the instance
// already has MaxCustomAttributes others.
func (i *Instance) PutAttribute(a Attribute) (ok bool) {
	for k := range i.Custom {
		if i.Custom[k].Name == a.Name {
			if i.Custom[k].Value != a.Value {
				i.Custom[k].Value = a.Value
				i.Version++
			}
			return true
		}
	}
	if len(i.Custom) >= MaxCustomAttributes {
		return false
	}
	i.Custom = append(i.Custom, a)
	i.Version++
	return true
}

// DeleteAttribute removes a custom attribute, reporting whether it existed.
func (i *Instance) DeleteAttribute(name string) bool {
	for k := range i.Custom {
		if i.Custom[k].Name == name {
			i.Custom = append(i.Custom[:k:k], i.Custom[k+1:]...)
			i.Version++
			return true
		}
	}
	return false
}

// Windows reserves these TCP ports for the agent, Docker and remote
// management; task roles add 80 for the credential proxy.
var (
	windowsPorts         = []string{"53", "135", "139", "445", "2375", "2376", "3389", "5985", "5986", "51678", "51679"}
	windowsPortsTaskRole = append([]string{"80"}, windowsPorts...)
	linuxPorts           = []string{"22", "2375", "2376", "51678", "51679"}
)

// ReservedPorts is the instance's PORTS resource.
func (i *Instance) ReservedPorts() []string {
	switch {
	case !i.Windows():
		return linuxPorts
	case i.TaskRoles:
		return windowsPortsTaskRole
	default:
		return windowsPorts
	}
}
