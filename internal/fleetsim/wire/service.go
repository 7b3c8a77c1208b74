package wire

// Service describes how one AWS service looks on the JSON 1.1 wire.
type Service struct {
	// Name is the short name used in call accounting ("ecs", "ssm").
	Name string
	// TargetPrefix is the X-Amz-Target prefix before ".<Operation>".
	TargetPrefix string
	// Namespace is the Smithy namespace that prefixes __type.
	Namespace string
	// MessageField is the member that carries the error message; ECS
	// models it as "message", SSM as "Message".
	MessageField string
	// ServerErrorCode is the service's own 5xx exception.
	ServerErrorCode string
}

// ECS is Amazon Elastic Container Service, API version 2014-11-13.
var ECS = &Service{
	Name:            "ecs",
	TargetPrefix:    "AmazonEC2ContainerServiceV20141113",
	Namespace:       "com.amazonaws.ecs",
	MessageField:    "message",
	ServerErrorCode: "ServerException",
}

// SSM is AWS Systems Manager.
var SSM = &Service{
	Name:            "ssm",
	TargetPrefix:    "AmazonSSM",
	Namespace:       "com.amazonaws.ssm",
	MessageField:    "Message",
	ServerErrorCode: "InternalServerError",
}

// Call names one operation of one service.
type Call struct {
	Service   string
	Operation string
}
