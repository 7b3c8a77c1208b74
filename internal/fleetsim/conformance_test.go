package fleetsim_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/fleetsim/apimodel"
	"github.com/ecswin/ecswin/internal/fleetsim/apimodel/botocoretest"
	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

// TestConformsToBotocoreModels holds the simulator to AWS's own service
// models, every botocore installed on the machine in turn (the AWS
// CLI's, Debian's python3-botocore): every served operation is driven
// with inputs generated from the model, valid ones and ones that break
// exactly one constraint; every success answer is checked against the
// operation's output shape (member names and case, types, enums,
// required members, lengths and patterns), every error against the
// operation's declared errors and the common ones, every broken input
// must be refused with the service's validation code naming the member,
// and every paginator must list each item of a single large listing
// once, while commands are being sent between its pages.
func TestConformsToBotocoreModels(t *testing.T) {
	for _, b := range botocoretest.Installed(t) {
		t.Run("botocore "+b.Version, func(t *testing.T) {
			c := newConformance(t, b)
			c.operations()
			c.paginators()
			c.report()
		})
	}
}

// minGeneratedCalls is the least the test must make per model.
const minGeneratedCalls = 500

// validCallsPerOperation is how many valid inputs each operation gets.
const validCallsPerOperation = 12

// commonErrors may answer any operation of an AWS JSON service.
var commonErrors = []string{
	"AccessDeniedException", "IncompleteSignature", "InternalFailure", "InvalidClientTokenId",
	"MissingAuthenticationToken", "NotAuthorized", "OptInRequired", "RequestExpired", "ServiceUnavailable",
	"ThrottlingException", "ValidationException", "SerializationException", "UnknownOperationException",
	"UnrecognizedClientException",
}

// serviceErrors may answer any operation of one service: SQS keeps the
// common errors of its query API (its API reference's Common Errors).
var serviceErrors = map[string][]string{"sqs": {"MissingParameter", "InvalidParameterValue"}}

// validationCode is what a service answers a broken constraint with: ECS
// InvalidParameterException, SSM ValidationException, SQS its query
// codes (MissingParameter for a required member, InvalidAttributeName
// for a queue attribute name it does not know, InvalidParameterValue for
// the rest); SerializationException for a JSON type fault everywhere.
func validationCode(svc, op string, st site) string {
	switch {
	case st.kind == wrongType:
		return "SerializationException"
	case svc == "ecs":
		return "InvalidParameterException"
	case svc == "ssm":
		return "ValidationException"
	case st.kind == dropRequired:
		return "MissingParameter"
	case st.kind == notEnum && slices.Contains(st.shape.Enum, "VisibilityTimeout") && slices.Contains(wire.AttributeNameOps, op):
		return "InvalidAttributeName"
	}
	return "InvalidParameterValue"
}

// serviceModel is one service as the installed botocore describes it.
type serviceModel struct {
	svc     apimodel.Service
	wire    string // X-Amz-Target prefix
	full    *apimodel.Model
	input   *apimodel.Rules // what the simulator is given to enforce
	outputs *apimodel.Rules // the output and error shapes, to check answers
	pages   map[string]paginator
}

type paginator struct {
	InputToken  string `json:"input_token"`
	OutputToken string `json:"output_token"`
	LimitKey    string `json:"limit_key"`
	ResultKey   string `json:"result_key"`
}

type conformance struct {
	t        *testing.T
	e        *env
	url      string
	models   []*serviceModel
	rng      *rand.Rand
	live     *liveValues
	calls    int
	bad      int
	perOp    map[string]*opTally
	seenCode map[string]bool
}

type opTally struct{ valid, succeeded, broken int }

// seedEnv picks the generator's seed (default 14), to explore further.
const seedEnv = "ECSWIN_CONFORMANCE_SEED"

func newConformance(t *testing.T, b apimodel.Botocore) *conformance {
	seed := uint64(14)
	if v := os.Getenv(seedEnv); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("%s=%q: %v", seedEnv, v, err)
		}
		seed = n
	}
	t.Logf("generator seed %d (%s sets another)", seed, seedEnv)
	c := &conformance{t: t, rng: rand.New(rand.NewPCG(seed, 2014)), perOp: map[string]*opTally{}, seenCode: map[string]bool{}}
	set := apimodel.Set{}
	for _, svc := range apimodel.Served {
		m := loadServiceModel(t, b, svc)
		if proto := m.full.Metadata.Protocol; proto != "json" {
			// SQS moved from the query protocol to JSON in 2023; the
			// simulator speaks JSON only, held to its embedded rules.
			t.Logf("%s: botocore %s models %s on the %s protocol; the simulator speaks JSON only, so it is not checked against this model",
				svc.Name, b.Version, svc.Name, proto)
			set[svc.Name] = apimodel.Embedded()[svc.Name]
			continue
		}
		c.models = append(c.models, m)
		set[svc.Name] = m.input
	}
	c.e = newEnv(t, "small", fleetsim.Options{Models: set})
	c.url = *c.e.ecs.Options().BaseEndpoint
	c.live = gatherLiveValues(t, c.e)
	return c
}

