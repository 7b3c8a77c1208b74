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
	// AccessConsume reads and deletes the events of ecswin's own queue
	// (spec.events.queueURL): both policies, since a DryRun controller
	// must delete what it has read too, restricted to ecswin-* queues.
	AccessConsume Access = "Consume"
)

// Operations is every operation of ECSAPI, SSMAPI and SQSAPI, as IAM
// actions (see IAMAction), with its access. TestPoliciesMatchTheOperations (config/iam) reflects over the
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
	"sqs:ReceiveMessage":               AccessConsume,
	"sqs:DeleteMessage":                AccessConsume,
}

// batchActions are the API operations IAM authorizes as another action:
// SQS's batch calls are authorized as their single forms.
var batchActions = map[string]string{
	"sqs:DeleteMessageBatch":           "sqs:DeleteMessage",
	"sqs:SendMessageBatch":             "sqs:SendMessage",
	"sqs:ChangeMessageVisibilityBatch": "sqs:ChangeMessageVisibility",
}

// IAMAction is the IAM action that authorizes an API operation of a
// service ("sqs", "DeleteMessageBatch" is sqs:DeleteMessage).
func IAMAction(service, operation string) string {
	a := service + ":" + operation
	if single, ok := batchActions[a]; ok {
		return single
	}
	return a
}

// SessionActions are what the AssumeRole of spec.aws.roleARN needs
// (NewConfig): the role and the session's source identity. Both policies.
var SessionActions = []string{"sts:AssumeRole", "sts:SetSourceIdentity"}
