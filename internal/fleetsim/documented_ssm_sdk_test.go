package fleetsim_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
)

// Class "documented behaviour": the Status filter of ListCommands and
// ListCommandInvocations takes the StatusDetails values the API
// reference lists (Incomplete, ExecutionTimedOut, Undeliverable,
// Terminated...), not only the Status ones.
func TestStatusFiltersMatchStatusDetails(t *testing.T) {
	e := newEnv(t, "small", fleetsim.Options{})
	createDocument(t, e)
	ids := e.sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true})
	offline, hanging, failing, fine := ids[0], ids[1], ids[2], ids[3]
	for _, err := range []error{e.sim.SetAgentOnline(offline, false), e.sim.SetCommandBehavior(hanging, fleetsim.BehaveHang), e.sim.SetCommandBehavior(failing, fleetsim.BehaveFail)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	sendWith := func(ids []string, maxErrors, maxConcurrency string, params map[string][]string) string {
		out, err := e.ssm.SendCommand(ctx(t), &ssm.SendCommandInput{DocumentName: aws.String(docName), InstanceIds: ids, Parameters: params,
			MaxErrors: aws.String(maxErrors), MaxConcurrency: aws.String(maxConcurrency)})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(out.Command.CommandId)
	}
	short := bootstrapParams(false)
	short["executionTimeout"] = []string{"60"}
	incomplete := sendWith([]string{failing, fine}, "1", "50", bootstrapParams(false))
	timedOut := sendWith([]string{hanging}, "0", "50", short)
	terminated := sendWith([]string{failing, fine}, "0", "1", bootstrapParams(false))
	undeliverable := sendWith([]string{offline}, "0", "50", bootstrapParams(false))
	e.clock.Step(5 * time.Minute)

	commands := func(status string) []string {
		out, err := e.ssm.ListCommands(ctx(t), &ssm.ListCommandsInput{Filters: []ssmtypes.CommandFilter{{Key: ssmtypes.CommandFilterKeyStatus, Value: aws.String(status)}}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range out.Commands {
			got = append(got, aws.ToString(c.CommandId))
		}
		return got
	}
	invocations := func(status string) []string {
		out, err := e.ssm.ListCommandInvocations(ctx(t), &ssm.ListCommandInvocationsInput{Filters: []ssmtypes.CommandFilter{{Key: ssmtypes.CommandFilterKeyStatus, Value: aws.String(status)}}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, inv := range out.CommandInvocations {
			got = append(got, aws.ToString(inv.CommandId)+"/"+aws.ToString(inv.InstanceId))
		}
		return got
	}
	for name, tc := range map[string]struct {
		got  []string
		want []string
	}{
		"commands Incomplete":            {commands("Incomplete"), []string{incomplete}},
		"commands ExecutionTimedOut":     {commands("ExecutionTimedOut"), []string{timedOut}},
		"commands TimedOut (its Status)": {commands("TimedOut"), []string{timedOut}},
		"invocations Undeliverable":      {invocations("Undeliverable"), []string{undeliverable + "/" + offline}},
		"invocations Terminated":         {invocations("Terminated"), []string{terminated + "/" + fine}},
		"invocations ExecutionTimedOut":  {invocations("ExecutionTimedOut"), []string{timedOut + "/" + hanging}},
	} {
		if len(tc.got) != len(tc.want) || (len(tc.got) > 0 && tc.got[0] != tc.want[0]) {
			t.Errorf("%s: got %v, want %v", name, tc.got, tc.want)
		}
	}
	requireAPIErrors(t, map[string]apiErrorCase{
		"a status no listing has": {func() error {
			_, err := e.ssm.ListCommands(ctx(t), &ssm.ListCommandsInput{Filters: []ssmtypes.CommandFilter{{Key: ssmtypes.CommandFilterKeyStatus, Value: aws.String("Undeliverable")}}})
			return err
		}, "ValidationException"},
		"ExecutionStage on invocations": {func() error {
			_, err := e.ssm.ListCommandInvocations(ctx(t), &ssm.ListCommandInvocationsInput{Filters: []ssmtypes.CommandFilter{{Key: ssmtypes.CommandFilterKeyExecutionStage, Value: aws.String("Complete")}}})
			return err
		}, "InvalidFilterKey"},
	})
}

// Class "documented behaviour": ExpiresAfter is the command's total
// timeout, the delivery timeout (TimeoutSeconds) plus the document's
// execution timeout.
func TestExpiresAfterIsTheTotalTimeout(t *testing.T) {
	e := newEnv(t, "small", fleetsim.Options{})
	id := e.sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true})[0]
	for name, tc := range map[string]struct {
		in   *ssm.SendCommandInput
		want time.Duration
	}{
		"given timeouts": {&ssm.SendCommandInput{DocumentName: aws.String("AWS-RunPowerShellScript"), InstanceIds: []string{id}, TimeoutSeconds: aws.Int32(60),
			Parameters: map[string][]string{"commands": {"Get-Date"}, "executionTimeout": {"120"}}}, 180 * time.Second},
		"defaults (3600 each)": {&ssm.SendCommandInput{DocumentName: aws.String("AWS-RunPowerShellScript"), InstanceIds: []string{id},
			Parameters: map[string][]string{"commands": {"Get-Date"}}}, 2 * time.Hour},
	} {
		out, err := e.ssm.SendCommand(ctx(t), tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := out.Command.ExpiresAfter.Sub(*out.Command.RequestedDateTime); got != tc.want {
			t.Errorf("%s: ExpiresAfter is %v after the request, want %v", name, got, tc.want)
		}
	}
}

// Class "documented behaviour": DescribeInstanceInformation takes the
// documented filter keys: PlatformType, AgentVersion, tag:<key> and
// tag-key among them; tag filters do not combine with others.
func TestDescribeInstanceInformationTakesTheDocumentedFilters(t *testing.T) {
	e := newEnv(t, "small", fleetsim.Options{})
	count := func(filters ...ssmtypes.InstanceInformationStringFilter) (int, error) {
		n := 0
		pages := ssm.NewDescribeInstanceInformationPaginator(e.ssm, &ssm.DescribeInstanceInformationInput{Filters: filters})
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx(t))
			if err != nil {
				return 0, err
			}
			n += len(page.InstanceInformationList)
		}
		return n, nil
	}
	filter := func(key string, values ...string) ssmtypes.InstanceInformationStringFilter {
		return ssmtypes.InstanceInformationStringFilter{Key: aws.String(key), Values: values}
	}
	for name, tc := range map[string]struct {
		filters []ssmtypes.InstanceInformationStringFilter
		want    int
	}{
		"PlatformType Windows":  {[]ssmtypes.InstanceInformationStringFilter{filter("PlatformType", "Windows")}, 10},
		"PlatformType Linux":    {[]ssmtypes.InstanceInformationStringFilter{filter("PlatformType", "Linux")}, 2},
		"AgentVersion":          {[]ssmtypes.InstanceInformationStringFilter{filter("AgentVersion", "3.3.1142.0")}, 12},
		"an older AgentVersion": {[]ssmtypes.InstanceInformationStringFilter{filter("AgentVersion", "2.3.0.0")}, 0},
		"tag:Name":              {[]ssmtypes.InstanceInformationStringFilter{filter("tag:Name", "ECS Instance - linux")}, 2},
		"tag-key":               {[]ssmtypes.InstanceInformationStringFilter{filter("tag-key", "Name")}, 12},
		"two filters":           {[]ssmtypes.InstanceInformationStringFilter{filter("PlatformType", "Windows"), filter("PingStatus", "Online")}, 10},
	} {
		got, err := count(tc.filters...)
		if err != nil || got != tc.want {
			t.Errorf("%s: %d instances, err %v; want %d", name, got, err, tc.want)
		}
	}
	requireAPIErrors(t, map[string]apiErrorCase{
		"a tag filter with another": {func() error {
			_, err := count(filter("tag:Name", "x"), filter("PingStatus", "Online"))
			return err
		}, "InvalidFilterKey"},
		"a key SSM does not have": {func() error {
			_, err := count(filter("Color", "blue"))
			return err
		}, "InvalidFilterKey"},
	})
}

// Class "documented behaviour": SendCommand takes Targets by tag (tag:<key>
// with values, tag-key), by instance ID, and several at once (all must
// hold), beyond the 50 instances InstanceIds allows; targets matching
// nothing give a failed command, "No Instances In Tag".
func TestSendCommandTakesTagTargets(t *testing.T) {
	s := scenario.Generate(scenario.Size{WindowsInstances: 60, TasksPerInstance: 1, Clusters: 1, Seed: 2})
	s.Clusters[0].Groups[0].Tags = map[string]string{"team": "payments"}
	e := newEnvFor(t, s, fleetsim.Options{})
	target := func(key string, values ...string) ssmtypes.Target {
		return ssmtypes.Target{Key: aws.String(key), Values: values}
	}
	first := e.sim.Instances(fleetsim.InstanceFilter{})[0]
	for name, tc := range map[string]struct {
		targets []ssmtypes.Target
		want    int32
	}{
		"tag:Name":         {[]ssmtypes.Target{target("tag:Name", "ECS Instance - windows-01")}, 60},
		"tag-key":          {[]ssmtypes.Target{target("tag-key", "team")}, int32(s.Clusters[0].Groups[0].Count)},
		"two must hold":    {[]ssmtypes.Target{target("tag:Name", "ECS Instance - windows-01"), target("tag:team", "payments")}, int32(s.Clusters[0].Groups[0].Count)},
		"by instance ID":   {[]ssmtypes.Target{target("InstanceIds", first)}, 1},
		"nothing in tag":   {[]ssmtypes.Target{target("tag:team", "nobody")}, 0},
		"a resource group": {[]ssmtypes.Target{target("resource-groups:Name", "web")}, 0},
	} {
		out, err := e.ssm.SendCommand(ctx(t), &ssm.SendCommandInput{DocumentName: aws.String("AWS-RunPowerShellScript"), Targets: tc.targets,
			Parameters: map[string][]string{"commands": {"Get-Date"}}})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		c := out.Command
		if c.TargetCount != tc.want || len(c.Targets) != len(tc.targets) || len(c.InstanceIds) != 0 {
			t.Errorf("%s: %d targets (%v, instance IDs %v), want %d", name, c.TargetCount, c.Targets, c.InstanceIds, tc.want)
		}
		if tc.want == 0 && (c.Status != ssmtypes.CommandStatusFailed || aws.ToString(c.StatusDetails) != "No Instances In Tag") {
			t.Errorf("%s: %s/%s, want Failed/No Instances In Tag", name, c.Status, aws.ToString(c.StatusDetails))
		}
	}
}
