package apimodel

// Limit is a constraint the API reference states in prose for one
// member but the service model does not carry (the models of ECS and SQS
// have almost no constraints). The checker enforces it exactly like a
// model constraint, so the service answers it with its validation code
// before any service logic.
type Limit struct {
	Shape, Member string
	// Min and Max bound a number's value, a string's length or a list's
	// size; "" leaves that side open.
	Min, Max string
	Pattern  string
}

// maxResults1To100 is the range every ECS List operation documents:
// "This value can be between 1 and 100."
func maxResults1To100(shape string) Limit {
	return Limit{Shape: shape, Member: "maxResults", Min: "1", Max: "100"}
}

// Attribute names and values, as the API reference's Attribute page
// words them: "between 1 and 128 characters", names of letters,
// numbers, hyphens, underscores, slashes, back slashes and periods;
// values also of at signs, colons and spaces, not at either end.
const (
	attributeNamePattern  = `^[a-zA-Z0-9_\-/\\.]+$`
	attributeValuePattern = `^[a-zA-Z0-9_\-/\\.@:]([a-zA-Z0-9_\-/\\.@: ]*[a-zA-Z0-9_\-/\\.@:])?$`
)

// documented holds the limits per service (by endpoint prefix).
var documented = map[string][]Limit{
	"ecs": {
		maxResults1To100("ListAttributesRequest"),
		maxResults1To100("ListClustersRequest"),
		maxResults1To100("ListContainerInstancesRequest"),
		maxResults1To100("ListServicesRequest"),
		maxResults1To100("ListTaskDefinitionsRequest"),
		maxResults1To100("ListTasksRequest"),
		// "A list of up to 100 ..." (and "Tasks cannot be empty.", as ECS
		// answers an empty list).
		{Shape: "DescribeClustersRequest", Member: "clusters", Max: "100"},
		{Shape: "DescribeContainerInstancesRequest", Member: "containerInstances", Min: "1", Max: "100"},
		{Shape: "DescribeTasksRequest", Member: "tasks", Min: "1", Max: "100"},
		// "You may specify up to 10 services to describe in a single operation."
		{Shape: "DescribeServicesRequest", Member: "services", Min: "1", Max: "10"},
		// "You can specify up to 10 attributes in a single call."
		{Shape: "PutAttributesRequest", Member: "attributes", Min: "1", Max: "10"},
		{Shape: "DeleteAttributesRequest", Member: "attributes", Min: "1", Max: "10"},
		{Shape: "Attribute", Member: "name", Min: "1", Max: "128", Pattern: attributeNamePattern},
		{Shape: "Attribute", Member: "value", Min: "1", Max: "128", Pattern: attributeValuePattern},
	},
	// SQS's model constrains only attribute names; its API reference
	// states the rest: "Valid values: 1 to 10" messages per receive, a
	// wait of 0 to 20 seconds, visibility timeouts of 0 to 43,200 (12
	// hours), delays of 0 to 900, queue names of up to 80 alphanumeric
	// characters, hyphens and underscores (a FIFO queue's ending in
	// .fifo), 1 to 1,000 queues per ListQueues page. A body's size is
	// in bytes, so the service checks it (see sqsapi).
	"sqs": {
		{Shape: "ReceiveMessageRequest", Member: "MaxNumberOfMessages", Min: "1", Max: "10"},
		{Shape: "ReceiveMessageRequest", Member: "WaitTimeSeconds", Min: "0", Max: "20"},
		{Shape: "ReceiveMessageRequest", Member: "VisibilityTimeout", Min: "0", Max: "43200"},
		{Shape: "ChangeMessageVisibilityRequest", Member: "VisibilityTimeout", Min: "0", Max: "43200"},
		{Shape: "ChangeMessageVisibilityBatchRequestEntry", Member: "VisibilityTimeout", Min: "0", Max: "43200"},
		{Shape: "SendMessageRequest", Member: "DelaySeconds", Min: "0", Max: "900"},
		{Shape: "SendMessageBatchRequestEntry", Member: "DelaySeconds", Min: "0", Max: "900"},
		{Shape: "SendMessageRequest", Member: "MessageBody", Min: "1"},
		{Shape: "SendMessageBatchRequestEntry", Member: "MessageBody", Min: "1"},
		{Shape: "CreateQueueRequest", Member: "QueueName", Pattern: QueueNamePattern},
		{Shape: "ListQueuesRequest", Member: "MaxResults", Min: "1", Max: "1000"},
	},
}

// QueueNamePattern is what an SQS queue name may be: 1 to 80 letters,
// digits, hyphens and underscores, or up to 75 and .fifo for a FIFO queue.
const QueueNamePattern = `^([A-Za-z0-9_-]{1,80}|[A-Za-z0-9_-]{1,75}\.fifo)$`

// Documented lists the limits applied on top of the model of a service
// (by endpoint prefix), for tests that generate inputs from the rules.
func Documented(service string) []Limit { return append([]Limit(nil), documented[service]...) }
