package awsapi

import (
	"context"
	"errors"
	"net/http"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
)

// Kind is what ecswin needs to know about an AWS error to decide what to
// do next. It is decided here and nowhere else.
type Kind string

// Kinds; KindNone is no error at all.
const (
	KindNone                   Kind = ""
	KindThrottled              Kind = "Throttled"
	KindNotFound               Kind = "NotFound"
	KindInvalidInput           Kind = "InvalidInput"
	KindAccessDenied           Kind = "AccessDenied"
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
	"UnrecognizedClientException":            KindAccessDenied,
	"ExpiredTokenException":                  KindAccessDenied,
	"ServerException":                        KindServer,
	"InternalServerError":                    KindServer,
	"InternalFailure":                        KindServer,
	"ServiceUnavailable":                     KindServer,
	"ServiceUnavailableException":            KindServer,
	"InternalServerException":                KindServer,
	"UpdateInProgressException":              KindServer,
	"ServiceTemporarilyUnavailableException": KindServer,
}

// Classify says what kind of AWS error err is. nil is KindNone; an error
// that carries no API code falls back on the HTTP status, then Unknown.
func Classify(err error) Kind {
	if err == nil {
		return KindNone
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
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

// IsKind reports whether err is of kind k.
func IsKind(err error, k Kind) bool { return Classify(err) == k }
