package engine_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/buildinfo"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/metrics"
)

// How the reconciler and ecswinctl drive the engine: build it once with
// its metrics, run a pass per reconcile, write what the Result carries,
// come back after RequeueAfter, and Forget deleted policies.
func ExampleEngine_Pass() {
	reg := prometheus.NewRegistry() // the manager passes controller-runtime's metrics.Registry
	m, err := metrics.New(reg)
	if err != nil {
		panic(err)
	}
	eng := engine.New(engine.Deps{
		// The operator's trust settings (manager flags) decide which
		// endpoints and roles policies may use.
		Clients: awsapi.NewCache(awsapi.Options{Observer: m, Trust: awsapi.Trust{}}),
		Metrics: m,
		// The release's route-bootstrap.exe hash (or --bootstrap-sha256).
		BootstrapSHA256: buildinfo.RouteBootstrapSHA256(),
	})
	ref := engine.PolicyRef{Name: "fleet"} // FleetPolicy is cluster-scoped
	spec := v1alpha1.FleetPolicySpec{ /* from the FleetPolicy */ }

	res, err := eng.Pass(context.Background(), ref, spec)
	switch {
	case errors.Is(err, engine.ErrInvalidSpec):
		// terminal: wait for a spec change
	case err != nil:
		// retry with backoff; res still holds what the pass got
	}
	for _, c := range res.Conditions {
		fmt.Println(c.Type, c.Status, c.Reason) // into status.conditions, with ObservedGeneration
	}
	_ = res.Counts               // status.counts
	_ = res.HostIssues           // status.hostIssues (at most MaxListedIssues)
	_ = res.TaskDefinitionIssues // status.taskDefinitionIssues
	_ = res.Events               // Kubernetes Events, deduplicated by Key
	_ = res.RequeueAfter         // reconcile.Result{RequeueAfter: ...}

	eng.Forget(ref) // when the policy is deleted
}
