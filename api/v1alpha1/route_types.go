package v1alpha1

// RouteSpec describes the route that task containers need.
type RouteSpec struct {
	// Destinations are the host routes every NAT-mode container needs,
	// link-local /32s only. The default is the credential endpoint alone;
	// add 169.254.169.254/32 to let containers reach the instance metadata
	// service too (AWS advises keeping tasks away from IMDS, which hands
	// out the instance role's credentials).
	// From 1 to 8 entries. Default [169.254.170.2/32].
	//
	// +kubebuilder:default={"169.254.170.2/32"}
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=8
	// +kubebuilder:validation:items:MaxLength=64
	// +kubebuilder:validation:XValidation:rule="self.all(d, isCIDR(d) && cidr(d).ip().family() == 4 && cidr(d).prefixLength() == 32)",messageExpression="'spec.route.destinations entry ' + (self.filter(d, !(isCIDR(d) && cidr(d).ip().family() == 4 && cidr(d).prefixLength() == 32))[0].matches('^[0-9a-fA-F.:/]+$') ? self.filter(d, !(isCIDR(d) && cidr(d).ip().family() == 4 && cidr(d).prefixLength() == 32))[0] + ' ' : '') + 'must be an IPv4 host route such as 169.254.170.2/32'"
	// +kubebuilder:validation:XValidation:rule="self.all(d, !d.matches('^(127[.]|0[.]0[.]0[.]0/|255[.]255[.]255[.]255/|22[4-9][.]|23[0-9][.]|169[.]254[.]0[.]0/|169[.]254[.]255[.]255/)'))",messageExpression="'spec.route.destinations entry ' + self.filter(d, d.matches('^(127[.]|0[.]0[.]0[.]0/|255[.]255[.]255[.]255/|22[4-9][.]|23[0-9][.]|169[.]254[.]0[.]0/|169[.]254[.]255[.]255/)'))[0] + ' is a loopback, unspecified (0.0.0.0), broadcast, multicast or network address: a route to it through the container gateway would break the container; list link-local 169.254.x.y/32 host addresses only'"
	// +kubebuilder:validation:XValidation:rule="self.all(d, !isCIDR(d) || d.startsWith('169.254.') || d.matches('^(127[.]|0[.]0[.]0[.]0/|255[.]255[.]255[.]255/|22[4-9][.]|23[0-9][.])') || d.contains(':'))",messageExpression="'spec.route.destinations entry ' + self.filter(d, isCIDR(d) && !d.startsWith('169.254.') && !d.matches('^(127[.]|0[.]0[.]0[.]0/|255[.]255[.]255[.]255/|22[4-9][.]|23[0-9][.])') && !d.contains(':'))[0] + ' is not a link-local host address in 169.254.0.0/16: ecswin routes only the task endpoints there (169.254.170.2/32 for credentials, 169.254.169.254/32 for IMDS) through the container gateway'"
	// +kubebuilder:validation:XValidation:rule="self.all(d, self.exists_one(e, e == d))",messageExpression="'spec.route.destinations lists ' + self.filter(d, self.filter(e, e == d).size() > 1)[0] + ' twice: remove the duplicate'"
	// +optional
	Destinations []string `json:"destinations,omitempty"`

	// AdapterPattern matches the description of the container's network
	// adapter, with * and ? as wildcards (at most four of them). Only
	// characters that are safe to hand to Windows tools are allowed.
	// Default "Hyper-V Virtual Ethernet*".
	//
	// +kubebuilder:default="Hyper-V Virtual Ethernet*"
	// +kubebuilder:validation:MaxLength=512
	// +kubebuilder:validation:XValidation:rule="size(self) <= 128",message="spec.route.adapterPattern must be at most 128 characters (the SSM document's limit), such as Hyper-V Virtual Ethernet*"
	// The character set is the SSM document's allowedPattern for this
	// parameter, so a policy the API server accepts is one SSM will run.
	//
	// +kubebuilder:validation:XValidation:rule="self.matches('^[A-Za-z0-9 ()#._*?-]+$')",message="spec.route.adapterPattern may hold only letters, digits, spaces and ( ) # . _ * ? -; quotes, ;, &, |, $, backtick, %, brackets and newlines are not allowed"
	// +kubebuilder:validation:XValidation:rule="self.trim() != '' && self.replace('*', '').replace('?', '').trim() != ''",message="spec.route.adapterPattern must name the adapter, not only wildcards or spaces: such as Hyper-V Virtual Ethernet*"
	// +kubebuilder:validation:XValidation:rule="size(self) - size(self.replace('*', '').replace('?', '')) <= 4",message="spec.route.adapterPattern has more than 4 wildcards (* and ?): name the adapter with at most 4, such as Hyper-V Virtual Ethernet*"
	// +optional
	AdapterPattern string `json:"adapterPattern,omitempty"`
}
