package v1alpha1

// AWSSpec locates the clusters' account and region, and how ecswin's
// credentials reach them. Which roles may be assumed and which endpoints
// may be used is the cluster operator's decision (the manager's
// --allowed-role-arns and --allow-endpoint-overrides), not the policy's.
//
// +kubebuilder:validation:XValidation:rule="!has(self.externalID) || has(self.roleARN)",message="spec.aws.externalID is sent only with sts:AssumeRole: set spec.aws.roleARN, or remove externalID"
type AWSSpec struct {
	// Region is the AWS region of the clusters, such as us-east-1, in any
	// partition (aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e,
	// aws-iso-f, aws-eusc).
	//
	// +kubebuilder:validation:MaxLength=128
	// +kubebuilder:validation:XValidation:rule="self.matches('^((us|eu|ap|sa|ca|me|af|il|mx|cn)-[a-z]+-[0-9]{1,2}|us-(gov|iso|isob|isof)-[a-z]+-[0-9]{1,2}|eu-isoe-[a-z]+-[0-9]{1,2}|eusc-de-[a-z]+-[0-9]{1,2})$')",messageExpression="'spec.aws.region ' + self + ' is not an AWS region code: use one such as us-east-1, cn-north-1, us-gov-west-1 or eusc-de-east-1'"
	Region string `json:"region"`

	// RoleARN, when set, is an IAM role that ecswin assumes to reach
	// another account. The manager assumes only roles its
	// --allowed-role-arns patterns match, with the session name
	// ecswin-<policy name> and the same source identity, so CloudTrail
	// shows which policy asked.
	//
	// +kubebuilder:validation:MaxLength=4096
	// +kubebuilder:validation:XValidation:rule="size(self) <= 2048",message="spec.aws.roleARN must be at most 2048 characters: an IAM role ARN such as arn:aws:iam::123456789012:role/ecswin"
	// +kubebuilder:validation:XValidation:rule="self.matches('^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):iam::[0-9]{12}:role/([!-~]{0,510}/)?[A-Za-z0-9_+=,.@-]{1,64}$')",message="spec.aws.roleARN must be an IAM role ARN such as arn:aws:iam::123456789012:role/ecswin (partition aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f or aws-eusc; a path of at most 512 characters; a role name of 1-64 letters, digits and + = , . @ _ -)"
	// +optional
	RoleARN string `json:"roleARN,omitempty"`

	// ExternalID is passed to sts:AssumeRole when the role requires it
	// (2-1224 characters: letters, digits and + = , . @ : / _ -).
	//
	// +kubebuilder:validation:MaxLength=4096
	// +kubebuilder:validation:XValidation:rule="size(self) >= 2 && size(self) <= 1224 && self.matches('^[A-Za-z0-9_+=,.@:/-]+$')",message="spec.aws.externalID must be 2-1224 characters of letters, digits and + = , . @ : / _ - (what sts:AssumeRole accepts)"
	// +optional
	ExternalID string `json:"externalID,omitempty"`

	// Endpoints override the AWS service endpoints, for VPC endpoints.
	// The manager uses only https:// hosts of the service in AWS's
	// partition domains or their VPC endpoint names; anything else, such
	// as the ecswin fleet simulator, needs the manager started with
	// --allow-endpoint-overrides.
	//
	// +optional
	Endpoints *EndpointsSpec `json:"endpoints,omitempty"`

	// RetryMode is the SDK's retry strategy: Standard, or Adaptive, which
	// also slows the client down after throttling.
	// Default Standard.
	//
	// +kubebuilder:validation:Enum=Standard;Adaptive
	// +kubebuilder:default=Standard
	// +optional
	RetryMode RetryMode `json:"retryMode,omitempty"`
}

// RetryMode is the aws-sdk-go-v2 retry strategy.
type RetryMode string

const (
	// RetryStandard is the SDK's standard retryer: backoff with jitter.
	RetryStandard RetryMode = "Standard"
	// RetryAdaptive adds client-side rate limiting after throttles.
	RetryAdaptive RetryMode = "Adaptive"
)

// EndpointsSpec overrides service endpoints. Each is a base URL: a scheme,
// a DNS host name or IPv4 address and an optional port and path, with no
// user info, query, fragment, spaces, control or bidirectional characters
// (the rules below only check this form; which hosts may be used is the
// manager's decision).
type EndpointsSpec struct {
	// ECS, such as https://ecs.us-east-1.amazonaws.com.
	//
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="size(self) <= 512 && self.matches('^https?://[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?$') && (url(self).getPort() == '' || (int(url(self).getPort()) >= 1 && int(url(self).getPort()) <= 65535))",message="spec.aws.endpoints.ecs must be an http:// or https:// URL of at most 512 characters with a host name and no user info, query or fragment, such as https://ecs.us-east-1.amazonaws.com"
	// +optional
	ECS string `json:"ecs,omitempty"`
	// SSM, such as https://ssm.us-east-1.amazonaws.com.
	//
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="size(self) <= 512 && self.matches('^https?://[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?$') && (url(self).getPort() == '' || (int(url(self).getPort()) >= 1 && int(url(self).getPort()) <= 65535))",message="spec.aws.endpoints.ssm must be an http:// or https:// URL of at most 512 characters with a host name and no user info, query or fragment, such as https://ssm.us-east-1.amazonaws.com"
	// +optional
	SSM string `json:"ssm,omitempty"`
	// STS, such as https://sts.us-east-1.amazonaws.com.
	//
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="size(self) <= 512 && self.matches('^https?://[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?$') && (url(self).getPort() == '' || (int(url(self).getPort()) >= 1 && int(url(self).getPort()) <= 65535))",message="spec.aws.endpoints.sts must be an http:// or https:// URL of at most 512 characters with a host name and no user info, query or fragment, such as https://sts.us-east-1.amazonaws.com"
	// +optional
	STS string `json:"sts,omitempty"`
}
