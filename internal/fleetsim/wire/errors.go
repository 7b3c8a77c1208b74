package wire

import (
	"errors"
	"fmt"
	"net/http"
)

// Error is an AWS service error: an HTTP status and the error code that
// the SDKs turn into a modeled exception (smithy.APIError.ErrorCode()).
type Error struct {
	Status  int
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// ClientErr builds a 400 error, the status AWS uses for every client
// fault, throttling included.
func ClientErr(code, format string, args ...any) *Error {
	return &Error{Status: http.StatusBadRequest, Code: code, Message: fmt.Sprintf(format, args...)}
}

// ServerErr builds a 500 error, which the SDK retryers retry by status.
func ServerErr(code, format string, args ...any) *Error {
	return &Error{Status: http.StatusInternalServerError, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Error codes shared by both services.
const (
	CodeThrottling      = "ThrottlingException"
	CodeSerialization   = "SerializationException"
	CodeUnknownOp       = "UnknownOperationException"
	CodeValidation      = "ValidationException"
	CodeInternalFailure = "InternalFailure"
)

// AsError returns the *Error inside err, or an internal failure for any
// other error so that a bug in the simulator still answers like AWS.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return ServerErr(CodeInternalFailure, "%v", err)
}
