package simpolicy

import (
	"reflect"
	"testing"
	"time"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/fleetsim"
)

// The file simulate prints is one ecswinctl (and so the API server)
// accepts, and says what the parameters say.
func TestYAMLIsAValidPolicy(t *testing.T) {
	sc, err := fleetsim.BuiltinScenario("demo")
	if err != nil {
		t.Fatal(err)
	}
	sim, err := fleetsim.New(fleetsim.Options{}, sc)
	if err != nil {
		t.Fatal(err)
	}
	const url = "http://127.0.0.1:4566"
	for name, edit := range map[string]func(*Params){
		"dry run, defaults": func(*Params) {},
		"enforce, paced": func(p *Params) {
			p.Enforce, p.MaxInFlight, p.Inventory, p.Reverify = true, 1000, 10*time.Second, 5*time.Minute
		},
		"with the event queue": func(p *Params) { p.QueueURL = url + "/123456789012/ecswin-events" },
	} {
		t.Run(name, func(t *testing.T) {
			params := For(sim, url, "sim")
			edit(&params)
			p, err := Policy(params)
			if err != nil {
				t.Fatalf("%v\n%s", err, YAML(params))
			}
			s := p.Spec
			wantMode := v1alpha1.ModeDryRun
			if params.Enforce {
				wantMode = v1alpha1.ModeEnforce
			}
			if p.Name != "sim" || s.AWS.Region != sim.Region() || s.AWS.Endpoints == nil || s.AWS.Endpoints.ECS != url || s.AWS.Endpoints.SSM != url ||
				!reflect.DeepEqual(s.Clusters, params.Clusters) || len(s.Clusters) != len(sc.Clusters) || s.Remediation.Mode != wantMode {
				t.Errorf("policy = %+v", p)
			}
			if params.Inventory != 0 && (s.Intervals.Inventory.Duration != params.Inventory || s.Intervals.Reverify.Duration != params.Reverify ||
				s.Remediation.MaxInFlight != 1000 || s.Remediation.HostProxy != v1alpha1.HostProxyEnforce) {
				t.Errorf("pacing not applied: %+v", s)
			}
			if got := s.Events; (params.QueueURL == "") != (got == nil) || (got != nil && got.QueueURL != params.QueueURL) {
				t.Errorf("spec.events = %+v, want queue %q", got, params.QueueURL)
			}
		})
	}
}
