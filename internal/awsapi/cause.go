package awsapi

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Cause is what an operator needs to know about a failed AWS call: which
// call, what AWS (or the SDK) said, and what to do. Explain builds it;
// its String is the one line that conditions, Events, logs and ecswinctl
// print.
type Cause struct {
	Kind Kind
	// Service and Operation name the call that failed as the SDK does
	// ("ECS", "ListContainerInstances"); empty when err came from
	// outside an SDK call.
	Service, Operation string
	// Code is the AWS error code (ClusterNotFoundException), if any.
	Code string
	// Message is AWS's or the SDK's own message, without the SDK's
	// "operation error" framing.
	Message string
	// Action is the IAM action to grant, for KindAccessDenied: the one
	// AWS names in its message, else the one the call needs.
	Action string
	// Attempts is how many attempts the SDK made, when it gave up after
	// its retries.
	Attempts int
}

// Explain says what a failed AWS call err was about. A nil err gives a
// zero Cause.
func Explain(err error) Cause {
	if err == nil {
		return Cause{}
	}
	c := Cause{Kind: Classify(err), Message: err.Error()}
	var op *smithy.OperationError
	if errors.As(err, &op) {
		c.Service, c.Operation = op.ServiceID, op.OperationName
		c.Message = op.Err.Error()
	}
	var tooMany *retry.MaxAttemptsError
	if errors.As(err, &tooMany) {
		c.Attempts = tooMany.Attempt
		c.Message = tooMany.Err.Error()
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		c.Code, c.Message = apiErr.ErrorCode(), apiErr.ErrorMessage()
	}
	var sendErr *smithyhttp.RequestSendError
	if c.Kind == KindUnreachable && errors.As(err, &sendErr) {
		c.Message = sendErr.Err.Error() // Post "https://...": dial tcp ...: connection refused
	}
	if i := strings.Index(c.Message, identityPrefix); i >= 0 && c.Code == "" {
		c.Message = strings.TrimPrefix(c.Message[i+len(identityPrefix):], "get credentials: ")
	}
	if c.Kind == KindAccessDenied {
		c.Action = deniedAction(c)
	}
	return c
}

// notAuthorized finds the action in AWS's access-denied message: "User:
// arn:... is not authorized to perform: ecs:ListContainerInstances on
// resource: ...".
var notAuthorized = regexp.MustCompile(`perform: ([a-z0-9-]+:[A-Za-z0-9*]+)`)

func deniedAction(c Cause) string {
	if m := notAuthorized.FindStringSubmatch(c.Message); m != nil {
		return m[1]
	}
	if c.Service == "" || c.Operation == "" {
		return ""
	}
	// ECS, SSM and STS: the IAM prefix is the service ID in lower case.
	return strings.ToLower(c.Service) + ":" + c.Operation
}

// String is the call, what went wrong and what to do, on one line:
//
//	ECS ListContainerInstances: access denied (AccessDeniedException): User: ... is not authorized
//	to perform: ecs:ListContainerInstances ...: grant ecs:ListContainerInstances to that identity ...
func (c Cause) String() string {
	if c.Kind == KindNone {
		return ""
	}
	var b strings.Builder
	if c.Operation != "" {
		fmt.Fprintf(&b, "%s %s: ", c.Service, c.Operation)
	}
	b.WriteString(c.what())
	if c.Code != "" {
		fmt.Fprintf(&b, " (%s)", c.Code)
	}
	if msg := strings.TrimRight(strings.TrimSpace(c.Message), "."); msg != "" {
		b.WriteString(": " + msg)
	}
	if c.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", c.Attempts)
	}
	if hint := c.Hint(); hint != "" {
		b.WriteString(": " + hint)
	}
	return b.String()
}

// what names the kind of failure in a few words.
func (c Cause) what() string {
	switch c.Kind {
	case KindCredentials:
		return "no usable AWS credentials"
	case KindUnreachable:
		return "endpoint unreachable"
	case KindAccessDenied:
		return "access denied"
	case KindNotFound:
		return "not found"
	case KindThrottled:
		return "throttled"
	case KindServer:
		return "AWS server error"
	case KindInvalidInput:
		return "request refused"
	case KindCanceled:
		return "canceled"
	}
	return "failed"
}

// Hint says what to do about c, or "" when nothing but waiting helps.
func (c Cause) Hint() string {
	switch c.Kind {
	case KindCredentials:
		return "give ecswin an AWS identity (the manager: IRSA or EKS Pod Identity, see config/iam; " +
			"ecswinctl: AWS_PROFILE, AWS_ACCESS_KEY_ID or an instance role), or renew expired credentials"
	case KindUnreachable:
		return "check spec.aws.region and spec.aws.endpoints, and the network path to AWS (VPC endpoints, proxy, security groups, DNS)"
	case KindAccessDenied:
		if c.Action == "" {
			return "grant the action to ecswin's identity (config/iam/controller-policy.json lists every action ecswin needs)"
		}
		hint := "grant " + c.Action + " to that identity (config/iam/controller-policy.json lists every action ecswin needs)"
		if c.Action == "sts:AssumeRole" {
			hint += ", and let spec.aws.roleARN's trust policy trust it (config/iam/cross-account-trust-policy.json)"
		}
		return hint
	case KindNotFound:
		if c.Code == "ClusterNotFoundException" {
			return "check spec.clusters and spec.aws.region"
		}
	case KindThrottled:
		return "retried next pass; spec.aws.retryMode Adaptive slows down after throttles"
	case KindServer:
		return "retried next pass"
	}
	return ""
}
