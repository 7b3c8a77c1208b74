package awsapi

// Trust is what the cluster operator allows policies to do with ecswin's
// AWS identity; the zero value allows nothing beyond AWS's own endpoints
// and ecswin's own account.
type Trust struct {
	// AllowEndpointOverrides lets spec.aws.endpoints name any endpoint of
	// the CRD's form (the fleet simulator, LocalStack), not only AWS's.
	AllowEndpointOverrides bool
	// AllowedRoleARNs are the roles spec.aws.roleARN may name.
	AllowedRoleARNs RolePatterns
}

// Reasons of a RefusedError, CamelCase condition reasons.
const (
	ReasonEndpointNotAllowed = "EndpointNotAllowed"
	ReasonRoleNotAllowed     = "RoleNotAllowed"
)

// RefusedError is a policy setting the operator's Trust does not allow.
// Nothing has been sent to AWS when it is returned.
type RefusedError struct {
	// Field is the spec field at fault, such as spec.aws.roleARN.
	Field string
	// Reason is ReasonEndpointNotAllowed or ReasonRoleNotAllowed.
	Reason string
	// Message names the field, the value, why and the operator's flag.
	Message string
}

func (e *RefusedError) Error() string { return e.Message }

// Check refuses settings that Trust does not allow.
func (t Trust) Check(s Settings) error {
	if !t.AllowEndpointOverrides {
		if err := checkEndpoints(s); err != nil {
			return err
		}
	}
	return checkRole(s, t.AllowedRoleARNs)
}
