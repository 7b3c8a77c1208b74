package v1alpha1

// EventsSpec says where ecswin hears of changes as they happen: an SQS
// queue that EventBridge rules feed with the ECS and SSM events of the
// policy's clusters (config/aws holds the CloudFormation template that
// makes the queue, its policy and the rules). Every event is a hint that
// makes a host or a task definition due now; polling stays as the safety
// net, so a missing, denied or silent queue only slows ecswin down.
type EventsSpec struct {
	// QueueURL is the SQS queue's URL, such as
	// https://sqs.us-east-1.amazonaws.com/123456789012/ecswin-events, in
	// spec.aws.region and readable with the policy's credentials. ecswin
	// sends its SQS requests to the URL's host: an SQS endpoint of the
	// region in AWS's domains (regional, FIPS, dual-stack, legacy
	// queue.amazonaws.com or a VPC endpoint name); anything else, such
	// as the fleet simulator, only with the manager's
	// --allow-endpoint-overrides. Give each policy its own queue: ecswin
	// deletes what it has read, including other clusters' events.
	//
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="size(self) <= 512 && self.matches('^https?://[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(:[0-9]{1,5})?/[0-9]{12}/([A-Za-z0-9_-]{1,80}|[A-Za-z0-9_-]{1,75}[.]fifo)$') && (url(self).getPort() == '' || (int(url(self).getPort()) >= 1 && int(url(self).getPort()) <= 65535))",message="spec.events.queueURL must be an SQS queue URL of at most 512 characters: http(s)://host/<12-digit account>/<queue name of 1-80 letters, digits, - and _>, such as https://sqs.us-east-1.amazonaws.com/123456789012/ecswin-events"
	QueueURL string `json:"queueURL"`
}
