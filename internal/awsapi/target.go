package awsapi

import "strings"

// Target is the AWS account and region a policy acts on. What ecswin
// remembers about a policy's hosts (commands in flight, last reports, the
// SSM document it wrote) belongs to the target, not to how the clients
// reach it: endpoints, retry mode and session name can change and the
// memory stays, and two policies on one target see each other's commands.
type Target struct {
	Partition string
	// Account is the account of the role the policy assumes; empty
	// without a role, which is the manager's own account.
	Account string
	Region  string
	RoleARN string
}

// Target is the target s reaches.
func (s Settings) Target() Target {
	t := Target{Region: strings.ToLower(s.Region), RoleARN: s.RoleARN}
	if p, ok := PartitionOf(s.Region); ok {
		t.Partition = p.ID
	}
	// arn:<partition>:iam::<account>:role/<name>
	if parts := strings.SplitN(s.RoleARN, ":", 6); len(parts) == 6 {
		t.Account = parts[4]
		if t.Partition == "" {
			t.Partition = parts[1]
		}
	}
	return t
}

// HostScope is the part of a target that names a host together with its
// EC2 instance ID: the partition and region. The account is left out on
// purpose: a policy without a role does not know its account, and an
// instance ID does not repeat across accounts in practice, so two
// policies reaching the same host through different credentials still
// see one host (a lock held too widely only makes a host wait; one held
// too narrowly would send it two commands).
type HostScope struct {
	Partition string
	Region    string
}

// Hosts is the scope of the target's hosts.
func (t Target) Hosts() HostScope { return HostScope{Partition: t.Partition, Region: t.Region} }
