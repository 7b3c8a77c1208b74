package engine_test

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/simtest"
)

// AWS answers missing fields never panic the engine: each case drops
// fields everywhere in the answers and runs passes to the end.
func TestMissingFieldsNeverPanic(t *testing.T) {
	cases := map[string]struct {
		ops  []string
		keys []string
	}{
		"instance ARNs and IDs":       {[]string{"DescribeContainerInstances"}, []string{"containerInstanceArn", "ec2InstanceId"}},
		"instance attributes":         {[]string{"DescribeContainerInstances"}, []string{"attributes", "registeredResources", "name", "value"}},
		"instance status":             {[]string{"DescribeContainerInstances"}, []string{"status", "agentConnected", "versionInfo"}},
		"task fields":                 {[]string{"DescribeTasks"}, []string{"taskArn", "taskDefinitionArn", "startedAt", "overrides"}},
		"task instance":               {[]string{"DescribeTasks"}, []string{"containerInstanceArn"}},
		"task definition":             {[]string{"DescribeTaskDefinition"}, []string{"taskDefinition"}},
		"task definition fields":      {[]string{"DescribeTaskDefinition"}, []string{"family", "containerDefinitions", "portMappings", "networkMode"}},
		"clusters":                    {[]string{"DescribeClusters"}, []string{"clusterArn", "clusterName"}},
		"list pages":                  {[]string{"ListContainerInstances", "ListTasks"}, []string{"containerInstanceArns", "taskArns"}},
		"ssm instance info":           {[]string{"DescribeInstanceInformation"}, []string{"InstanceId", "PingStatus"}},
		"command ID":                  {[]string{"SendCommand"}, []string{"CommandId"}},
		"invocation fields":           {[]string{"ListCommandInvocations"}, []string{"InstanceId", "Status", "CommandPlugins", "StatusDetails"}},
		"plugin output":               {[]string{"ListCommandInvocations", "GetCommandInvocation"}, []string{"Output", "StandardOutputContent", "ResponseCode"}},
		"document description":        {[]string{"DescribeDocument", "UpdateDocument"}, []string{"Document", "DocumentDescription", "Hash"}},
		"listed commands":             {[]string{"ListCommands"}, []string{"CommandId", "InstanceIds", "Status", "RequestedDateTime"}},
		"everything named with an id": {nil, []string{"CommandId", "InstanceId", "taskArn", "containerInstanceArn"}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			env := smallEnv(t)
			url := serveWithout(t, env, c.ops, c.keys)
			spec := env.Spec(t, v1alpha1.ModeEnforce)
			spec.AWS.Endpoints.ECS, spec.AWS.Endpoints.SSM = url, url
			eng := newEngine(env)
			for i := 0; i < 8; i++ {
				res, _ := eng.Pass(t.Context(), policy, spec)
				if len(res.Conditions) != len(v1alpha1.StepConditions) {
					t.Fatalf("pass %d: %d conditions, want %d", i, len(res.Conditions), len(v1alpha1.StepConditions))
				}
				env.Clock.Step(res.RequeueAfter)
			}
		})
	}
}

// serveWithout serves the simulator with the named keys deleted from
// every object of the answers of ops (all operations when empty): answers
// AWS would never give, which no fault of the simulator makes, so the SDK
// parses every byte of them as it would a real answer's.
func serveWithout(t *testing.T, env *simtest.Env, ops, keys []string) string {
	t.Helper()
	inner := env.Sim.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, op, _ := strings.Cut(r.Header.Get("X-Amz-Target"), ".")
		rec := httptest.NewRecorder()
		inner.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		var doc map[string]any
		if rec.Code == http.StatusOK && (len(ops) == 0 || slices.Contains(ops, op)) && json.Unmarshal(body, &doc) == nil {
			drop(doc, keys)
			if out, err := json.Marshal(doc); err == nil {
				body = out
			}
		}
		maps.Copy(w.Header(), rec.Header())
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func drop(v any, keys []string) {
	switch x := v.(type) {
	case map[string]any:
		for _, k := range keys {
			delete(x, k)
		}
		for _, child := range x {
			drop(child, keys)
		}
	case []any:
		for _, child := range x {
			drop(child, keys)
		}
	}
}
