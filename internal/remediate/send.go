package remediate

import (
	"context"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/bootstrap/ssmdoc"
	"github.com/ecswin/ecswin/internal/bounded"
)

// SendBatch is the most instance IDs one SendCommand takes.
const SendBatch = 50

// giveUpGrace is how long past its timeouts a command may stay
// unfinished before its hosts are freed for another run.
const giveUpGrace = 5 * time.Minute

// Plan is what to send: the document, its parameters and SSM's bounds.
type Plan struct {
	// Document is the document's name; DocumentVersion and DocumentHash
	// the version ecswin ensured (With), which every SendCommand pins.
	Document        string
	DocumentVersion string
	DocumentHash    string
	Parameters      map[string][]string
	Check           bool
	MaxConcurrency  string
	MaxErrors       string
	// DeliveryTimeout is SSM's TimeoutSeconds; ExecutionTimeout the
	// document's executionTimeout.
	DeliveryTimeout  time.Duration
	ExecutionTimeout time.Duration
}

// PlanFor turns a policy's remediation spec into a Plan, checking the
// parameters as the document's allowedPattern will. The spec carries the
// CRD's defaults (the API server or policyfile applied them): every
// parameter is sent, so no default of the document ever decides a run.
// An error means the spec can never be sent as it stands.
func PlanFor(spec v1alpha1.FleetPolicySpec) (Plan, error) {
	r := spec.Remediation
	if err := requireDefaulted(spec); err != nil {
		return Plan{}, err
	}
	check := r.Mode != v1alpha1.ModeEnforce
	repairProxy := !check && r.HostProxy == v1alpha1.HostProxyEnforce
	exec := r.CommandTimeout.Duration
	params := map[string][]string{
		ssmdoc.ParamSource:           {r.Bootstrap.Source},
		ssmdoc.ParamCheck:            {strconv.FormatBool(check)},
		ssmdoc.ParamRepairProxy:      {strconv.FormatBool(repairProxy)},
		ssmdoc.ParamExecutionTimeout: {strconv.Itoa(int(exec.Seconds()))},
		ssmdoc.ParamAdapterPattern:   {spec.Route.AdapterPattern},
		ssmdoc.ParamDestinations:     {strings.Join(spec.Route.Destinations, ",")},
	}
	if _, err := ssmdoc.HostArgs(params); err != nil {
		return Plan{}, fmt.Errorf("checking SSM document parameters: %w", err)
	}
	maxErrors := strconv.Itoa(int(*r.MaxErrors))
	if check {
		// A check changes nothing on a host, so MaxErrors has nothing to
		// protect: SSM runs it everywhere and every failure (a download,
		// a blocked binary) is reported. What a check finds is no error
		// (route-bootstrap exits 9, drift reported, which the document
		// turns into success).
		maxErrors = "100%"
	}
	conc := int(r.MaxConcurrency)
	rounds := (SendBatch + conc - 1) / conc
	return Plan{
		Document:         r.DocumentName,
		Parameters:       params,
		Check:            check,
		MaxConcurrency:   strconv.Itoa(conc),
		MaxErrors:        maxErrors,
		DeliveryTimeout:  time.Duration(rounds) * exec,
		ExecutionTimeout: exec,
	}, nil
}

// requireDefaulted refuses a spec that lacks what the CRD defaults: one
// that reached ecswin without passing the API server or policyfile.
func requireDefaulted(spec v1alpha1.FleetPolicySpec) error {
	r := spec.Remediation
	missing := ""
	switch {
	case r.DocumentName == "":
		missing = "spec.remediation.documentName"
	case r.MaxConcurrency < 1:
		missing = "spec.remediation.maxConcurrency"
	case r.MaxErrors == nil:
		missing = "spec.remediation.maxErrors"
	case r.CommandTimeout.Duration <= 0:
		missing = "spec.remediation.commandTimeout"
	case spec.Route.AdapterPattern == "":
		missing = "spec.route.adapterPattern"
	case len(spec.Route.Destinations) == 0:
		missing = "spec.route.destinations"
	default:
		return nil
	}
	return fmt.Errorf("%s is not set: the CRD defaults it, so read the policy through the API server or ecswinctl's policy file", missing)
}

