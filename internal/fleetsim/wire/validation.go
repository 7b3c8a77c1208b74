package wire

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ecswin/ecswin/internal/fleetsim/apimodel"
)

// maxListedViolations bounds a ValidationException's message, as AWS
// lists a handful and counts the rest.
const maxListedViolations = 10

// rejectAsValidation words violations as AWS's Coral services do:
// "2 validation errors detected: Value 'x' at 'maxResults' failed to
// satisfy constraint: Member must ...; Value ...".
func rejectAsValidation(_ string, vs []apimodel.Violation) *Error {
	parts := make([]string, 0, min(len(vs), maxListedViolations))
	for _, v := range vs[:min(len(vs), maxListedViolations)] {
		value := "null"
		if v.Value != nil {
			value = "'" + apimodel.ValueText(v.Value) + "'"
		}
		parts = append(parts, fmt.Sprintf("Value %s at '%s' failed to satisfy constraint: %s", value, v.Path, v.Want))
	}
	noun := "errors"
	if len(vs) == 1 {
		noun = "error"
	}
	return ClientErr(CodeValidation, "%d validation %s detected: %s", len(vs), noun, strings.Join(parts, "; "))
}

// rejectAsInvalidParameter words the first violation as ECS does.
func rejectAsInvalidParameter(_ string, vs []apimodel.Violation) *Error {
	v := vs[0]
	name := capitalize(v.Path)
	var msg string
	switch v.Kind {
	case apimodel.KindRequired:
		msg = name + " can not be empty."
	case apimodel.KindEnum:
		msg = fmt.Sprintf("%s should be one of [%s]", v.Path, strings.Join(v.Shape.Enum, ","))
	case apimodel.KindPattern:
		msg = fmt.Sprintf("%s must match %s, but was %s", name, v.Shape.Pattern, apimodel.ValueText(v.Value))
	case apimodel.KindRange:
		msg = fmt.Sprintf("%s must be %s.", name, between(v.Shape))
	case apimodel.KindLength:
		if v.Shape.Type == "string" {
			msg = fmt.Sprintf("%s must be %s characters long.", name, between(v.Shape))
		} else if v.Shape.Min != nil && v.Shape.Min.String() == "1" && isEmpty(v.Value) {
			msg = name + " can not be empty."
		} else {
			msg = fmt.Sprintf("%s must have %s items.", name, between(v.Shape))
		}
	default:
		msg = fmt.Sprintf("%s: %s", name, v.Want)
	}
	return ClientErr("InvalidParameterException", "%s", msg)
}

func between(s *apimodel.Shape) string {
	switch {
	case s.Min != nil && s.Max != nil:
		return "between " + s.Min.String() + " and " + s.Max.String()
	case s.Min != nil:
		return "at least " + s.Min.String()
	case s.Max != nil:
		return "at most " + s.Max.String()
	}
	return "valid"
}

func isEmpty(v any) bool {
	switch x := v.(type) {
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// SQS validation codes, kept from its query protocol.
const (
	CodeMissingParameter      = "MissingParameter"
	CodeInvalidParameterValue = "InvalidParameterValue"
	CodeInvalidAttributeName  = "InvalidAttributeName"
)

// AttributeNameOps are the SQS operations that answer an unknown queue
// attribute name with InvalidAttributeName (the others declare no such
// error: their unknown names are InvalidParameterValue).
var AttributeNameOps = []string{"CreateQueue", "GetQueueAttributes", "SetQueueAttributes"}

// rejectAsSQS words the first violation as SQS's query API did ("The
// request must contain the parameter QueueUrl.", "Value 15 for parameter
// MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if
// provided."); an unknown queue attribute name is InvalidAttributeName
// where the operation declares it.
func rejectAsSQS(op string, vs []apimodel.Violation) *Error {
	v := vs[0]
	param := sqsParameter(v.Path)
	switch {
	case v.Kind == apimodel.KindRequired:
		return ClientErr(CodeMissingParameter, "The request must contain the parameter %s.", param)
	case v.Kind == apimodel.KindEnum && slices.Contains(v.Shape.Enum, "VisibilityTimeout") && slices.Contains(AttributeNameOps, op):
		return ClientErr(CodeInvalidAttributeName, "Unknown Attribute %s (parameter %s).", apimodel.ValueText(v.Value), param)
	}
	var reason string
	switch v.Kind {
	case apimodel.KindRange:
		reason = "Must be " + between(v.Shape) + ", if provided."
	case apimodel.KindLength:
		reason = "Must be " + between(v.Shape) + " in length."
	case apimodel.KindPattern:
		reason = "Must match " + v.Shape.Pattern + "."
	case apimodel.KindEnum:
		reason = "Must be one of [" + strings.Join(v.Shape.Enum, ", ") + "]."
	default:
		reason = v.Want + "."
	}
	return ClientErr(CodeInvalidParameterValue, "Value %s for parameter %s is invalid. Reason: %s", apimodel.ValueText(v.Value), param, reason)
}

// sqsParameter names a member as the query API did, with a capital
// first letter on every member name of the path (Entries.1.member.Id).
func sqsParameter(path string) string {
	parts := strings.Split(path, ".")
	for i, p := range parts {
		if p != "member" {
			parts[i] = capitalize(p)
		}
	}
	return strings.Join(parts, ".")
}
