// Package simpolicy writes the FleetPolicy that points ecswin at a
// running fleet simulator (internal/fleetsim): its region, its endpoint
// for ECS and SSM, and its clusters. `ecswinctl simulate` prints it,
// `ecswinctl demo` and `make demo-kube` run it, so all three show one
// policy, valid as any file ecswinctl or the API server accepts.
package simpolicy

import (
	"fmt"
	"strings"
	"text/template"
	"time"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/policyfile"
)

// BootstrapSource is a well-formed placeholder: the simulator runs
// route-bootstrap's logic in memory and downloads nothing. BootstrapSHA256
// is the hash the operator pins for it (the manager's and ecswinctl's
// --bootstrap-sha256), any well-formed digest for the same reason.
const (
	BootstrapSource = "https://artifacts.example.com/ecswin/route-bootstrap.exe"
	BootstrapSHA256 = "0000000000000000000000000000000000000000000000000000000000000000"
)

// Params describe the policy; zero values take the CRD's defaults.
type Params struct {
	Name     string
	Region   string
	URL      string // the simulator's endpoint, for ECS and SSM alike
	Clusters []string
	// Enforce repairs (routes and credential proxies); false is DryRun.
	Enforce     bool
	Inventory   time.Duration
	Reverify    time.Duration
	MaxInFlight int
	// QueueURL is the simulator's event queue (spec.events.queueURL);
	// empty: polling alone.
	QueueURL string
}

// For is a DryRun policy named name for every cluster of sim, served at
// url.
func For(sim *fleetsim.Sim, url, name string) Params {
	clusters := make([]string, 0, len(sim.Scenario().Clusters))
	for _, c := range sim.Scenario().Clusters {
		clusters = append(clusters, c.Name)
	}
	return Params{Name: name, Region: sim.Region(), URL: url, Clusters: clusters}
}

var doc = template.Must(template.New("policy").Funcs(template.FuncMap{"join": strings.Join}).Parse(`apiVersion: ecswin.io/v1alpha1
kind: FleetPolicy
metadata:
  name: {{.Name}}
spec:
  aws:
    region: {{.Region}}
    # The simulator instead of AWS's endpoints.
    endpoints:
      ecs: {{.URL}}
      ssm: {{.URL}}
  clusters: [{{join .Clusters ", "}}]
  # Both routes: the simulated hosts count a container as lacking the
  # route while it lacks either of route-bootstrap's default destinations.
  route:
    destinations: [169.254.170.2/32, 169.254.169.254/32]
  remediation:
{{- if .Enforce}}
    mode: Enforce         # repair; DryRun only checks
    hostProxy: Enforce    # re-create dead credential proxies too
{{- else}}
    mode: DryRun          # only check; Enforce repairs
{{- end}}
{{- if .MaxInFlight}}
    maxInFlight: {{.MaxInFlight}}
{{- end}}
    # The simulator runs route-bootstrap in memory and downloads nothing;
    # a real fleet needs the released binary's URL (the manager pins its
    # SHA-256).
    bootstrap:
      source: {{.Source}}
{{- if .QueueURL}}
  # ECS's and SSM's events, as config/aws's EventBridge rules route them:
  # hosts with new tasks are due at once, polling is the fallback.
  events:
    queueURL: {{.QueueURL}}
{{- end}}
{{- if or .Inventory .Reverify}}
  intervals:
{{- if .Inventory}}
    inventory: {{.Inventory}}
{{- end}}
{{- if .Reverify}}
    reverify: {{.Reverify}}
{{- end}}
{{- end}}
`))

// YAML is the policy as a commented file.
func YAML(p Params) string {
	var b strings.Builder
	err := doc.Execute(&b, struct {
		Params
		Source string
	}{p, BootstrapSource})
	if err != nil {
		panic(fmt.Sprintf("simpolicy: template: %v", err)) // the template is fixed; only a bug gets here
	}
	return b.String()
}

// Policy is the policy as ecswinctl reads it from the file YAML writes:
// defaulted and validated by the CRD's own rules.
func Policy(p Params) (*v1alpha1.FleetPolicy, error) {
	return policyfile.Parse([]byte(YAML(p)))
}
