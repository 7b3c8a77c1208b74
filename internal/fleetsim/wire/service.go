package wire

import "github.com/ecswin/ecswin/internal/fleetsim/apimodel"

// Service describes how one AWS service looks on the AWS JSON wire
// (protocol 1.1 for ECS and SSM; 1.0, SQS's, differs only in the media
// type, so a service of either version is one more value of this type).
type Service struct {
	// Name is the short name used in call accounting and for its
	// rules in an apimodel.Set ("ecs", "ssm").
	Name string
	// TargetPrefix is the X-Amz-Target prefix before ".<Operation>".
	TargetPrefix string
	// JSONVersion is the AWS JSON protocol version, "1.1" or "1.0".
	JSONVersion string
	// Namespace is the Smithy namespace that prefixes __type.
	Namespace string
	// MessageField is the member that carries the error message; ECS
	// models it as "message", SSM as "Message".
	MessageField string
	// ServerErrorCode is the service's own 5xx exception.
	ServerErrorCode string
	// Reject turns the model violations of a request for operation op
	// into the error the service answers them with.
	Reject func(op string, vs []apimodel.Violation) *Error
	// QueryErrors, when set, marks a service that moved from the AWS
	// query protocol to JSON keeping its old error codes (Smithy's
	// awsQueryCompatible, as SQS did): every error also carries the
	// x-amzn-query-error header, "<query code>;Sender" (or ";Receiver"
	// for a 5xx), which the SDKs report as the error's code. It maps a
	// JSON code to its query code; a code it lacks is its own.
	QueryErrors map[string]string
}

// ContentType is the media type of the service's requests and answers.
func (s *Service) ContentType() string { return "application/x-amz-json-" + s.JSONVersion }

// ECS is Amazon Elastic Container Service, API version 2014-11-13. It
// answers what breaks its model, or the limits its API reference
// documents, with InvalidParameterException ("Tasks cannot be empty.",
// "include should be one of [...]"), naming the first fault.
var ECS = &Service{
	Name:            "ecs",
	TargetPrefix:    "AmazonEC2ContainerServiceV20141113",
	JSONVersion:     "1.1",
	Namespace:       "com.amazonaws.ecs",
	MessageField:    "message",
	ServerErrorCode: "ServerException",
	Reject:          rejectAsInvalidParameter,
}

// SSM is AWS Systems Manager, API version 2014-11-06. It answers model
// violations with ValidationException listing every one.
var SSM = &Service{
	Name:            "ssm",
	TargetPrefix:    "AmazonSSM",
	JSONVersion:     "1.1",
	Namespace:       "com.amazonaws.ssm",
	MessageField:    "Message",
	ServerErrorCode: "InternalServerError",
	Reject:          rejectAsValidation,
}

// SQS is Amazon Simple Queue Service, API version 2012-11-05, on the AWS
// JSON 1.0 protocol the current SDKs speak (X-Amz-Target
// AmazonSQS.<Operation>), query-compatible: its errors keep the codes of
// the query protocol in x-amzn-query-error. It answers a missing required
// member with MissingParameter and any other broken value with
// InvalidParameterValue, worded as the query API words them.
var SQS = &Service{
	Name:            "sqs",
	TargetPrefix:    "AmazonSQS",
	JSONVersion:     "1.0",
	Namespace:       "com.amazonaws.sqs",
	MessageField:    "message",
	ServerErrorCode: CodeInternalFailure,
	Reject:          rejectAsSQS,
	QueryErrors:     sqsQueryErrors,
}

// sqsQueryErrors are the query-protocol codes of the SQS errors whose JSON
// code differs (botocore's query model of SQS, 1.29 and earlier, names
// them); AccessDeniedException is AWS's common error, AccessDenied in
// the query protocol.
var sqsQueryErrors = map[string]string{
	"QueueDoesNotExist":            "AWS.SimpleQueueService.NonExistentQueue",
	"BatchEntryIdsNotDistinct":     "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
	"BatchRequestTooLong":          "AWS.SimpleQueueService.BatchRequestTooLong",
	"EmptyBatchRequest":            "AWS.SimpleQueueService.EmptyBatchRequest",
	"InvalidBatchEntryId":          "AWS.SimpleQueueService.InvalidBatchEntryId",
	"MessageNotInflight":           "AWS.SimpleQueueService.MessageNotInflight",
	"PurgeQueueInProgress":         "AWS.SimpleQueueService.PurgeQueueInProgress",
	"QueueDeletedRecently":         "AWS.SimpleQueueService.QueueDeletedRecently",
	"QueueNameExists":              "QueueAlreadyExists",
	"TooManyEntriesInBatchRequest": "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
	"UnsupportedOperation":         "AWS.SimpleQueueService.UnsupportedOperation",
	"AccessDeniedException":        "AccessDenied",
}

// frontDoor answers requests no service claims (no or an unknown
// X-Amz-Target), as the shared AWS front end does.
var frontDoor = &Service{
	Name:         "",
	JSONVersion:  "1.1",
	Namespace:    "com.amazon.coral.service",
	MessageField: "message",
}

// Call names one operation of one service.
type Call struct {
	Service   string
	Operation string
}
