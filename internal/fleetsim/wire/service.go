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
	// Reject turns a request's model violations into the error the
	// service answers them with.
	Reject func([]apimodel.Violation) *Error
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
