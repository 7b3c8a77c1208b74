package main

import (
	"bytes"
	"flag"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/bootstrap/ssmdoc"
	"github.com/ecswin/ecswin/internal/engine"
)

func TestParsePolicySelectorAndCertFlags(t *testing.T) {
	o := parse(t)
	if !o.policySelector.Empty() || o.leaderElectionID != "ecswin-controller.ecswin.io" || o.metricsCertPath != "" || o.metricsCertName != "tls.crt" || o.metricsCertKey != "tls.key" {
		t.Errorf("defaults: %+v", o)
	}
	o = parse(t, "--policy-selector=team in (payments,batch),tier!=test", "--metrics-cert-path=/certs", "--metrics-cert-name=c.pem", "--metrics-cert-key=k.pem")
	if o.policySelector.String() != "team in (batch,payments),tier!=test" || o.metricsCertName != "c.pem" || o.metricsCertKey != "k.pem" {
		t.Errorf("parsed: selector %q, %+v", o.policySelector, o)
	}
	fs := flag.NewFlagSet("manager", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if _, err := parseOptions(fs, []string{"--policy-selector=team in payments"}); err == nil || !strings.Contains(err.Error(), "--policy-selector") {
		t.Errorf("a malformed selector: err = %v", err)
	}
}

func TestParseOptions(t *testing.T) {
	tests := map[string]struct {
		args  []string
		check func(options) bool
	}{
		"secure metrics by default": {nil, func(o options) bool {
			return o.secureMetrics && o.metricsAddr == ":8443" && !o.enableHTTP2 && !o.leaderElect
		}},
		"engine defaults": {nil, func(o options) bool {
			return o.ssmPollInterval == engine.DefaultPollInterval && o.awsParallelism == engine.DefaultParallelism
		}},
		"engine tunables": {[]string{"--ssm-poll-interval=30s", "--aws-parallelism=4"}, func(o options) bool {
			return o.ssmPollInterval == 30*time.Second && o.awsParallelism == 4
		}},
		"leader election": {[]string{"--leader-elect", "--leader-election-namespace=ecswin-system"}, func(o options) bool {
			return o.leaderElect && o.leaderElectionNamespace == "ecswin-system"
		}},
		"trust nothing by default": {nil, func(o options) bool {
			// A test binary is a plain go build: no hash embedded.
			return !o.allowEndpointOverrides && len(o.allowedRoleARNs) == 0 && o.bootstrapSHA256 == "" &&
				o.trust().Check(awsapi.SettingsFor("p", v1alpha1.AWSSpec{Region: "us-east-1", RoleARN: "arn:aws:iam::123456789012:role/x"})) != nil
		}},
		"trust flags": {[]string{"--allow-endpoint-overrides", "--allowed-role-arns=arn:aws:iam::123456789012:role/ecswin-*,arn:aws:iam::*:role/fleet",
			"--bootstrap-sha256=" + strings.Repeat("AB", 32)}, func(o options) bool {
			return o.allowEndpointOverrides && len(o.allowedRoleARNs) == 2 && o.bootstrapSHA256 == strings.Repeat("ab", 32) &&
				o.trust().Check(awsapi.SettingsFor("p", v1alpha1.AWSSpec{Region: "us-east-1", RoleARN: "arn:aws:iam::123456789012:role/ecswin-a",
					Endpoints: &v1alpha1.EndpointsSpec{ECS: "http://127.0.0.1:4566"}})) == nil
		}},
	}
	for name, args := range map[string][]string{
		"short hash":   {"--bootstrap-sha256=abc"},
		"allow any":    {"--allowed-role-arns=*"},
		"not a role":   {"--allowed-role-arns=arn:aws:s3:::bucket"},
		"unknown flag": {"--bootstrap-hash=x"},
	} {
		fs := flag.NewFlagSet("manager", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		if _, err := parseOptions(fs, args); err == nil {
			t.Errorf("%s: %v accepted", name, args)
		}
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			fs := flag.NewFlagSet("manager", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			o, err := parseOptions(fs, tc.args)
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(o) {
				t.Errorf("options = %+v", o)
			}
		})
	}
}

// --print-ssm-document writes exactly the document the engine keeps in
// SSM, and refuses without a hash to pin.
func TestPrintSSMDocument(t *testing.T) {
	hash := strings.Repeat("0a", 32)
	var out bytes.Buffer
	if err := printSSMDocument(&out, hash); err != nil {
		t.Fatal(err)
	}
	want, err := ssmdoc.Content(hash)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Error("the printed document is not the engine's")
	}
	if err := printSSMDocument(&out, ""); err == nil || !strings.Contains(err.Error(), engine.FlagBootstrapSHA256) {
		t.Errorf("err = %v, want one naming %s", err, engine.FlagBootstrapSHA256)
	}
}
