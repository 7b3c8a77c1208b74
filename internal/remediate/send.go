package remediate

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"golang.org/x/sync/errgroup"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/bootstrap/ssmdoc"
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
// parameters as the document's allowedPattern will. An error means the
// spec can never be sent as it stands.
func PlanFor(spec v1alpha1.FleetPolicySpec) (Plan, error) {
	r := spec.Remediation
	check := r.Mode != v1alpha1.ModeEnforce
	repairProxy := !check && r.HostProxy == v1alpha1.HostProxyEnforce
	exec := r.CommandTimeout.Duration
	if exec <= 0 {
		exec = 10 * time.Minute
	}
	params := map[string][]string{
		ssmdoc.ParamSource:           {r.Bootstrap.Source},
		ssmdoc.ParamCheck:            {strconv.FormatBool(check)},
		ssmdoc.ParamRepairProxy:      {strconv.FormatBool(repairProxy)},
		ssmdoc.ParamExecutionTimeout: {strconv.Itoa(int(exec.Seconds()))},
	}
	if spec.Route.AdapterPattern != "" {
		params[ssmdoc.ParamAdapterPattern] = []string{spec.Route.AdapterPattern}
	}
	if len(spec.Route.Destinations) > 0 {
		params[ssmdoc.ParamDestinations] = []string{strings.Join(spec.Route.Destinations, ",")}
	}
	if _, err := ssmdoc.HostArgs(params); err != nil {
		return Plan{}, fmt.Errorf("checking SSM document parameters: %w", err)
	}
	conc := max(r.MaxConcurrency, 1)
	maxErrors := "2"
	if r.MaxErrors != nil {
		maxErrors = strconv.Itoa(int(*r.MaxErrors))
	}
	if check {
		// A check exits non-zero on every drifted host; SSM must not stop
		// the sweep because of what it was asked to find.
		maxErrors = "100%"
	}
	rounds := (SendBatch + int(conc) - 1) / int(conc)
	return Plan{
		Document:         r.DocumentName,
		Parameters:       params,
		Check:            check,
		MaxConcurrency:   strconv.Itoa(int(conc)),
		MaxErrors:        maxErrors,
		DeliveryTimeout:  time.Duration(rounds) * exec,
		ExecutionTimeout: exec,
	}, nil
}

// With returns the plan pinned to doc, the document version ecswin
// ensured: SendCommand names that version and its hash.
func (p Plan) With(doc Document) Plan {
	p.DocumentVersion, p.DocumentHash = doc.Version, doc.Hash
	return p
}

// Send sends the plan to ids in batches of 50, up to parallelism batches
// at once, and returns the commands SSM accepted. A batch that fails is
// reported in the error and its hosts stay free for a later pass; the
// other batches are still sent.
func Send(ctx context.Context, api awsapi.SSMAPI, plan Plan, ids []string, now time.Time, parallelism int) ([]Command, error) {
	var (
		mu   sync.Mutex
		cmds []Command
		errs []error
		g    errgroup.Group
	)
	g.SetLimit(max(parallelism, 1))
	for start := 0; start < len(ids); start += SendBatch {
		batch := ids[start:min(start+SendBatch, len(ids))]
		g.Go(func() error {
			cmd, err := sendBatch(ctx, api, plan, batch, now)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
			} else {
				cmds = append(cmds, cmd)
			}
			return nil
		})
	}
	_ = g.Wait()
	sort.Slice(cmds, func(i, j int) bool { return cmds[i].InstanceIDs[0] < cmds[j].InstanceIDs[0] })
	return cmds, errors.Join(errs...)
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
		ID:          *out.Command.CommandId,
		InstanceIDs: append([]string(nil), batch...),
		SentAt:      now,
		RequestedAt: requested,
		Check:       plan.Check,
		GiveUpAt:    now.Add(plan.DeliveryTimeout + plan.ExecutionTimeout + giveUpGrace),
	}, nil
}

// ssmTime formats a time the way SSM's InvokedAfter filter takes it.
func ssmTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
