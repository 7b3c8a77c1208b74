package apimodel

// Service names one AWS service the simulator serves and the operations
// of it that it answers (kept proportionate: what ecswin calls plus what
// its tests and demos need).
type Service struct {
	// Name is botocore's directory name and the simulator's short name.
	Name string
	// APIVersion is the model's version directory.
	APIVersion string
	// Operations are the served operations, in alphabetical order.
	Operations []string
}

// Served are the services and operations the generated rules cover. A
// handler registered for an operation not listed here is a startup
// panic (see wire.Mux.Handle), so the list cannot fall behind.
var Served = []Service{
	{Name: "ecs", APIVersion: "2014-11-13", Operations: []string{
		"DeleteAttributes",
		"DescribeClusters",
		"DescribeContainerInstances",
		"DescribeServices",
		"DescribeTaskDefinition",
		"DescribeTasks",
		"ListAttributes",
		"ListClusters",
		"ListContainerInstances",
		"ListServices",
		"ListTaskDefinitions",
		"ListTasks",
		"PutAttributes",
	}},
	{Name: "ssm", APIVersion: "2014-11-06", Operations: []string{
		"AddTagsToResource",
		"CancelCommand",
		"CreateDocument",
		"DeleteDocument",
		"DescribeDocument",
		"DescribeInstanceInformation",
		"GetCommandInvocation",
		"GetDocument",
		"ListCommandInvocations",
		"ListCommands",
		"ListTagsForResource",
		"SendCommand",
		"UpdateDocument",
		"UpdateDocumentDefaultVersion",
	}},
	{Name: "sqs", APIVersion: "2012-11-05", Operations: []string{
		"ChangeMessageVisibility",
		"ChangeMessageVisibilityBatch",
		"CreateQueue",
		"DeleteMessage",
		"DeleteMessageBatch",
		"DeleteQueue",
		"GetQueueAttributes",
		"GetQueueUrl",
		"ListQueues",
		"PurgeQueue",
		"ReceiveMessage",
		"SendMessage",
		"SendMessageBatch",
		"SetQueueAttributes",
	}},
}
