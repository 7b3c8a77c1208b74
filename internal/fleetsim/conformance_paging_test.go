package fleetsim_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

// pagingInputs are the required members each paginated listing needs.
var pagingInputs = map[string]map[string]any{
	"ecs.ListClusters":                {},
	"ecs.ListContainerInstances":      {"cluster": conformanceCluster},
	"ecs.ListTaskDefinitions":         {},
	"ecs.ListTasks":                   {"cluster": conformanceCluster},
	"ecs.ListServices":                {"cluster": conformanceCluster},
	"ecs.ListAttributes":              {"cluster": conformanceCluster, "targetType": "container-instance"},
	"ssm.ListCommandInvocations":      {},
	"ssm.ListCommands":                {},
	"ssm.DescribeInstanceInformation": {},
	"sqs.ListQueues":                  {},
}

// paginators checks every paginator of a served operation: paging with
// the smallest page the model allows, while a command is sent and a task
// started before each page, must list every item of one listing taken
// just before with the largest pages exactly once, and nothing else but
// what was created meanwhile.
func (c *conformance) paginators() {
	for _, m := range c.models {
		for _, op := range m.svc.Operations {
			p, ok := m.pages[op]
			if !ok {
				continue
			}
			base, ok := pagingInputs[m.svc.Name+"."+op]
			if !ok {
				c.t.Errorf("%s.%s has a paginator but no paging input: add it to pagingInputs", m.svc.Name, op)
				continue
			}
			c.paginate(m, op, p, base)
		}
	}
}

func (c *conformance) paginate(m *serviceModel, op string, p paginator, base map[string]any) {
	c.t.Helper()
	limit := m.input.Model.Shapes[m.input.Model.Shapes[mustInput(m, op)].Members[p.LimitKey].Shape]
	smallest, largest := bounds(limit, 1, 100)
	snapshot, _ := c.listAll(m, op, p, base, largest, nil)
	// Small pages, but not more than about 20 of them.
	size := min(largest, max(smallest, int64(len(snapshot)+19)/20))
	created := map[string]bool{}
	paged, pages := c.listAll(m, op, p, base, size, func() { c.meanwhile(created) })
	if pages < 2 && len(snapshot) > int(size) {
		c.t.Errorf("%s.%s: %d items came in %d page(s) of %d", m.svc.Name, op, len(paged), pages, size)
	}
	c.t.Logf("%s.%s: %d items in one listing; %d in %d pages of %d with the fleet changing in between", m.svc.Name, op, len(snapshot), len(paged), pages, size)
	count := map[string]int{}
	for _, k := range paged {
		count[k]++
	}
	for _, k := range snapshot {
		if count[k] != 1 {
			c.t.Errorf("%s.%s paged %d at a time lists %s %d times, want once (the single listing has it)", m.svc.Name, op, size, k, count[k])
			c.bad++
		}
	}
	for k, n := range count {
		if n > 1 || (!slices.Contains(snapshot, k) && !createdMeanwhile(created, k)) {
			c.t.Errorf("%s.%s paged lists %s %d times; the single listing has it %v", m.svc.Name, op, k, n, slices.Contains(snapshot, k))
			c.bad++
		}
	}
}

func mustInput(m *serviceModel, op string) string {
	in, _ := m.input.Input(op)
	return in
}

// listAll pages through a listing, calling between before each later page.
func (c *conformance) listAll(m *serviceModel, op string, p paginator, base map[string]any, size int64, between func()) (keys []string, pages int) {
	c.t.Helper()
	token := ""
	for {
		in := map[string]any{}
		for k, v := range base {
			in[k] = v
		}
		in[p.LimitKey] = json.Number(itoa64(size))
		if token != "" {
			in[p.InputToken] = token
			if between != nil {
				between()
			}
		}
		a := c.send(m, op, in)
		c.checkAnswer(m, op, in, a)
		if a.status != http.StatusOK {
			c.deviate(m, op, in, a, "paging failed")
			return keys, pages
		}
		pages++
		obj := a.tree.(map[string]any)
		items, _ := obj[p.ResultKey].([]any)
		for _, it := range items {
			keys = append(keys, identity(it))
		}
		token = str(obj[p.OutputToken])
		if token == "" || pages > 1000 {
			return keys, pages
		}
	}
}

// meanwhile changes the fleet between two pages: a command sent, a task
// started.
func (c *conformance) meanwhile(created map[string]bool) {
	c.t.Helper()
	out, err := c.e.ssm.SendCommand(ctx(c.t), &ssm.SendCommandInput{
		DocumentName: aws.String("AWS-RunPowerShellScript"), InstanceIds: c.live.ec2IDs[:2],
		Parameters: map[string][]string{"commands": {"Get-Date"}},
	})
	if err != nil {
		c.t.Fatal(err)
	}
	created[aws.ToString(out.Command.CommandId)] = true
	arn, err := c.e.sim.StartTask(c.live.ec2IDs[0], "web", true)
	if err != nil {
		c.t.Fatal(err)
	}
	created[arn] = true
	c.e.clock.Step(time.Second)
}

// createdMeanwhile tells whether an item is (of) something created
// while paging.
func createdMeanwhile(created map[string]bool, key string) bool {
	cmd, _, _ := strings.Cut(key, "/")
	return created[key] || created[cmd]
}

// identity names a listed item: an ARN, or the IDs of a command, an
// invocation, a managed instance or an attribute.
func identity(item any) string {
	if s, ok := item.(string); ok {
		return s
	}
	obj, _ := item.(map[string]any)
	switch {
	case obj["CommandId"] != nil && obj["InstanceId"] != nil:
		return str(obj["CommandId"]) + "/" + str(obj["InstanceId"])
	case obj["CommandId"] != nil:
		return str(obj["CommandId"])
	case obj["InstanceId"] != nil:
		return str(obj["InstanceId"])
	}
	return str(obj["targetId"]) + "#" + str(obj["name"])
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