func loadServiceModel(t *testing.T, b apimodel.Botocore, svc apimodel.Service) *serviceModel {
	t.Helper()
	full, trimmed, err := b.Load(svc)
	if err != nil {
		t.Fatal(err)
	}
	input, err := apimodel.NewRules(trimmed)
	if err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	var roots []string
	for _, op := range svc.Operations {
		o := full.Operations[op]
		if o.Output != nil {
			roots = append(roots, o.Output.Shape)
		}
		for _, e := range o.Errors {
			roots = append(roots, e.Shape)
		}
	}
	reachable, err := apimodel.Reachable(full, roots)
	if err != nil {
		t.Fatal(err)
	}
	outputs := apimodel.NewAnswerRules(reachable)
	raw, err := b.Read(svc, "paginators-1")
	if err != nil {
		t.Fatal(err)
	}
	var p struct {
		Pagination map[string]paginator `json:"pagination"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		t.Fatalf("%s paginators: %v", svc.Name, err)
	}
	return &serviceModel{svc: svc, wire: full.Metadata.TargetPrefix, full: full, input: input, outputs: outputs, pages: p.Pagination}
}

// answer is one HTTP answer of the simulator.
type answer struct {
	status  int
	tree    any
	code    string
	message string
	raw     []byte
}

func (c *conformance) send(m *serviceModel, op string, in map[string]any) answer {
	c.t.Helper()
	body, err := json.Marshal(in)
	if err != nil {
		c.t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(ctx(c.t), http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("X-Amz-Target", m.wire+"."+op)
	req.Header.Set("Content-Type", "application/x-amz-json-"+m.full.Metadata.JSONVersion)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	c.calls++
	c.e.clock.Step(250 * time.Millisecond) // commands move on between calls
	a := answer{status: resp.StatusCode, raw: raw}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&a.tree); err != nil {
		c.deviate(m, op, in, a, "the answer is not JSON: %v", err)
		return a
	}
	if a.status != http.StatusOK {
		obj, _ := a.tree.(map[string]any)
		typ, _ := obj["__type"].(string)
		a.code = typ[strings.LastIndexByte(typ, '#')+1:]
		a.message, _ = obj[errorMessageField(m)].(string)
		c.seenCode[m.svc.Name+"."+a.code] = true
	}
	return a
}

func errorMessageField(m *serviceModel) string {
	if m.svc.Name == "ssm" {
		return "Message"
	}
	return "message"
}

func (c *conformance) deviate(m *serviceModel, op string, in map[string]any, a answer, format string, args ...any) {
	c.t.Helper()
	c.bad++
	body, _ := json.Marshal(in)
	c.t.Errorf("%s.%s: %s\n  request: %s\n  answer:  %d %s", m.svc.Name, op, fmt.Sprintf(format, args...), body, a.status, a.raw)
}

// checkAnswer holds any answer to the model: a success to the output
// shape, an error to the declared and common errors.
func (c *conformance) checkAnswer(m *serviceModel, op string, in map[string]any, a answer) {
	c.t.Helper()
	if a.status == http.StatusOK {
		out := m.full.Operations[op].Output
		if out == nil {
			return
		}
		vs, _ := m.outputs.Check(out.Shape, a.tree, apimodel.Answer)
		for _, v := range vs {
			c.deviate(m, op, in, a, "the answer breaks %s: %v", out.Shape, v)
		}
		return
	}
	if !slices.Contains(c.allowedErrors(m, op), a.code) {
		c.deviate(m, op, in, a, "error %q is neither declared for the operation nor common", a.code)
	}
	if a.message == "" {
		c.deviate(m, op, in, a, "the error has no %s", errorMessageField(m))
	}
}

func (c *conformance) allowedErrors(m *serviceModel, op string) []string {
	out := append(slices.Clone(commonErrors), serviceErrors[m.svc.Name]...)
	for _, e := range m.full.Operations[op].Errors {
		out = append(out, m.full.ErrorCode(e.Shape))
	}
	return out
}

func (c *conformance) tally(m *serviceModel, op string) *opTally {
	k := m.svc.Name + "." + op
	if c.perOp[k] == nil {
		c.perOp[k] = &opTally{}
	}
	return c.perOp[k]
}

// operations drives every served operation with valid inputs, then with
// one broken input per constraint the model (and the documented limits)
// puts on it.
func (c *conformance) operations() {
	for _, m := range c.models {
		for _, op := range creatorsFirst(m.svc.Operations) {
			g := c.gen(m, op)
			input, _ := m.input.Input(op)
			tally := c.tally(m, op)
			for range validCallsPerOperation {
				in := c.validInput(g, m, op, input, nil)
				a := c.send(m, op, in)
				c.checkAnswer(m, op, in, a)
				tally.valid++
				if a.status == http.StatusOK {
					tally.succeeded++
					c.live.observe(op, a.tree)
				} else if refusedAsBroken(m.svc.Name, a) {
					c.deviate(m, op, in, a, "a valid input was refused as breaking the model")
				}
			}
			for _, st := range g.sites(input) {
				c.broken(g, m, op, input, st)
				tally.broken++
			}
		}
	}
}

// creatorsFirst orders operations so that those creating what others
// read (documents, commands, attributes, queues, messages and their
// receipt handles) run first, and those destroying it last.
func creatorsFirst(ops []string) []string {
	rank := func(op string) int {
		switch op {
		case "CreateDocument", "SendCommand", "PutAttributes", "CreateQueue":
			return 0
		case "SendMessage", "SendMessageBatch":
			return 1
		case "ReceiveMessage":
			return 2
		case "DeleteDocument", "PurgeQueue", "DeleteQueue":
			return 4
		}
		return 3
	}
	out := slices.Clone(ops)
	slices.SortStableFunc(out, func(a, b string) int { return rank(a) - rank(b) })
	return out
}

func (c *conformance) gen(m *serviceModel, op string) *inputGen {
	return &inputGen{rules: m.input, rng: c.rng, hint: c.live.hint, include: c.live.include, op: op}
}

func (c *conformance) validInput(g *inputGen, m *serviceModel, op, input string, force []string) map[string]any {
	in, _ := g.valid(input, "", 0, force).(map[string]any)
	if fix := fixups[m.svc.Name+"."+op]; fix != nil {
		fix(c.live, g.rng, in, force)
	}
	return in
}

// broken sends an input valid but for the site's violation and requires
// the service's validation code (SerializationException for a JSON type
// fault), its message naming the member.
func (c *conformance) broken(g *inputGen, m *serviceModel, op, input string, st site) {
	c.t.Helper()
	in := c.validInput(g, m, op, input, st.path)
	path := g.apply(in, st)
	a := c.send(m, op, in)
	c.checkAnswer(m, op, in, a)
	want := validationCode(m.svc.Name, op, st)
	switch {
	case a.status == http.StatusOK:
		c.deviate(m, op, in, a, "accepted an input that breaks %s at %s", kindText(st.kind), path)
	case a.code != want:
		c.deviate(m, op, in, a, "answered %s to an input that breaks %s at %s, want %s", a.code, kindText(st.kind), path, want)
	case !strings.Contains(strings.ToLower(a.message), strings.ToLower(path)):
		c.deviate(m, op, in, a, "the message does not name %s", path)
	}
}

// refusedAsBroken tells a validation answer to a valid input apart from
// the service logic's own refusals.
func refusedAsBroken(svc string, a answer) bool {
	switch svc {
	case "ssm":
		return strings.Contains(a.message, "failed to satisfy constraint")
	case "sqs":
		return a.code == "MissingParameter" || (a.code == "InvalidParameterValue" && strings.Contains(a.message, "Reason: Must"))
	}
	return false
}

func kindText(k siteKind) string {
	return [...]string{"a required member", "the JSON type", "the minimum length", "the maximum length",
		"the pattern", "the enum", "the minimum", "the maximum"}[k]
}

// report requires enough calls, and of each operation at least one
// success: a generator whose inputs never pass checks nothing.
func (c *conformance) report() {
	c.t.Helper()
	for _, m := range c.models {
		for _, op := range m.svc.Operations {
			if n := c.tally(m, op); n.succeeded == 0 {
				c.t.Errorf("%s.%s: none of %d valid inputs succeeded; the generator or its hints need a look", m.svc.Name, op, n.valid)
			}
		}
	}
	if c.calls < minGeneratedCalls {
		c.t.Errorf("%d generated calls, want at least %d", c.calls, minGeneratedCalls)
	}
	c.t.Logf("%d generated calls, %d deviations; error codes seen: %v", c.calls, c.bad, slices.Sorted(maps.Keys(c.seenCode)))
}
