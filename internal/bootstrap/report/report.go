// Package report is route-bootstrap's versioned JSON report and the strict
// parser that the controller uses to read it back from SSM's stdout.
package report

// SchemaVersion names this layout. A change that removes or retypes a field,
// or adds an outcome, needs a new version; adding an optional field does
// not. v2 added the NeedsOperator outcome and moved the exit codes off 1
// and 2, which PowerShell and the Go runtime use.
const SchemaVersion = "route-bootstrap.ecswin.io/v2"

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
	// OutcomeBroken: drift route-bootstrap repairs remains (found with
	// --check, or the repair did not take).
	OutcomeBroken Outcome = "Broken"
	// OutcomeNeedsOperator: what is left is something route-bootstrap
	// only reports (an excluded port range over the agent's ports, an agent
	// that does not listen, a stopped IP Helper service...); the reasons'
	// Advice says what to do.
	OutcomeNeedsOperator Outcome = "NeedsOperator"
	// OutcomeError: the check itself could not run.
	OutcomeError Outcome = "Error"
)

// Exit codes of route-bootstrap, one per outcome plus usage errors and a
// busy host. They avoid 1 (what powershell.exe exits with when a script
// fails), 2 (what the Go runtime exits with on a panic or fatal error), and
// 3010 and 194, which SSM reads as reboot requests, so that every cause has
// a code of its own.
const (
	ExitHealthy       = 0
	ExitGoRuntime     = 2 // never returned: the Go runtime's code for a crash
	ExitRepaired      = 3
	ExitBroken        = 4
	ExitNeedsOperator = 5
	ExitError         = 6
	ExitUsage         = 7
	// ExitBusy: another route-bootstrap host run holds the machine-wide
	// lock; nothing was checked and no report is printed.
	ExitBusy = 8
	// ExitDriftReported: a host run left drift it was not allowed to
	// change (anything under --check, a proxy fault without
	// --repair-proxy) and nothing it was allowed to repair: it did all it
	// was asked, and its Broken report says what remains. The document
	// exits 0 for it, so SSM counts no error and MaxErrors stops nothing.
	ExitDriftReported = 9
)

// HostExitCode is a host run's exit code: ExitCode of its outcome, but
// ExitDriftReported for a Broken host whose drift is all of a kind the run
// was not allowed to change: its routes under --check, its proxy without
// repair allowed (proxyRepairAllowed: --repair-proxy and not --check). A
// container whose check or repair failed is a failure whatever was
// allowed.
func HostExitCode(s Summary, proxyRepairAllowed bool) int {
	if s.Outcome != OutcomeBroken {
		return ExitCode(s.Outcome)
	}
	routesLeft := s.ContainersLackingRouteAfter > 0 && !s.Check
	proxyLeft := !s.ProxyHealthy && !ProxyNeedsOperator(s.ProxyReasons) && proxyRepairAllowed && !s.Check
	if routesLeft || proxyLeft || s.ContainersFailed > 0 {
		return ExitBroken
	}
	return ExitDriftReported
}

// ExitCode maps an outcome to route-bootstrap's exit code.
func ExitCode(o Outcome) int {
	switch o {
	case OutcomeHealthy:
		return ExitHealthy
	case OutcomeRepaired:
		return ExitRepaired
	case OutcomeBroken:
		return ExitBroken
	case OutcomeNeedsOperator:
		return ExitNeedsOperator
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
	// (an exec that failed or timed out, an unreadable report, a binary
	// whose owner was wrong, the run's deadline reached first).
	ContainersFailed int `json:"containersFailed"`
	// ContainersHyperV counts Hyper-V-isolated NAT containers, which the
	// Docker Engine cannot copy files into while they run: skipped with a
	// count of their own, never failed, never in ContainersChecked.
	ContainersHyperV int `json:"containersHyperV,omitempty"`
	// RoutesAdded and RoutesReplaced count route changes (ensure: in this
	// compartment; host: over all containers).
	RoutesAdded    int `json:"routesAdded"`
	RoutesReplaced int `json:"routesReplaced"`
}

// ProxyReason is a stable CamelCase code for one proxy fault.
type ProxyReason string

// Proxy fault codes. reasons.go says which ones route-bootstrap repairs
// and what an operator does about the others.
const (
	ProxyAdapterMissing          ProxyReason = "ProxyAdapterMissing"
	ProxyAdapterDown             ProxyReason = "ProxyAdapterDown"
	ProxyAddressMissing          ProxyReason = "ProxyAddressMissing"
	ProxyAddressNotPreferred     ProxyReason = "ProxyAddressNotPreferred"
	ProxyAddressOnForeignAdapter ProxyReason = "ProxyAddressOnForeignAdapter"
	ProxySeveralAdapters         ProxyReason = "ProxySeveralAdapters"
	ProxyRuleMissing             ProxyReason = "ProxyRuleMissing"
	ProxyRuleWrongTarget         ProxyReason = "ProxyRuleWrongTarget"
	ProxyGhostRule               ProxyReason = "ProxyGhostRule"
	ProxyIPHelperStopped         ProxyReason = "ProxyIPHelperStopped"
	ProxyAgentNotListening       ProxyReason = "ProxyAgentNotListening"
	ProxyExcludedPortRange       ProxyReason = "ProxyExcludedPortRange"
	ProxyCheckFailed             ProxyReason = "ProxyCheckFailed"
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
	// EndpointListening tells whether 169.254.170.2:80, the address tasks
	// use, accepted a connection from the host.
	EndpointListening bool `json:"endpointListening"`
	// IPHelper is the state of the iphlpsvc service, which runs the
	// portproxy listener ("Running", "Stopped", ...; "" when unknown).
	IPHelper string `json:"ipHelper,omitempty"`
	// ExcludedRanges lists dynamic excluded port ranges covering 51678 or
	// 51679 (winnat's reservations, which keep the agent from binding).
	ExcludedRanges []string `json:"excludedRanges,omitempty"`
	// ProtectedRanges lists administered exclusions over those ports: an
	// operator's documented way of keeping them free, not a fault.
	ProtectedRanges []string `json:"protectedRanges,omitempty"`
	// Repairs lists the repair steps taken, in order.
	Repairs []string `json:"repairs,omitempty"`
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
