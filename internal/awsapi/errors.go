package awsapi

import (
	"context"
	"errors"
	"net/http"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Kind is what ecswin needs to know about an AWS error to decide what to
// do next. It is decided here and nowhere else.
type Kind string

// Kinds; KindNone is no error at all.
const (
	KindNone         Kind = ""
	KindThrottled    Kind = "Throttled"
	KindNotFound     Kind = "NotFound"
	KindInvalidInput Kind = "InvalidInput"
	KindAccessDenied Kind = "AccessDenied"
	// KindCredentials: no usable credentials (none found, expired, or
	// refused as invalid): an identity problem, not a missing grant.
	KindCredentials Kind = "Credentials"
	// KindUnreachable: the request never got an answer (connection
	// refused, DNS, timeout): the endpoint or the network path.
	KindUnreachable            Kind = "Unreachable"
	KindServer                 Kind = "Server"
	KindInvocationDoesNotExist Kind = "InvocationDoesNotExist"
	KindInvalidInstanceID      Kind = "InvalidInstanceId"
	KindAlreadyExists          Kind = "AlreadyExists"
	KindDuplicateContent       Kind = "DuplicateContent"
	KindDocumentChanged        Kind = "DocumentChanged"
	KindCanceled               Kind = "Canceled"
	KindUnknown                Kind = "Unknown"
)

// codeKinds maps smithy.APIError codes (the __type of the answer) to kinds.
var codeKinds = map[string]Kind{
	"ThrottlingException":                    KindThrottled,
	"Throttling":                             KindThrottled,
	"ThrottledException":                     KindThrottled,
	"TooManyRequestsException":               KindThrottled,
	"RequestLimitExceeded":                   KindThrottled,
	"RequestThrottledException":              KindThrottled,
	"ClusterNotFoundException":               KindNotFound,
	"InvalidDocument":                        KindNotFound,
	"InvalidCommandId":                       KindNotFound,
	"ResourceNotFoundException":              KindNotFound,
	"InvocationDoesNotExist":                 KindInvocationDoesNotExist,
	"InvalidInstanceId":                      KindInvalidInstanceID,
	"InvalidParameterException":              KindInvalidInput,
	"ClientException":                        KindInvalidInput,
	"ValidationException":                    KindInvalidInput,
	"InvalidParameters":                      KindInvalidInput,
	"InvalidFilterKey":                       KindInvalidInput,
	"InvalidFilterValue":                     KindInvalidInput,
	"InvalidNextToken":                       KindInvalidInput,
	"InvalidDocumentContent":                 KindInvalidInput,
	"InvalidDocumentVersion":                 KindInvalidInput,
	"MaxDocumentSizeExceeded":                KindInvalidInput,
	"DocumentAlreadyExists":                  KindAlreadyExists,
	"DuplicateDocumentContent":               KindDuplicateContent,
	"AccessDeniedException":                  KindAccessDenied,
	"AccessDenied":                           KindAccessDenied,
	"UnrecognizedClientException":            KindCredentials,
	"InvalidClientTokenId":                   KindCredentials,
	"ExpiredTokenException":                  KindCredentials,
	"ExpiredToken":                           KindCredentials,
	"InvalidSignatureException":              KindCredentials,
	"SignatureDoesNotMatch":                  KindCredentials,
	"MissingAuthenticationTokenException":    KindCredentials,
	"ServerException":                        KindServer,
	"InternalServerError":                    KindServer,
	"InternalFailure":                        KindServer,
	"ServiceUnavailable":                     KindServer,
	"ServiceUnavailableException":            KindServer,
	"InternalServerException":                KindServer,
	"UpdateInProgressException":              KindServer,
	"ServiceTemporarilyUnavailableException": KindServer,
	// SQS, whose errors keep their query-protocol codes.
	"AWS.SimpleQueueService.NonExistentQueue": KindNotFound,
	"QueueDoesNotExist":                       KindNotFound,
	"RequestThrottled":                        KindThrottled,
	"OverLimit":                               KindThrottled,
	"InvalidParameterValue":                   KindInvalidInput,
	"MissingParameter":                        KindInvalidInput,
	"InvalidAddress":                          KindInvalidInput,
	"ReceiptHandleIsInvalid":                  KindInvalidInput,
	"InvalidSecurity":                         KindAccessDenied,
	"KmsAccessDenied":                         KindAccessDenied,
	"KmsDisabled":                             KindAccessDenied,
	"KmsNotFound":                             KindAccessDenied,
	"KmsThrottled":                            KindThrottled,
}

// Classify says what kind of AWS error err is. nil is KindNone. A
// canceled context decides first, then an AWS error code, then a failure
// to get credentials (the SDK says "get identity: ..." before sending
// anything), a deadline, a request that got no answer, the HTTP status,
// and Unknown.
func Classify(err error) Kind {
	if err == nil {
		return KindNone
	}
	if errors.Is(err, context.Canceled) {
		return KindCanceled
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		// SendCommand answers a DocumentHash that is not the document's
		// with InvalidDocument, "document hash ... does not match ...":
		// the document changed since ecswin wrote it.
		if apiErr.ErrorCode() == "InvalidDocument" && strings.Contains(strings.ToLower(apiErr.ErrorMessage()), "hash") {
			return KindDocumentChanged
		}
		if k, ok := codeKinds[apiErr.ErrorCode()]; ok {
			return k
		}
	}
	// Before deadlines: the IMDS client gives up on its own timeout, and
	// that is a machine without credentials, not a call cut short.
	if credentialsFailed(err) {
		return KindCredentials
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return KindCanceled
	}
	var sendErr *smithyhttp.RequestSendError
	if errors.As(err, &sendErr) {
		return KindUnreachable
	}
	var respErr *awshttp.ResponseError
	if errors.As(err, &respErr) {
		switch status := respErr.HTTPStatusCode(); {
		case status == http.StatusTooManyRequests:
			return KindThrottled
		case status >= 500:
			return KindServer
		case status == http.StatusForbidden:
			return KindAccessDenied
		case status >= 400:
			return KindInvalidInput
		}
	}
	return KindUnknown
}

// identityPrefix is how the SDK's auth middleware wraps a failure of the
// credentials provider (aws-sdk-go-v2's generated auth.go, "get identity:
// %w"); there is no error type for it. A test through the real SDK holds
// it to the SDK's wording.
const identityPrefix = "get identity: "

func credentialsFailed(err error) bool { return strings.Contains(err.Error(), identityPrefix) }

// IsKind reports whether err is of kind k.
func IsKind(err error, k Kind) bool { return Classify(err) == k }
