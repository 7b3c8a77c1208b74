// Package report is route-bootstrap's versioned JSON report and the strict
// parser that the controller uses to read it back from SSM's stdout.
package report

// SchemaVersion names this layout. A change that removes or retypes a field
// needs a new version; adding an optional field does not.
const SchemaVersion = "route-bootstrap.ecswin.io/v1"

// Limits keep a report under SSM's 24,000-character stdout cut with any
// number of containers: details are capped, counts stay exact.
const (
	MaxContainerDetails = 50
	MaxProblems         = 20
	MaxMessageLen       = 200
)

// Outcome is the overall verdict; each has its own exit code.
type Outcome string

// Outcomes, from best to worst.
const (
	// OutcomeHealthy: nothing needed changing.
	OutcomeHealthy Outcome = "Healthy"
	// OutcomeRepaired: drift was found and all of it repaired.
	OutcomeRepaired Outcome = "Repaired"
	// OutcomeBroken: drift remains (found with --check, or repair failed).
	OutcomeBroken Outcome = "Broken"
	// OutcomeError: the check itself could not run.
	OutcomeError Outcome = "Error"
)

// Exit codes of route-bootstrap, one per outcome plus usage errors. They
// avoid 3010 and 194, which SSM reads as reboot requests.
const (
	ExitHealthy  = 0
	ExitError    = 1
	ExitUsage    = 2
	ExitRepaired = 3
	ExitBroken   = 4
)

// ExitCode maps an outcome to route-bootstrap's exit code.
func ExitCode(o Outcome) int {
	switch o {
	case OutcomeHealthy:
		return ExitHealthy
	case OutcomeRepaired:
		return ExitRepaired
	case OutcomeBroken:
		return ExitBroken
	default:
		return ExitError
	}
}

// Report is the whole document. Field order is output order: the schema
// version and the summary come first so that even a cut report shows them.
type Report struct {
	Schema  string  `json:"schema"`
	Summary Summary `json:"summary"`
	// Proxy is present for the host command.
	Proxy *Proxy `json:"proxy,omitempty"`
	// Routes are the destination routes ensure checked (ensure only).
	Routes []Route `json:"routes,omitempty"`
	// Containers holds at most MaxContainerDetails entries, those needing
	// attention first; ContainersOmitted counts the rest.
	Containers        []Container `json:"containers,omitempty"`
	ContainersOmitted int         `json:"containersOmitted,omitempty"`
	// Problems holds at most MaxProblems messages; ProblemsOmitted counts
	// the rest.
	Problems        []string `json:"problems,omitempty"`
	ProblemsOmitted int      `json:"problemsOmitted,omitempty"`
}

// Command names the subcommand that wrote the report.
type Command string

// Commands.
const (
	CommandHost   Command = "host"
	CommandEnsure Command = "ensure"
)

// Summary is what the controller counts.
type Summary struct {
	Command Command `json:"command"`
	Outcome Outcome `json:"outcome"`
	// Check is true when nothing was allowed to change.
	Check bool `json:"check"`
	// InstanceID is the EC2 instance ID when known.
	InstanceID string `json:"instanceID,omitempty"`
	// ProxyHealthy and ProxyReasons describe the credential proxy (host
	// command); ProxyRepaired tells that the proxy was repaired this run.
	ProxyHealthy  bool          `json:"proxyHealthy"`
	ProxyReasons  []ProxyReason `json:"proxyReasons,omitempty"`
	ProxyRepaired bool          `json:"proxyRepaired,omitempty"`
	// ContainersChecked counts NAT task containers examined;
	// ContainersSkipped counts awsvpc and other non-NAT ones.
	ContainersChecked int `json:"containersChecked"`
	ContainersSkipped int `json:"containersSkipped"`
	// ContainersLackingRouteBefore/After count containers missing at least
	// one destination route before and after the repair.
	ContainersLackingRouteBefore int `json:"containersLackingRouteBefore"`
	ContainersLackingRouteAfter  int `json:"containersLackingRouteAfter"`
	ContainersRepaired           int `json:"containersRepaired"`
	// ContainersFailed counts containers whose check or repair failed
	// (for instance because the container exited meanwhile).
	ContainersFailed int `json:"containersFailed"`
	// RoutesAdded and RoutesReplaced count route changes (ensure: in this
	// compartment; host: over all containers).
	RoutesAdded    int `json:"routesAdded"`
	RoutesReplaced int `json:"routesReplaced"`
}

// ProxyReason is a stable CamelCase code for one proxy fault.
type ProxyReason string

// Proxy fault codes.
const (
	ProxyAdapterMissing      ProxyReason = "ProxyAdapterMissing"
	ProxyAddressNotPreferred ProxyReason = "ProxyAddressNotPreferred"
	ProxyRuleMissing         ProxyReason = "ProxyRuleMissing"
	ProxyRuleWrongTarget     ProxyReason = "ProxyRuleWrongTarget"
	ProxyAgentNotListening   ProxyReason = "ProxyAgentNotListening"
	ProxyExcludedPortRange   ProxyReason = "ProxyExcludedPortRange"
	ProxyCheckFailed         ProxyReason = "ProxyCheckFailed"
	ProxySeveralAdapters     ProxyReason = "ProxySeveralAdapters"
)

// Proxy details the credential proxy check.
type Proxy struct {
	// Adapter is the alias of the adapter carrying 169.254.170.2.
	Adapter      string `json:"adapter,omitempty"`
	AddressState string `json:"addressState,omitempty"`
	// Rule is the portproxy rule found for 169.254.170.2:80, "" if none.
	Rule string `json:"rule,omitempty"`
	// AgentListening tells whether 127.0.0.1:51679 accepted a connection.
	AgentListening bool `json:"agentListening"`
	// ExcludedRanges lists excluded port ranges covering 51678 or 51679.
	ExcludedRanges []string `json:"excludedRanges,omitempty"`
}

// RouteAction says what ensure did (or would do) about one destination.
type RouteAction string

// Route actions.
const (
	RouteOK       RouteAction = "ok"
	RouteAdded    RouteAction = "added"
	RouteReplaced RouteAction = "replaced"
	RouteMissing  RouteAction = "missing" // --check: would add
	RouteStale    RouteAction = "stale"   // --check: would replace
	RouteFailed   RouteAction = "failed"
)

// Route is one destination route as ensure left it.
type Route struct {
	Destination string      `json:"destination"`
	Gateway     string      `json:"gateway,omitempty"`
	Interface   uint32      `json:"interface,omitempty"`
	Action      RouteAction `json:"action"`
}

// ContainerStatus is the verdict for one container.
type ContainerStatus string

// Container verdicts.
const (
	ContainerOK       ContainerStatus = "OK"
	ContainerRepaired ContainerStatus = "Repaired"
	ContainerLacking  ContainerStatus = "LackingRoute"
	ContainerFailed   ContainerStatus = "Failed"
	ContainerSkipped  ContainerStatus = "Skipped"
)

// Container is one container's line in the host report.
type Container struct {
	// ID is the short (12-character) container ID.
	ID      string          `json:"id"`
	TaskARN string          `json:"taskARN,omitempty"`
	Status  ContainerStatus `json:"status"`
	// Message explains a failure, at most MaxMessageLen characters.
	Message string `json:"message,omitempty"`
}