// With returns the plan pinned to doc, the document version ecswin
// ensured: SendCommand names that version and its hash.
func (p Plan) With(doc Document) Plan {
	p.DocumentVersion, p.DocumentHash = doc.Version, doc.Hash
	return p
}

// RepairsProxy reports whether the plan repairs broken credential proxies.
func (p Plan) RepairsProxy() bool { return isTrue(p.Parameters, ssmdoc.ParamRepairProxy) }

// WithoutProxyRepair returns the plan with repairProxy=false: the same
// run, which leaves a broken proxy as it is and reports it.
func (p Plan) WithoutProxyRepair() Plan {
	p.Parameters = maps.Clone(p.Parameters)
	p.Parameters[ssmdoc.ParamRepairProxy] = []string{"false"}
	return p
}

// Send sends the plan to ids in batches of 50, up to parallelism batches
// at once, and returns the commands SSM accepted, in the order of ids. A
// batch that fails is reported in the error and its hosts stay free for a
// later pass; the other batches are still sent.
func Send(ctx context.Context, api awsapi.SSMAPI, plan Plan, ids []string, now time.Time, parallelism int) ([]Command, error) {
	sent, err := bounded.Map(ctx, parallelism, bounded.Batches(ids, SendBatch), func(ctx context.Context, batch []string) (Command, error) {
		return sendBatch(ctx, api, plan, batch, now)
	})
	cmds := make([]Command, 0, len(sent))
	for _, c := range sent {
		if c.ID != "" {
			cmds = append(cmds, c)
		}
	}
	return cmds, err
}

func sendBatch(ctx context.Context, api awsapi.SSMAPI, plan Plan, batch []string, now time.Time) (Command, error) {
	if plan.DocumentVersion == "" || plan.DocumentHash == "" {
		return Command{}, fmt.Errorf("sending command to %d hosts: no ensured version of SSM document %s to pin", len(batch), plan.Document)
	}
	out, err := api.SendCommand(ctx, &ssm.SendCommandInput{
		DocumentName:     aws.String(plan.Document),
		DocumentVersion:  aws.String(plan.DocumentVersion),
		DocumentHash:     aws.String(plan.DocumentHash),
		DocumentHashType: ssmtypes.DocumentHashTypeSha256,
		InstanceIds:      batch,
		Parameters:       plan.Parameters,
		MaxConcurrency:   aws.String(plan.MaxConcurrency),
		MaxErrors:        aws.String(plan.MaxErrors),
		TimeoutSeconds:   aws.Int32(int32(max(plan.DeliveryTimeout.Seconds(), 30))),
		Comment:          aws.String("ecswin route-bootstrap host"),
	})
	if err != nil {
		return Command{}, fmt.Errorf("sending command to %d hosts: %w", len(batch), err)
	}
	if out.Command == nil || aws.ToString(out.Command.CommandId) == "" {
		return Command{}, fmt.Errorf("sending command to %d hosts: SSM returned no command ID", len(batch))
	}
	requested := now
	if out.Command.RequestedDateTime != nil {
		requested = *out.Command.RequestedDateTime
	}
	return Command{
		ID:          strings.Clone(*out.Command.CommandId),
		InstanceIDs: append([]string(nil), batch...),
		SentAt:      now,
		RequestedAt: requested,
		Check:       plan.Check,
		RepairProxy: plan.RepairsProxy(),
		GiveUpAt:    now.Add(plan.DeliveryTimeout + plan.ExecutionTimeout + giveUpGrace),
	}, nil
}

// ssmTime formats a time the way SSM's InvokedAfter filter takes it.
func ssmTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
