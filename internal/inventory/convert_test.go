package inventory

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

func TestBindsHostPort80(t *testing.T) {
	pm := func(container, host int32, proto ecstypes.TransportProtocol) ecstypes.PortMapping {
		m := ecstypes.PortMapping{Protocol: proto}
		if container != 0 {
			m.ContainerPort = aws.Int32(container)
		}
		if host >= 0 {
			m.HostPort = aws.Int32(host)
		}
		return m
	}
	cases := map[string]struct {
		mode string
		pm   ecstypes.PortMapping
		want bool
	}{
		"default, hostPort 80":           {"", pm(8080, 80, ""), true},
		"nat, hostPort 80":               {"nat", pm(80, 80, ""), true},
		"bridge, hostPort 80":            {"bridge", pm(80, 80, "tcp"), true},
		"default, containerPort 80 only": {"", pm(80, -1, ""), false},
		"default, dynamic host port":     {"", pm(80, 0, ""), false},
		"host, containerPort 80":         {"host", pm(80, -1, ""), true},
		"host, containerPort 8080":       {"host", pm(8080, -1, ""), false},
		"awsvpc, hostPort 80":            {"awsvpc", pm(80, 80, ""), false},
		"none":                           {"none", pm(80, 80, ""), false},
		"udp 80 does not collide":        {"", pm(80, 80, "udp"), false},
		"no ports at all":                {"", ecstypes.PortMapping{}, false},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if got := BindsHostPort80(c.mode, []ecstypes.PortMapping{c.pm}); got != c.want {
				t.Errorf("BindsHostPort80 = %v, want %v", got, c.want)
			}
		})
	}
}

func TestFamilyFromARN(t *testing.T) {
	cases := map[string]struct {
		arn string
		fam string
		rev int32
	}{
		"full ARN":     {"arn:aws:ecs:us-east-1:123456789012:task-definition/web:12", "web", 12},
		"family:rev":   {"web:3", "web", 3},
		"no revision":  {"arn:aws:ecs:us-east-1:1:task-definition/web", "web", 0},
		"bad revision": {"web:x1", "web", 0},
		"empty":        {"", "", 0},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			fam, rev := familyFromARN(c.arn)
			if fam != c.fam || rev != c.rev {
				t.Errorf("familyFromARN = %q %d, want %q %d", fam, rev, c.fam, c.rev)
			}
		})
	}
}

func TestConvertInstance(t *testing.T) {
	attr := func(name, value string) ecstypes.Attribute {
		return ecstypes.Attribute{Name: aws.String(name), Value: aws.String(value)}
	}
	cases := map[string]struct {
		in      ecstypes.ContainerInstance
		nilHost bool
		check   func(*Host) bool
	}{
		"no ARN is skipped": {in: ecstypes.ContainerInstance{Ec2InstanceId: aws.String("i-1")}, nilHost: true},
		"linux after all is skipped": {in: ecstypes.ContainerInstance{ContainerInstanceArn: aws.String("a"),
			Attributes: []ecstypes.Attribute{attr("ecs.os-type", "linux")}}, nilHost: true},
		"no instance ID is kept with a reason": {in: ecstypes.ContainerInstance{ContainerInstanceArn: aws.String("a")},
			check: func(h *Host) bool {
				return h.Problem == ReasonMissingInstanceID && h.SSM == SSMUnknown && h.OSFamily == "WINDOWS"
			}},
		"capabilities and port 80": {in: ecstypes.ContainerInstance{ContainerInstanceArn: aws.String("a"), Ec2InstanceId: aws.String("i-1"),
			Attributes: []ecstypes.Attribute{attr("ecs.os-type", "windows"), attr("ecs.os-family", "WINDOWS_SERVER_2022_CORE"),
				{Name: aws.String("com.amazonaws.ecs.capability.task-iam-role")}, {Name: aws.String("ecs.capability.task-eni")}, {}},
			RegisteredResources: []ecstypes.Resource{{Name: aws.String("PORTS"), StringSetValue: []string{"22", "80"}}, {}}},
			check: func(h *Host) bool {
				return h.TaskRoleEnabled && h.TaskENIEnabled && h.Port80Reserved && h.OSFamily == "WINDOWS_SERVER_2022_CORE" && h.Problem == ""
			}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			h := convertInstance("c", &c.in, newInterner())
			if c.nilHost {
				if h != nil {
					t.Errorf("host = %+v, want skipped", h)
				}
				return
			}
			if h == nil || !c.check(h) {
				t.Errorf("host = %+v", h)
			}
		})
	}
}
