package awsapi

// Access is what an AWS operation ecswin calls does, which decides the IAM
// policy it belongs in (config/iam).
type Access string

const (
	// AccessRead changes nothing: both policies.
	AccessRead Access = "Read"
	// AccessRun is ssm:SendCommand: both policies, since DryRun runs
	// route-bootstrap with --check (which changes nothing on the host),
	// restricted to ecswin's tagged document and tagged hosts.
	AccessRun Access = "Run"
	// AccessWrite changes AWS state (ecswin's documents, the readiness
	// attribute): the Enforce policy only.
	AccessWrite Access = "Write"
)

// Operations is every operation of ECSAPI and SSMAPI, as IAM actions, with
// its access. TestPoliciesMatchTheOperations (config/iam) reflects over the
// interfaces, so a method added without an entry here, and without its
// place in the policies, fails the build's tests.
var Operations = map[string]Access{
	"ecs:DescribeClusters":             AccessRead,
	"ecs:ListContainerInstances":       AccessRead,
	"ecs:DescribeContainerInstances":   AccessRead,
	"ecs:ListTasks":                    AccessRead,
	"ecs:DescribeTasks":                AccessRead,
	"ecs:ListServices":                 AccessRead,
	"ecs:DescribeServices":             AccessRead,
	"ecs:DescribeTaskDefinition":       AccessRead,
	"ecs:PutAttributes":                AccessWrite,
	"ecs:DeleteAttributes":             AccessWrite,
	"ssm:DescribeInstanceInformation":  AccessRead,
	"ssm:DescribeDocument":             AccessRead,
	"ssm:ListTagsForResource":          AccessRead,
	"ssm:CreateDocument":               AccessWrite,
	"ssm:UpdateDocument":               AccessWrite,
	"ssm:UpdateDocumentDefaultVersion": AccessWrite,
	"ssm:SendCommand":                  AccessRun,
	"ssm:ListCommands":                 AccessRead,
	"ssm:ListCommandInvocations":       AccessRead,
	"ssm:GetCommandInvocation":         AccessRead,
}

// SessionActions are what the AssumeRole of spec.aws.roleARN needs
// (NewConfig): the role and the session's source identity. Both policies.
var SessionActions = []string{"sts:AssumeRole", "sts:SetSourceIdentity"}
